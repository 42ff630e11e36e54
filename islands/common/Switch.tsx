import type { ComponentChildren } from "preact";

/** Props of {@linkcode Switch}. */
export interface SwitchProps {
  id: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  /** The ID of an element that explains the switch. */
  describedBy?: string;
  children: ComponentChildren;
}

/** A labelled checkbox, as every setting on the settings page is. */
export function Switch(props: SwitchProps) {
  return (
    <label class="switch">
      <input
        type="checkbox"
        id={props.id}
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>{props.children}</span>
    </label>
  );
}
