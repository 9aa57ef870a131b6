// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSnapshot } from '../core/protocol';
import { NoAnswerError, sendMessage, WorkerFailedError } from '../platform/messaging';
import { seedData, storedProfile } from '../test-support/worker';
import { snapshotOf, testProfile } from './test-support';
import { ATTEMPT_TIMEOUT_MS, ATTEMPTS, useSnapshot } from './use-snapshot';

vi.mock('../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

const send = vi.mocked(sendMessage);

/** Renders what the hook holds: the active profile's name, or the load error. */
function Probe({ initial }: { initial?: AppSnapshot }) {
  const { snapshot, loadError, reload } = useSnapshot(initial);
  return (
    <div>
      <p data-testid="shown">{loadError ?? snapshot?.profiles[0]?.name ?? 'loading'}</p>
      <button type="button" onClick={reload}>
        Reload
      </button>
    </div>
  );
}

const shown = () => screen.getByTestId('shown').textContent;

/** Lets every timer due within `ms` fire, and Preact render what they changed. */
async function elapse(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

beforeEach(() => {
  send.mockReset();
  vi.useFakeTimers();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useSnapshot', () => {
  it('renders the first snapshot it is given at once, then hears the worker after the first frame', async () => {
    await seedData([storedProfile({ name: 'In storage' })]);
    send.mockResolvedValue(snapshotOf({ profiles: [testProfile({ name: 'From the worker' })] }));
    render(<Probe initial={snapshotOf({ profiles: [testProfile({ name: 'First read' })] })} />);
    // The very first render: no "loading", no storage read or message needed.
    expect(shown()).toBe('First read');
    expect(send).not.toHaveBeenCalled();

    await elapse(0);

    expect(send).toHaveBeenCalledWith('getSnapshot', {});
    expect(shown()).toBe('From the worker');
  });

  it('asks again when the worker drops a getSnapshot or fails to answer it, and shows the later answer', async () => {
    send
      .mockReturnValueOnce(new Promise(() => undefined)) // dropped: never answered
      .mockRejectedValueOnce(new NoAnswerError())
      .mockResolvedValueOnce(snapshotOf({ profiles: [testProfile({ name: 'Third time' })] }));
    render(<Probe />);
    expect(shown()).toBe('loading');

    await elapse(ATTEMPT_TIMEOUT_MS + 200 + 400);

    expect(shown()).toBe('Third time');
    expect(send).toHaveBeenCalledTimes(3);
    expect(send).toHaveBeenCalledWith('getSnapshot', {});
  });

  it('gives up after its attempts with "did not answer" and what to do', async () => {
    send.mockRejectedValue(new NoAnswerError());
    render(<Probe />);

    await elapse(10_000);

    expect(send).toHaveBeenCalledTimes(ATTEMPTS);
    expect(shown()).toBe('The extension’s background worker did not answer. Close and reopen this panel.');
  });

  it('does not ask again when the worker answered with a failure, and says which failure it was', async () => {
    send.mockRejectedValue(new WorkerFailedError('TypeError'));
    render(<Probe />);

    await elapse(10_000);

    expect(send).toHaveBeenCalledTimes(1);
    expect(shown()).toMatch(
      /^The background worker failed while reading the saved data \(TypeError\)\. Trying again will likely fail/,
    );
  });

  it('paints from storage at once, without waiting for a worker that does not answer', async () => {
    send.mockReturnValue(new Promise(() => undefined));
    await seedData([storedProfile({ name: 'From storage' })]);
    render(<Probe />);
    await elapse(0);
    expect(shown()).toBe('From storage');
  });

  it('reads storage again after every change, with no message to the worker', async () => {
    send.mockReturnValue(new Promise(() => undefined));
    await seedData([storedProfile({ name: 'Before' })]);
    render(<Probe />);
    await elapse(0);
    await seedData([storedProfile({ name: 'After' })]);
    await elapse(0);
    expect(shown()).toBe('After');
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('asks the worker again after an action, so a worker stopped mid-refresh is woken to note it', async () => {
    send.mockReturnValue(new Promise(() => undefined));
    render(<Probe />);
    await elapse(0);
    expect(send).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await elapse(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenLastCalledWith('getSnapshot', {});
  });

  it('keeps the newer snapshot when an older answer arrives after it', async () => {
    const older = deferred<AppSnapshot>();
    send.mockReturnValueOnce(older.promise);
    render(<Probe />);
    await elapse(0);
    await seedData([storedProfile({ name: 'Newer' })]); // read after the worker was asked
    await elapse(0);
    expect(shown()).toBe('Newer');

    older.resolve(snapshotOf({ profiles: [testProfile({ name: 'Older' })] }));
    await elapse(0);
    expect(shown()).toBe('Newer');
  });
});
