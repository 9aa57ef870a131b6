import { PASSPHRASE_LENGTH_HINT } from '../../core/passphrase';
import type { NewPassphraseErrors } from '../new-passphrase';
import { PassphraseField } from './PassphraseField';

/**
 * A new passphrase typed twice, with the length rule and why it matters. Used wherever one is chosen: the
 * first-run credentials form, "Protect with a passphrase" and "Change passphrase".
 */
export function NewPassphraseFields({
  idPrefix = '',
  next,
  setNext,
  confirm,
  setConfirm,
  errors,
  focusOnMount = false,
}: {
  /** Keeps the ids apart from another form's on the same page. */
  idPrefix?: string;
  next: string;
  setNext: (value: string) => void;
  confirm: string;
  setConfirm: (value: string) => void;
  errors: NewPassphraseErrors;
  focusOnMount?: boolean;
}) {
  return (
    <>
      <PassphraseField
        id={`${idPrefix}new-passphrase`}
        label="New passphrase"
        value={next}
        onInput={setNext}
        autoComplete="new-password"
        error={errors.next}
        focusOnMount={focusOnMount}
      />
      <PassphraseField
        id={`${idPrefix}confirm-passphrase`}
        label="Confirm passphrase"
        value={confirm}
        onInput={setConfirm}
        autoComplete="new-password"
        error={errors.confirm}
      />
      <p class="hint">{PASSPHRASE_LENGTH_HINT}</p>
    </>
  );
}
