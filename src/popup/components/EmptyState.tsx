/** What a first-time user needs: what to enter and where to find it. */
export function EmptyState() {
  return (
    <section class="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">Get a fresh access token in one click</h2>
      <p>Enter your Dropbox Sign API app’s credentials below. They stay in this browser profile.</p>
      <ol>
        <li>
          <strong>Client ID</strong> and <strong>Client secret</strong>: Dropbox Sign → Settings → API → your
          API app → Edit.
        </li>
        <li>
          <strong>Refresh token</strong>: the <code>refresh_token</code> in the JSON your app got when a user
          authorized it (<code>POST /oauth/token</code>). Pasting that whole JSON works too.
        </li>
      </ol>
    </section>
  );
}
