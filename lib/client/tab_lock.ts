/**
 * One active tab per conversation, through Web Locks: two tabs sealing from
 * the same ratchet state would use one message key twice (the per-message
 * salt keeps the AES key and nonce apart, but the receiver can open only one
 * of the two messages), so only the tab that holds the lock may connect.
 *
 * @module
 */

/** A lock held by this tab. */
export interface TabLock {
  /** Settles when another tab takes the lock over. */
  lost: Promise<void>;
  release(): void;
}

/**
 * Takes the lock of `conversationId`. Without `steal` it returns null when
 * another tab holds it; with `steal` it takes it from that tab, whose `lost`
 * then settles.
 */
export async function acquireTabLock(
  conversationId: string,
  options: { steal?: boolean } = {},
): Promise<TabLock | null> {
  const { promise: acquired, resolve: onAcquired } = Promise.withResolvers<boolean>();
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  const { promise: lost, resolve: onLost } = Promise.withResolvers<void>();
  navigator.locks.request(
    `the-anonymous:conversation:${conversationId}`,
    options.steal ? { steal: true } : { ifAvailable: true },
    (lock) => {
      onAcquired(lock !== null);
      return lock === null ? undefined : held;
    },
  ).catch(() => {
    // The request rejects when another tab steals the lock.
    onLost();
  });
  if (!await acquired) return null;
  return { lost, release: () => release() };
}
