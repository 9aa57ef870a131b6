/**
 * "Copy as code": the refresh call (or the account call with the current token) as a complete program in each
 * language of the vendor's examples, with its official SDK where there is one, or plain HTTP with only the
 * standard library. Pure text from the profile: nothing here runs or sends anything.
 */
import { csharpHttp, csharpSdk } from './csharp';
import { curlSnippet } from './curl';
import { goHttp } from './go';
import { javaHttp, javaSdk } from './java';
import { phpHttp, phpSdk } from './php';
import { planOf, type Plan } from './plan';
import { pythonHttp, pythonSdk } from './python';
import { rubyHttp, rubySdk } from './ruby';
import { swiftHttp } from './swift';
import type { SnippetInput, SnippetLanguage, SnippetLanguageInfo } from './types';
import { typescriptHttp, typescriptSdk } from './typescript';

export type { SnippetCall, SnippetForm, SnippetInput, SnippetLanguage, SnippetLanguageInfo } from './types';
export { SECRET_ENV } from './types';

/** In the order of the vendor's docs page; `hasSdk` where Dropbox Sign publishes an official SDK. */
export const SNIPPET_LANGUAGES: readonly SnippetLanguageInfo[] = [
  { id: 'curl', label: 'curl', hasSdk: false, fileName: 'snippet.sh' },
  { id: 'php', label: 'PHP', hasSdk: true, fileName: 'snippet.php' },
  { id: 'csharp', label: 'C#', hasSdk: true, fileName: 'Program.cs' },
  { id: 'typescript', label: 'TypeScript', hasSdk: true, fileName: 'snippet.ts' },
  { id: 'java', label: 'Java', hasSdk: true, fileName: 'Main.java' },
  { id: 'ruby', label: 'Ruby', hasSdk: true, fileName: 'snippet.rb' },
  { id: 'python', label: 'Python', hasSdk: true, fileName: 'snippet.py' },
  { id: 'go', label: 'Go', hasSdk: false, fileName: 'main.go' },
  { id: 'swift', label: 'Swift', hasSdk: false, fileName: 'main.swift' },
];

interface Renderers {
  http: (plan: Plan) => string;
  sdk?: (plan: Plan) => string;
}

const RENDERERS: Record<SnippetLanguage, Renderers> = {
  curl: { http: curlSnippet },
  php: { http: phpHttp, sdk: phpSdk },
  csharp: { http: csharpHttp, sdk: csharpSdk },
  typescript: { http: typescriptHttp, sdk: typescriptSdk },
  java: { http: javaHttp, sdk: javaSdk },
  ruby: { http: rubyHttp, sdk: rubySdk },
  python: { http: pythonHttp, sdk: pythonSdk },
  go: { http: goHttp },
  swift: { http: swiftHttp },
};

/** The program's text. Form 'sdk' for a language without an official SDK gives the plain HTTP form. */
export function codeSnippet(input: SnippetInput): string {
  const renderers = RENDERERS[input.language];
  const render = input.form === 'sdk' && renderers.sdk ? renderers.sdk : renderers.http;
  return render(planOf(input));
}
