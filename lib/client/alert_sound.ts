let context: AudioContext | null = null;

/**
 * Plays a short, soft two-note chime with WebAudio (no audio file). Browsers
 * may keep audio off until the page was clicked once; then nothing plays.
 */
export function playAlertSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") context.resume().catch(() => {});
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 660], [0.12, 880]]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // No WebAudio: the sound is optional.
  }
}
