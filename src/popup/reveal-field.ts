/** The credentials form's fields a message can point at, by their element id. */
export type FieldId =
  | 'client-id'
  | 'client-secret'
  | 'refresh-token'
  | 'profile-name'
  | 'oauth-host'
  | 'api-host'
  | 'client-auth';

/**
 * Opens every collapsed section around a field, brings it into view and focuses it: what "paste it here"
 * means when "here" is folded away below the fold. Each Collapsible follows its `<details>` through the
 * toggle event, so opening the element itself keeps the component's state in step.
 */
export function revealField(id: FieldId): void {
  const field = document.getElementById(id);
  if (field) {
    focusField(field);
    return;
  }
  // The form loads the first time its section opens (CredentialsSection): open it, and focus the field
  // as soon as it is rendered. Given up after a while, so a form that never comes leaves nothing watching.
  const section = document.querySelector('details.credentials-details');
  if (!(section instanceof HTMLDetailsElement)) return;
  section.open = true;
  const observer = new MutationObserver(() => {
    const rendered = document.getElementById(id);
    if (!rendered) return;
    stop();
    focusField(rendered);
  });
  const timer = setTimeout(stop, FORM_LOAD_WAIT_MS);
  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(section, { childList: true, subtree: true });
}

const FORM_LOAD_WAIT_MS = 10_000;

function focusField(field: HTMLElement): void {
  if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) return;
  for (let el = field.parentElement; el; el = el.parentElement) {
    if (el instanceof HTMLDetailsElement && !el.open) el.open = true;
  }
  field.focus({ preventScroll: true });
  field.scrollIntoView({ block: 'center' });
}
