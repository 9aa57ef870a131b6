// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import browser from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordedExchange } from '../../core/exchange-record';
import { MASK } from '../../core/redact';
import { LAST_EXCHANGE_KEY_PREFIX } from '../../platform/storage-keys';
import { LastExchange } from './LastExchange';

const SECRET = 'client-secret-0123456789abcdef';
const REFRESH_TOKEN = 'refresh-token-rt-5f2d9c1e8a7b';
const ACCESS_TOKEN = 'access-token-at-9c8b7a6f5e4d';
const URL = 'https://app.hellosign.com/oauth/token?refresh';

/** A refresh as the worker records it (src/platform/exchange-log.ts): request and answer, in clear. */
const REFRESH: RecordedExchange = {
  kind: 'refresh',
  at: Date.now() - 5_000,
  request: {
    method: 'POST',
    url: URL,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: 'cc91c61d00f8bb2ece1428035716b',
      client_secret: SECRET,
    }),
  },
  response: {
    status: 200,
    headers: [['content-type', 'application/json']],
    body: JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 3600 }),
    ms: 42,
  },
};

let writeText: ReturnType<typeof vi.fn<(text: string) => Promise<void>>>;

beforeEach(async () => {
  writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  await browser.storage.session.set({ [LAST_EXCHANGE_KEY_PREFIX + 'p-1']: { refresh: REFRESH } });
});

afterEach(cleanup);

async function shown() {
  render(<LastExchange profileId="p-1" />);
  await screen.findByText('POST /oauth/token?refresh → 200 OK in 42 ms');
}

describe('Last exchange: Copy of each part', () => {
  it('copies the request as shown: secrets masked until revealed', async () => {
    await shown();
    fireEvent.click(screen.getByRole('button', { name: 'Copy the request (secrets masked)' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const copied = writeText.mock.calls[0]?.[0] ?? '';
    expect(copied.startsWith(`POST ${URL}\nContent-Type: application/json\n`)).toBe(true);
    expect(copied).toContain('"grant_type": "refresh_token"');
    expect(copied).toContain(MASK);
    expect(copied).not.toContain(SECRET);
    expect(copied).not.toContain(REFRESH_TOKEN);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied the request'));
  });

  it('copies the response with its token once revealed, and masked again after hiding', async () => {
    await shown();
    fireEvent.click(screen.getByRole('button', { name: 'Show secrets in the exchange' }));
    fireEvent.click(screen.getByRole('button', { name: 'Copy the response' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const revealed = writeText.mock.calls[0]?.[0] ?? '';
    expect(revealed.startsWith('HTTP 200 OK\ncontent-type: application/json\n')).toBe(true);
    expect(revealed).toContain(ACCESS_TOKEN);
    expect(revealed).not.toContain(MASK);

    fireEvent.click(screen.getByRole('button', { name: 'Hide secrets in the exchange' }));
    fireEvent.click(screen.getByRole('button', { name: 'Copy the response (secrets masked)' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(2));
    const masked = writeText.mock.calls[1]?.[0] ?? '';
    expect(masked).not.toContain(ACCESS_TOKEN);
    expect(masked.replace(MASK, ACCESS_TOKEN)).toBe(revealed);
  });

  it('says so when the clipboard refuses', async () => {
    writeText.mockRejectedValue(new Error('denied'));
    await shown();
    fireEvent.click(screen.getByRole('button', { name: 'Copy the request (secrets masked)' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Copy failed/));
  });
});

describe('Last exchange: long lines wrap at the URL parts', () => {
  it('offers a break after each / ? & = , of the URL, never inside a word of it', async () => {
    await shown();
    const request = document.querySelector('pre[aria-labelledby="exchange-request"]') as HTMLElement;
    const firstLine = request.innerHTML.split('\n')[0] ?? '';
    // Each break opportunity sits right after a separator; the words between them stay whole.
    const pieces = firstLine.replace(/<[^>]+>/g, (tag) => (tag === '<wbr>' ? '|' : '')).split('|');
    expect(pieces).toEqual(['POST https:/', '/', 'app.hellosign.com/', 'oauth/', 'token?', 'refresh']);
    expect(request.textContent.split('\n')[0]).toBe(`POST ${URL}`);
  });
});
