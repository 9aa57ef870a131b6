import { describe, expect, it } from 'vitest';
import { spyOnPermissions } from '../test-support/worker';
import { hasHostAccess, originPattern, requestHostAccess } from './permissions';

describe('originPattern', () => {
  it.each([
    ['https://app.hellosign.com', 'https://app.hellosign.com/*'],
    ['https://app.hellosign.com/', 'https://app.hellosign.com/*'],
    // Match patterns take no port: the pattern covers every port of the host.
    ['http://127.0.0.1:8443', 'http://127.0.0.1/*'],
    ['http://localhost:3000', 'http://localhost/*'],
  ])('covers %s with %s', (origin, pattern) => {
    expect(originPattern(origin)).toBe(pattern);
  });
});

describe('hasHostAccess', () => {
  it('asks the browser about the host’s match pattern', async () => {
    const contains = spyOnPermissions('contains').mockResolvedValue(true);
    expect(await hasHostAccess('https://app.hellosign.com')).toBe(true);
    expect(contains).toHaveBeenCalledWith({ origins: ['https://app.hellosign.com/*'] });
  });

  it('answers false when the browser says the host is not granted', async () => {
    spyOnPermissions('contains').mockResolvedValue(false);
    expect(await hasHostAccess('https://app.hellosign.com')).toBe(false);
  });

  it('turns a synchronous throw of the browser API into a rejection', async () => {
    spyOnPermissions('contains').mockImplementation(() => {
      throw new Error('not available');
    });
    const result = hasHostAccess('https://app.hellosign.com');
    await expect(result).rejects.toThrow('not available');
  });

  it('rejects rather than throws for an origin that is not a URL', async () => {
    await expect(hasHostAccess('not a url')).rejects.toThrow();
  });
});

describe('requestHostAccess', () => {
  it('requests the host’s match pattern', async () => {
    const request = spyOnPermissions('request').mockResolvedValue(true);
    expect(await requestHostAccess('http://127.0.0.1:8443')).toBe(true);
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
  });
});
