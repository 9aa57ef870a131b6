// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenState } from '../core/token-state';
import { sendMessage } from '../platform/messaging';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Popup } from './Popup';
import { snapshotOf, testProfile } from './test-support';

vi.mock('../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

const send = vi.mocked(sendMessage);

let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  send.mockReset();
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(cleanup);

function Thrower(): never {
  throw new RangeError('Invalid time value: 1d14434088507ffa390e6f5528465');
}

describe('the popup’s error boundary', () => {
  it('shows what happened and the credentials form when a part of the popup throws', async () => {
    // The damaged entry from the security review: a token state whose lastError is a bare string.
    const damaged = { lastError: 'oops' } as unknown as TokenState;
    send.mockResolvedValue(snapshotOf({ tokens: { 'p-1': damaged } }));
    render(<Popup />);

    const title = await screen.findByText('Part of this panel could not be shown');
    expect(title.closest('[role="alert"]')?.textContent).toContain('(RangeError)');
    // The fallback reads the snapshot again (storage first, then the worker's answer) and fills the form.
    await waitFor(() => {
      expect(screen.getByLabelText<HTMLInputElement>('Client ID').value).toBe(testProfile().clientId);
    });
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    // The name only, in the page and in the log: an error's text can quote a secret.
    expect(consoleError).toHaveBeenCalledWith('The popup could not show part of itself:', 'RangeError');
  });

  it('renders its fallback with the error instead of a child that throws, and nothing of the stack', () => {
    render(
      <ErrorBoundary fallback={(error) => <p>Could not show this ({error.name})</p>}>
        <p>before</p>
        <Thrower />
      </ErrorBoundary>,
    );

    expect(screen.getByText('Could not show this (RangeError)')).toBeTruthy();
    expect(screen.queryByText('before')).toBeNull();
    expect(document.body.textContent).not.toContain('1d14434088507ffa390e6f5528465');
    expect(document.body.textContent).not.toContain('at Thrower');
  });
});
