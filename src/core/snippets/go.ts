import { goString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${goString(secret.name)})` : goString(secret.value);

/** Go has no official Dropbox Sign SDK: net/http only. Laid out as gofmt would (tabs, aligned map values). */
export function goHttp(plan: Plan): string {
  const usesEnv = envNames(plan).length > 0;
  const imports = [
    plan.call === 'refresh' && 'bytes',
    plan.call === 'refresh' && 'encoding/json',
    'fmt',
    'io',
    'net/http',
    'os',
    'time',
  ];
  const request =
    plan.call === 'account'
      ? [
          `\taccessToken := ${value(plan.accessToken)}`,
          '',
          `\treq, err := http.NewRequest(http.MethodGet, ${goString(plan.url)}, nil)`,
          '\tif err != nil {',
          '\t\tfail(err)',
          '\t}',
          '\treq.Header.Set("Accept", "application/json")',
          '\treq.Header.Set("Authorization", "Bearer "+accessToken)',
        ]
      : [
          `\tclientID := ${goString(plan.clientId)}`,
          `\tclientSecret := ${value(plan.clientSecret)}`,
          `\trefreshToken := ${value(plan.refreshToken)}`,
          '',
          '\tbody, err := json.Marshal(map[string]string{',
          aligned([
            ['"grant_type":', '"refresh_token",'],
            ['"refresh_token":', 'refreshToken,'],
            plan.inBody && ['"client_id":', 'clientID,'],
            plan.inBody && ['"client_secret":', 'clientSecret,'],
          ]),
          '\t})',
          '\tif err != nil {',
          '\t\tfail(err)',
          '\t}',
          `\treq, err := http.NewRequest(http.MethodPost, ${goString(plan.url)}, bytes.NewReader(body))`,
          '\tif err != nil {',
          '\t\tfail(err)',
          '\t}',
          '\treq.Header.Set("Content-Type", "application/json")',
          '\treq.Header.Set("Accept", "application/json")',
          plan.basic && '\treq.SetBasicAuth(clientID, clientSecret)',
        ];
  return program(
    comment('//', introText(plan, 'Go (standard library only)', 'go run main.go')),
    '', // not a package doc comment, which gofmt would reformat
    'package main',
    '',
    'import (',
    imports.flatMap((name) => (name ? [`\t"${name}"`] : [])),
    ')',
    '',
    usesEnv && [
      "// env returns the environment variable's value; it stops with a message when it is unset or empty.",
      'func env(name string) string {',
      '\tvalue := os.Getenv(name)',
      '\tif value == "" {',
      '\t\tfmt.Fprintf(os.Stderr, "Set the environment variable %s\\n", name)',
      '\t\tos.Exit(2)',
      '\t}',
      '\treturn value',
      '}',
      '',
    ],
    'func fail(err error) {',
    '\tfmt.Fprintln(os.Stderr, err)',
    '\tos.Exit(1)',
    '}',
    '',
    'func main() {',
    request,
    '',
    '\tclient := &http.Client{Timeout: 30 * time.Second}',
    '\tres, err := client.Do(req)',
    '\tif err != nil {',
    '\t\tfail(err)',
    '\t}',
    '\tdefer res.Body.Close()',
    '\tdata, err := io.ReadAll(res.Body)',
    '\tif err != nil {',
    '\t\tfail(err)',
    '\t}',
    '\tif res.StatusCode < 200 || res.StatusCode > 299 {',
    '\t\tfmt.Fprintf(os.Stderr, "HTTP %d\\n%s\\n", res.StatusCode, data)',
    '\t\tos.Exit(1)',
    '\t}',
    '\tfmt.Println(string(data))',
    '}',
  );
}

/** `key: value` lines of a composite literal, values aligned in a column as gofmt does. */
function aligned(entries: readonly (readonly [string, string] | false)[]): string[] {
  const pairs = entries.filter((entry) => entry !== false);
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, val]) => `\t\t${key.padEnd(width)} ${val}`);
}
