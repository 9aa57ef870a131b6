/**
 * A throwaway self-signed TLS certificate for running the sandbox over HTTPS.
 * Test-only: the key is generated in memory each time and never written anywhere by this module.
 */
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** Names every sandbox certificate covers, whatever else is asked for. */
const ALWAYS = ['localhost', '127.0.0.1', '::1'];

/**
 * Create a self-signed server certificate whose subjectAltName lists `hostnames` (DNS names or IP
 * addresses) plus localhost, 127.0.0.1 and ::1. Valid from one minute ago for 30 days.
 */
export async function createSelfSignedCert(hostnames: string[]): Promise<{ key: string; cert: string }> {
  const names = [...new Set([...hostnames.map((h) => h.trim()).filter(Boolean), ...ALWAYS])];
  const commonName = names[0] ?? 'localhost';
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true }, // ECDSA: signing only
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
