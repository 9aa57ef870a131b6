import { useEffect, useState } from 'preact/hooks';
import type { HistoryEntry, HistoryKind } from '../../core/history';
import { formatLifetime, lifetimeSummary, rotationSummary } from '../../core/history-summary';
import { sendMessage } from '../../platform/messaging';
import { formatWhen } from '../format-when';
import { workerProblem } from '../worker-problem';

const KIND_LABELS: Record<HistoryKind, string> = {
  refresh: 'Refresh',
  automatic: 'Automatic',
  authorization: 'Authorization',
};

/**
 * The profile's last refreshes and code exchanges, newest first, with what Dropbox Sign does not document
 * above them: whether refresh tokens rotated, and the token lifetimes received. Asked of the worker (the
 * history is sealed with the vault) on opening and after each new attempt (`changedAt`).
 */
export function RefreshHistory({
  profileId,
  changedAt,
}: {
  profileId: string;
  changedAt: number | undefined;
}) {
  const [history, setHistory] = useState<HistoryEntry[]>();
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState('');

  useEffect(() => {
    let live = true;
    sendMessage('getHistory', { profileId })
      .then((reply) => {
        if (!live) return;
        if (reply.ok) {
          setHistory(reply.history);
          setProblem(undefined);
        } else setProblem(reply.problem);
      })
      .catch((error: unknown) => {
        if (live) setProblem(workerProblem(error, 'reading the history'));
      });
    return () => {
      live = false;
    };
  }, [profileId, changedAt]);

  const clear = async () => {
    try {
      const reply = await sendMessage('clearHistory', { profileId });
      if (reply.ok) {
        setHistory(reply.history);
        setStatus('History cleared.');
      } else setProblem(reply.problem);
    } catch (error) {
      setProblem(workerProblem(error, 'clearing the history'));
    }
  };

  const now = Date.now();
  const rotation = history ? rotationSummary(history) : undefined;
  const lifetimes = history ? lifetimeSummary(history) : undefined;
  return (
    <div class="history" role="group" aria-labelledby="history-heading">
      <div class="section-head">
        <h3 id="history-heading">History</h3>
        {history && history.length > 0 && (
          <button type="button" class="ghost clear-history" onClick={() => void clear()}>
            Clear history
          </button>
        )}
      </div>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      {rotation && <p class="rotation-summary">{rotation.text}</p>}
      {lifetimes && <p class="lifetime-summary">{lifetimes}</p>}
      {history && history.length === 0 && <p class="hint">No refresh or authorization recorded yet.</p>}
      {history && history.length > 0 && (
        <div class="history-scroll" tabIndex={0} aria-label="Refresh history, newest first">
          <table class="history-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Outcome</th>
                <th scope="col">Expires in</th>
                <th scope="col">Refresh token</th>
                <th scope="col">Token</th>
              </tr>
            </thead>
            <tbody>
              {history.map((entry) => (
                <tr key={`${entry.at}-${entry.kind}`} class={entry.ok ? 'ok' : 'failed'}>
                  <td>
                    {formatWhen(entry.at, now)}
                    <span class="history-kind">{KIND_LABELS[entry.kind]}</span>
                  </td>
                  <td>
                    {entry.status !== undefined ? `${entry.status} ` : ''}
                    {entry.outcome}
                  </td>
                  <td>{entry.expiresIn !== undefined ? formatLifetime(entry.expiresIn) : '—'}</td>
                  <td>{rotationCell(entry)}</td>
                  <td class="mono">{entry.accessTokenEnd ? `…${entry.accessTokenEnd}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <span class="hint" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

function rotationCell(entry: HistoryEntry): string {
  if (entry.refreshTokenChanged === undefined)
    return entry.kind === 'authorization' && entry.ok ? 'new' : '—';
  return entry.refreshTokenChanged ? 'rotated' : 'same';
}
