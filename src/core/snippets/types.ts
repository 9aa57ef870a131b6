/** The public shapes of "Copy as code" (re-exported by index.ts), apart so the language files can share them. */

export type SnippetLanguage =
  'curl' | 'php' | 'csharp' | 'typescript' | 'java' | 'ruby' | 'python' | 'go' | 'swift';

/** The refresh call, or `GET {apiHost}/v3/account` with the current access token. */
export type SnippetCall = 'refresh' | 'account';

/** The official SDK, or plain HTTP with the standard library only. */
export type SnippetForm = 'sdk' | 'http';

export interface SnippetLanguageInfo {
  id: SnippetLanguage;
  label: string;
  hasSdk: boolean;
  /** What the file must be called to compile or run as the snippet's own comment says. */
  fileName: string;
}

export interface SnippetInput {
  call: SnippetCall;
  language: SnippetLanguage;
  form: SnippetForm;
  /** Origin, no trailing slash; default 'https://app.hellosign.com'. */
  oauthHost: string;
  /** Origin, no trailing slash; default 'https://api.hellosign.com'. */
  apiHost: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken: string;
  clientAuth: 'body' | 'basic' | 'both';
  includeSecrets: boolean;
}

/** Where the code reads each secret when it must not hold it. The client ID is not secret: always inline. */
export const SECRET_ENV = {
  clientSecret: 'DROPBOX_SIGN_CLIENT_SECRET',
  refreshToken: 'DROPBOX_SIGN_REFRESH_TOKEN',
  accessToken: 'DROPBOX_SIGN_ACCESS_TOKEN',
} as const;
