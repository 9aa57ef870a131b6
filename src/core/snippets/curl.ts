import { shellQuote } from './literals';
import { introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

/** bash has no JSON encoder: every value enters the body through this function, which escapes it. */
const JSON_STRING = [
  '# Prints $1 as a JSON string: bash has no JSON encoder, so backslashes, quotes and control characters',
  '# are escaped here.',
  'json_string() {',
  "  local s=$1 bs='\\' c i",
  '  s=${s//"$bs"/"$bs$bs"}',
  '  s=${s//\'"\'/"$bs\\""}',
  '  for ((i = 1; i < 32; i++)); do',
  '    printf -v c "\\\\x$(printf \'%02x\' "$i")"',
  '    s=${s//"$c"/"$(printf \'\\\\u%04x\' "$i")"}',
  '  done',
  '  printf \'"%s"\' "$s"',
  '}',
];

/** `${NAME:?...}` stops the script with a message when the variable is unset or empty. */
const value = (secret: Secret) =>
  secret.kind === 'env' ? `\${${secret.name}:?Set ${secret.name}}` : shellQuote(secret.value);

/** A bash script around curl: the body goes to a file, the status to a variable, so each can be checked. */
export function curlSnippet(plan: Plan): string {
  const head = [
    '#!/usr/bin/env bash',
    comment('#', introText(plan, 'bash and curl', 'bash snippet.sh')),
    'set -euo pipefail',
    '',
  ];
  // The secrets reach curl through stdin and a file descriptor, never its command line, which any user of
  // the machine can read (`ps`). printf is a bash builtin: it runs no process whose arguments show them.
  const send = (stdin: string | false) => [
    'response=$(mktemp)',
    'trap \'rm -f "$response"\' EXIT',
    '# The secrets go to curl on stdin and through a file descriptor, not on its command line (visible in ps).',
    // --globoff: curl would read [ ] { } in the URL (an IPv6 host, say) as a pattern.
    `status=$(${stdin ? `${stdin} | ` : ''}curl --silent --show-error --globoff \\`,
  ];
  const check = [
    '  --output "$response" --write-out \'%{http_code}\')',
    'if [[ $status != 2?? ]]; then',
    '  echo "HTTP $status" >&2',
    '  cat "$response" >&2',
    '  exit 1',
    'fi',
    'cat "$response"',
  ];
  if (plan.call === 'account') {
    return program(
      head,
      `access_token=${value(plan.accessToken)}`,
      '',
      send(false),
      `  --url ${shellQuote(plan.url)} \\`,
      "  --header 'Accept: application/json' \\",
      '  --header @<(printf \'Authorization: Bearer %s\\n\' "$access_token") \\',
      check,
    );
  }
  const fields = ['"grant_type":"refresh_token"', '"refresh_token":%s'];
  const args = ['"$(json_string "$refresh_token")"'];
  if (plan.inBody) {
    fields.push('"client_id":%s', '"client_secret":%s');
    args.push('"$(json_string "$client_id")"', '"$(json_string "$client_secret")"');
  }
  return program(
    head,
    `client_id=${shellQuote(plan.clientId)}`,
    `client_secret=${value(plan.clientSecret)}`,
    `refresh_token=${value(plan.refreshToken)}`,
    '',
    JSON_STRING,
    '',
    `body=$(printf '{${fields.join(',')}}' \\`,
    `  ${args.join(' ')})`,
    '',
    plan.basic && 'basic=$(printf \'%s:%s\' "$client_id" "$client_secret" | base64 | tr -d \'\\n\')',
    plan.basic && '',
    send(`printf '%s' "$body"`),
    '  --request POST \\',
    `  --url ${shellQuote(plan.url)} \\`,
    "  --header 'Content-Type: application/json' \\",
    "  --header 'Accept: application/json' \\",
    plan.basic && '  --header @<(printf \'Authorization: Basic %s\\n\' "$basic") \\',
    '  --data-binary @- \\',
    check,
  );
}
