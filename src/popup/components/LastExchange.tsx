import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { segmentsToText, viewExchange, type ExchangeKind, type Segment } from '../../core/exchange-record';
import { MASK } from '../../core/redact';
import { onLastExchangesChanged, readLastExchanges, type LastExchanges } from '../../platform/exchange-read';
import { useCopy } from '../use-copy';

const KIND_LABELS: Record<ExchangeKind, string> = {
  refresh: 'Refresh',
  exchange: 'Code exchange',
  verify: 'Verify',
};
const KINDS: readonly ExchangeKind[] = ['refresh', 'exchange', 'verify'];

/**
 * "Last exchange": the profile's latest refresh, code exchange and verify, as sent and as answered, secrets
 * masked until revealed. Read from the session store the worker writes before it answers, and kept current
 * as it writes.
 */
export function LastExchange({ profileId }: { profileId: string }) {
  const [exchanges, setExchanges] = useState<LastExchanges>();
  const [chosen, setChosen] = useState<ExchangeKind>();
  const [revealed, setRevealed] = useState(false);
  const { status, warn, copy } = useCopy(false);

  useEffect(() => {
    let live = true;
    const load = () => {
      void readLastExchanges(profileId).then((read) => {
        if (live) setExchanges(read);
      });
    };
    load();
    const stop = onLastExchangesChanged(profileId, load);
    return () => {
      live = false;
      stop();
    };
  }, [profileId]);

  const available = KINDS.filter((kind) => exchanges?.[kind]);
  // The one asked for, else the newest: what the user just did is what they want to see.
  const newest = [...available].sort((a, b) => (exchanges?.[b]?.at ?? 0) - (exchanges?.[a]?.at ?? 0))[0];
  const kind = chosen && available.includes(chosen) ? chosen : newest;
  const exchange = kind ? exchanges?.[kind] : undefined;
  const view = exchange ? viewExchange(exchange) : undefined;

  return (
    <div class="last-exchange" role="group" aria-labelledby="last-exchange-heading">
      <div class="section-head">
        <h3 id="last-exchange-heading">Last exchange</h3>
        {view && (
          <button
            type="button"
            class="ghost"
            aria-pressed={revealed}
            aria-label={revealed ? 'Hide secrets in the exchange' : 'Show secrets in the exchange'}
            onClick={() => setRevealed(!revealed)}
          >
            {revealed ? 'Hide secrets' : 'Show secrets'}
          </button>
        )}
      </div>
      {exchanges && !view && (
        <p class="hint">Nothing yet in this browser session: refresh, authorize or verify, then look here.</p>
      )}
      {view && kind && (
        <>
          {available.length > 1 && (
            <div class="inline-field">
              <label for="exchange-kind">Exchange</label>
              <select
                id="exchange-kind"
                class="exchange-kind"
                value={kind}
                onChange={(e) => setChosen(e.currentTarget.value as ExchangeKind)}
              >
                {available.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </div>
          )}
          <p class="exchange-summary">{view.summary}</p>
          <ExchangePart
            title="Request"
            segments={view.request}
            revealed={revealed}
            onCopy={(text) => void copy(text, 'the request')}
          />
          {view.response ? (
            <ExchangePart
              title="Response"
              segments={view.response}
              revealed={revealed}
              onCopy={(text) => void copy(text, 'the response')}
            />
          ) : (
            <p class="notice warn exchange-error">No answer: {exchange?.error ?? 'the request failed.'}</p>
          )}
          <span class={`inline-status${warn ? ' warn' : ''}`} role="status" aria-live="polite">
            {status}
          </span>
        </>
      )}
    </div>
  );
}

function ExchangePart({
  title,
  segments,
  revealed,
  onCopy,
}: {
  title: 'Request' | 'Response';
  segments: Segment[];
  revealed: boolean;
  onCopy: (text: string) => void;
}) {
  const id = `exchange-${title.toLowerCase()}`;
  return (
    <div class="exchange-part">
      <div class="section-head">
        <h4 id={id}>{title}</h4>
        {/* As shown: masked unless revealed, so a copy never carries more than the screen does. */}
        <button
          type="button"
          class="ghost"
          aria-label={`Copy the ${title.toLowerCase()}${revealed ? '' : ' (secrets masked)'}`}
          onClick={() => onCopy(segmentsToText(segments, revealed))}
        >
          Copy
        </button>
      </div>
      <pre class="mono exchange-text" aria-labelledby={id} tabIndex={0}>
        {segments.map((segment, i) =>
          segment.secret ? (
            <span key={i} class={revealed ? 'secret' : 'secret masked'}>
              {revealed ? segment.text : MASK}
            </span>
          ) : (
            <Breakable key={i} text={segment.text} />
          ),
        )}
      </pre>
    </div>
  );
}

/**
 * Text with a line-break opportunity after each URL separator (`/ ? & = ,`), so a long URL wraps at its
 * parts rather than mid-word; the stylesheet breaks anything longer still (a token) wherever it must.
 */
function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[/?&=,])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
