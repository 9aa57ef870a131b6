import type { ComponentChildren } from 'preact';
import { revealField, type FieldId } from '../reveal-field';

/** What a first-time user needs: what to enter and where to find it. Each field's name leads to the field. */
export function EmptyState() {
  return (
    <section class="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">Get a fresh access token in one click</h2>
      <ol>
        <li>
          <FieldLink field="client-id">Client ID</FieldLink> and{' '}
          <FieldLink field="client-secret">Client secret</FieldLink>: Dropbox Sign → Settings → API → your API
          app → Edit.
        </li>
        <li>
          <FieldLink field="refresh-token">Refresh token</FieldLink>: the <code>refresh_token</code> your app
          got from <code>POST /oauth/token</code>. Pasting that whole JSON answer works too, and keeps its
          access token.
        </li>
      </ol>
    </section>
  );
}

/** A field's name that takes the user to the field: opens its section and focuses it. */
function FieldLink({ field, children }: { field: FieldId; children: ComponentChildren }) {
  return (
    <button type="button" class="link" onClick={() => revealField(field)}>
      {children}
    </button>
  );
}
