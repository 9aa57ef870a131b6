import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A section whose body folds under its heading. It stays as the user leaves it across re-renders (a save,
 * a snapshot), which a plain `<details open={…}>` driven by props would not.
 */
export function Collapsible({
  name,
  title,
  summaryExtra,
  initiallyOpen,
  onToggle,
  children,
}: {
  /** Prefix of the class names (`<name>-details`) and of the heading id (`<name>-heading`). */
  name: string;
  title: string;
  summaryExtra?: ComponentChildren;
  initiallyOpen: boolean;
  /** Told each time the user opens or folds the section. */
  onToggle?: (open: boolean) => void;
  children: ComponentChildren;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details
      open={open}
      class={`${name}-details`}
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
        onToggle?.(e.currentTarget.open);
      }}
    >
      <summary>
        <h2 id={`${name}-heading`}>{title}</h2>
        {summaryExtra}
      </summary>
      {children}
    </details>
  );
}
