/** A padlock, closed or open; decorative only (the text beside it says the state). */
export function LockIcon({ open = false }: { open?: boolean }) {
  return (
    <svg class="lock-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        d={open ? 'M5 7V5a3 3 0 0 1 5.8-1.1' : 'M5 7V5a3 3 0 0 1 6 0v2'}
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-linecap="round"
      />
      <rect x="3" y="7" width="10" height="7.5" rx="1.6" fill="currentColor" />
    </svg>
  );
}
