import { useEffect, useRef } from 'preact/hooks';

interface Props {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** `current-password` to unlock or confirm, `new-password` for one being chosen: password managers tell them apart. */
  autoComplete: 'current-password' | 'new-password';
  error?: string | undefined;
  /**
   * Takes the focus when the field appears. Not the `autofocus` attribute: browsers honour that only once per
   * page load, and these fields appear later (after "Lock now", or when a panel opens).
   */
  focusOnMount?: boolean;
  inputRef?: preact.RefObject<HTMLInputElement | null>;
}

/**
 * A labelled, always-masked passphrase field. The value is a DOM property, never an attribute, so it does not
 * appear in the page's HTML; it is never shown, so there is no Show toggle (Confirm catches typos).
 */
export function PassphraseField({
  id,
  label,
  value,
  onInput,
  autoComplete,
  error,
  focusOnMount = false,
  inputRef,
}: Props) {
  const messageId = `${id}-message`;
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = inputRef ?? ownRef;
  const focusFirst = useRef(focusOnMount);
  useEffect(() => {
    if (focusFirst.current) ref.current?.focus();
  }, [ref]);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        ref={ref}
        id={id}
        name={id}
        type="password"
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        autoComplete={autoComplete}
        autoCapitalize="off"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? messageId : undefined}
      />
      {/* Errors appear only after a submit, as the answer to it: announced at once. */}
      {error && (
        <p id={messageId} class="field-message error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
