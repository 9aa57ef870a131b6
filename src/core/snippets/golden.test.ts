import { describe, expect, it } from 'vitest';
import { codeSnippet, SNIPPET_LANGUAGES, type SnippetInput, type SnippetLanguage } from '.';

/*
 * Every program as reviewed code: golden/<call>-<form>-<language>.<ext> from the vendor's example values,
 * secrets from the environment and the default hosts; then a few with nasty secrets written in, and with a
 * local host and HTTP Basic client authentication (the SDKs' host and header settings). Swift gets no other
 * check: read its files by eye. Update with `npx vitest run src/core/snippets -u` and review the diff.
 */

/** TypeScript's goldens end in .ts.txt: as .ts, the project's typecheck, lint and format would take them for its own. */
const EXTENSIONS: Record<SnippetLanguage, string> = {
  curl: 'sh',
  php: 'php',
  csharp: 'cs',
  typescript: 'ts.txt',
  java: 'java',
  ruby: 'rb',
  python: 'py',
  go: 'go',
  swift: 'swift',
};

const EXAMPLE: Omit<SnippetInput, 'call' | 'language' | 'form'> = {
  oauthHost: 'https://app.hellosign.com',
  apiHost: 'https://api.hellosign.com',
  clientId: 'cc91c61d00f8bb2ece1428035716b',
  clientSecret: '1d14434088507ffa390e6f5528465',
  refreshToken: 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3',
  accessToken: 'MDZhNTk3ZTQ0MjBlY2U0NmZmOGI4ZTk1ZTg1YWMyYTc=',
  clientAuth: 'body',
  includeSecrets: false,
};

/** Quotes of every kind, `$` and `#{` interpolation, `%` formats, a newline, a tab, a bell, é and an emoji. */
const NASTY = {
  clientSecret: `s3cr"et'\\n $HOME #{x} {$y} %s ?> \`id\`\n\tend\u0007 é 😀`,
  refreshToken: `r"t'\\ $(id) #{y}\r\né😀`,
  accessToken: `a"t'\\ $HOME #{z} %d`,
};

const golden = (name: string, language: SnippetLanguage) => `./golden/${name}.${EXTENSIONS[language]}`;

describe('golden programs', () => {
  for (const { id: language, hasSdk } of SNIPPET_LANGUAGES) {
    for (const call of ['refresh', 'account'] as const) {
      for (const form of hasSdk ? (['sdk', 'http'] as const) : (['http'] as const)) {
        it(`${call} ${form} ${language}`, async () => {
          const code = codeSnippet({ ...EXAMPLE, call, language, form });
          await expect(code).toMatchFileSnapshot(golden(`${call}-${form}-${language}`, language));
        });
      }
    }

    it(`refresh http ${language} with nasty secrets written in, credentials in body and Basic header`, async () => {
      const input = {
        ...EXAMPLE,
        ...NASTY,
        call: 'refresh',
        language,
        form: 'http',
        clientAuth: 'both',
      } as const;
      await expect(codeSnippet({ ...input, includeSecrets: true })).toMatchFileSnapshot(
        golden(`refresh-http-${language}-secrets`, language),
      );
    });

    if (hasSdk) {
      it(`refresh and account sdk ${language} against a local host, Basic client authentication`, async () => {
        const local = {
          ...EXAMPLE,
          oauthHost: 'http://127.0.0.1:8443',
          apiHost: 'http://127.0.0.1:8443',
          language,
          form: 'sdk',
          clientAuth: 'basic',
        } as const;
        await expect(codeSnippet({ ...local, call: 'refresh' })).toMatchFileSnapshot(
          golden(`refresh-sdk-${language}-local`, language),
        );
        await expect(codeSnippet({ ...local, call: 'account' })).toMatchFileSnapshot(
          golden(`account-sdk-${language}-local`, language),
        );
      });
    }
  }
});
