/** Exactly what the last refresh sent, secrets masked: the answer to "what did it actually POST?". */
export function RequestDetails({ request }: { request: string }) {
  return (
    <details class="request-details">
      <summary>Last request sent</summary>
      <pre class="mono">{request}</pre>
    </details>
  );
}
