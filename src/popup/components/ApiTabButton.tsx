import { useState } from 'preact/hooks';
import { sendMessage } from '../../platform/messaging';
import { workerProblem } from '../worker-problem';

/**
 * "Open API tab": the worker opens a tab on `/v3/account` in which GET navigations to the API host carry
 * this profile's token, and keeps that header in step with the token. Says what it does before the click.
 */
export function ApiTabButton({
  profileId,
  apiHost,
  hasToken,
}: {
  profileId: string;
  apiHost: string;
  hasToken: boolean;
}) {
  const [problem, setProblem] = useState<string>();
  const host = new URL(apiHost).host;
  const open = async () => {
    if (!hasToken) return;
    setProblem(undefined);
    try {
      const reply = await sendMessage('openApiTab', { profileId });
      if (!reply.ok) setProblem(reply.problem);
    } catch (error) {
      setProblem(workerProblem(error, 'opening the API tab'));
    }
  };
  return (
    <div class="api-tab" role="group" aria-labelledby="api-tab-heading">
      <h3 id="api-tab-heading">Browse the API</h3>
      <p class="hint" id="api-tab-hint">
        Opens {host}/v3/account in a new tab. In that tab only, pages you open on {host} by address or link
        (GET) carry this token, and follow it as it is refreshed; no other tab, site, form or script ever
        does.
      </p>
      <button
        type="button"
        class="secondary open-api-tab"
        aria-describedby="api-tab-hint"
        aria-disabled={!hasToken}
        onClick={() => void open()}
      >
        Open API tab
      </button>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
