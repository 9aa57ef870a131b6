import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AppSnapshot } from '../core/protocol';
import { NoAnswerError, sendMessage, WorkerFailedError } from '../platform/messaging';
import { mirrorStorage, type StorageMirror } from '../platform/storage-mirror';
import { workerProblem } from './worker-problem';

/**
 * The state the popup renders. Its first value is the page's first storage read (main.tsx awaits it before
 * the first render, so the first frame already shows the token), built through the same `buildSnapshot` the
 * worker uses: the popup does not wait for a worker that Chrome has most likely stopped. Without one, storage
 * is read as the hook mounts. Every storage change is applied to the page's copy of storage (`storage`, or
 * one of its own) and the snapshot rebuilt from it, without another read. The worker is asked once as well:
 * that wakes it, so it can note a refresh a stopped worker left unfinished, and tells whether it answers at
 * all. Whichever answer was asked for last wins.
 */
export function useSnapshot(
  initial?: AppSnapshot,
  storage?: StorageMirror,
): {
  snapshot: AppSnapshot | undefined;
  loadError: string | undefined;
  reload: () => void;
} {
  const [snapshot, setSnapshot] = useState<AppSnapshot | undefined>(initial);
  const hadInitial = useRef(initial !== undefined);
  const [loadError, setLoadError] = useState<string>();
  const mirror = useRef(storage);
  const latestAsked = useRef(0);
  const latestApplied = useRef(0);
  const ask = useCallback((source: () => Promise<AppSnapshot>, fromWorker: boolean) => {
    // Answers can arrive out of order; an older one (say, taken while a refresh was in flight) must not
    // replace a newer one, or the popup would show "Refreshing…" with nothing left to correct it.
    const asked = ++latestAsked.current;
    source().then(
      (next) => {
        if (fromWorker) setLoadError(undefined);
        if (asked < latestApplied.current) return;
        latestApplied.current = asked;
        setSnapshot(next);
      },
      (error: unknown) => {
        if (!fromWorker) {
          // Storage could not be read from here, or caught the worker between two writes of a passphrase
          // change: the worker, whose reads wait for its writes, answers instead.
          ask(askWithRetries, true);
          return;
        }
        setLoadError(
          error instanceof WorkerFailedError
            ? workerProblem(error, 'reading the saved data')
            : 'The extension’s background worker did not answer. Close and reopen this panel.',
        );
      },
    );
  }, []);
  const readStorage = useCallback(() => {
    const current = mirror.current;
    if (current) ask(() => current.snapshot(), false);
  }, [ask]);
  // After an action (a refresh, a save) the worker is asked too: if it was stopped before answering, this
  // wakes it, and its start notes the interrupted refresh that storage alone would show as still running.
  const reload = useCallback(() => {
    readStorage();
    ask(askWithRetries, true);
  }, [ask, readStorage]);
  useEffect(() => {
    const own = mirror.current ? undefined : mirrorStorage();
    mirror.current ??= own;
    // Without a first snapshot (its read failed, or none was given), storage is read now.
    if (!hadInitial.current) readStorage();
    // After the first frame: waking a stopped worker costs CPU the first paint should have.
    const later = setTimeout(() => {
      ask(askWithRetries, true);
    }, 0);
    const stop = mirror.current?.onChange(readStorage);
    return () => {
      clearTimeout(later);
      stop?.();
      own?.stop();
    };
  }, [ask, readStorage]);
  return { snapshot, loadError, reload };
}

export const ATTEMPTS = 4;
export const ATTEMPT_TIMEOUT_MS = 4000;

/**
 * A worker that is still starting (first install, or woken from a stop on a busy machine) can drop or never
 * answer the first message. Asking for a snapshot changes nothing, so ask again before giving up. A worker
 * that answered with a failure is not asked again: its handler would fail the same way.
 */
async function askWithRetries(): Promise<AppSnapshot> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withTimeout(sendMessage('getSnapshot', {}), ATTEMPT_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof WorkerFailedError || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new NoAnswerError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new NoAnswerError());
      },
    );
  });
}
