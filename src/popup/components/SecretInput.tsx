import { useState } from 'preact/hooks';

interface Props {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  message?: { text: string; tone: 'error' | 'warning' | 'info' } | undefined;
  secret?: boolean;
  placeholder?: string;
  autoFocus?: boolean;
}

/**
 * A labelled text field with its message. Secret fields are masked until the user asks to see them; the
 * value is a DOM property, never an attribute, so it does not appear in the page's HTML.
 */
export function TextField({
  id,
  label,
  value,
  onInput,
  message,
  secret = false,
  placeholder,
  autoFocus,
}: Props) {
  const [revealed, setRevealed] = useState(false);
  const messageId = `${id}-message`;
  const inputProps = {
    id,
    name: id,
    value,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
    autoComplete: 'off',
    autoCapitalize: 'off' as const,
    spellcheck: false,
    placeholder,
    autoFocus,
    'aria-invalid': message?.tone === 'error' ? true : undefined,
    'aria-describedby': message ? messageId : undefined,
    class: secret ? 'mono' : undefined,
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="field-row">
        {/* Two branches only to satisfy Preact's typing of `type`; both render the same <input> node. */}
        {secret && !revealed ? (
          <input type="password" {...inputProps} />
        ) : (
          <input type="text" {...inputProps} />
        )}
        {secret && (
          <button
            type="button"
            class="ghost"
            aria-pressed={revealed}
            aria-label={`${revealed ? 'Hide' : 'Show'} ${label.toLowerCase()}`}
            onClick={() => setRevealed(!revealed)}
          >
            {revealed ? 'Hide' : 'Show'}
          </button>
        )}
      </div>
      {message && (
        <p id={messageId} class={`field-message ${message.tone}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}
