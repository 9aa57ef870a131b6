/** The credentials form's fields a message can point at, by their element id. */
export type FieldId =
  'client-id' | 'client-secret' | 'refresh-token' | 'profile-name' | 'oauth-host' | 'client-auth';

/**
 * Opens every collapsed section around a field, brings it into view and focuses it: what "paste it here"
 * means when "here" is folded away below the fold. Each Collapsible follows its `<details>` through the
 * toggle event, so opening the element itself keeps the component's state in step.
 */
export function revealField(id: FieldId): void {
  const field = document.getElementById(id);
  if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) return;
  for (let el = field.parentElement; el; el = el.parentElement) {
    if (el instanceof HTMLDetailsElement && !el.open) el.open = true;
  }
  field.focus({ preventScroll: true });
  field.scrollIntoView({ block: 'center' });
}
