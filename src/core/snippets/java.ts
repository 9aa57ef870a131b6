import { javaString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, indent, program } from './template';

/*
 * `public class Main` in Main.java, Java 17, runnable as `java Main.java`. Its text is ASCII only (see
 * literals.ts): javac reads source in the platform encoding, ASCII under the C locale.
 */

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${javaString(secret.name)})` : javaString(secret.value);

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`String accessToken = ${value(plan.accessToken)};`];
  return [
    `String clientId = ${javaString(plan.clientId)};`,
    `String clientSecret = ${value(plan.clientSecret)};`,
    `String refreshToken = ${value(plan.refreshToken)};`,
  ];
}

const ENV_HELPER = [
  '',
  "/** The environment variable's value; stops with a message when it is unset or empty. */",
  'static String env(String name) {',
  '    String value = System.getenv(name);',
  '    if (value == null || value.isEmpty()) {',
  '        System.err.println("Set the environment variable " + name);',
  '        System.exit(2);',
  '    }',
  '    return value;',
  '}',
];

const CREDENTIALS = [
  'String credentials = Base64.getEncoder()',
  '        .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));',
];

/** java.net.http.HttpClient; the JDK has no JSON encoder, so a small one writes the body's strings. */
export function javaHttp(plan: Plan): string {
  const refresh = plan.call === 'refresh' ? plan : undefined;
  const request =
    plan.call === 'account'
      ? [
          `HttpRequest request = HttpRequest.newBuilder(URI.create(${javaString(plan.url)}))`,
          '        .timeout(Duration.ofSeconds(30))',
          '        .header("Accept", "application/json")',
          '        .header("Authorization", "Bearer " + accessToken)',
          '        .GET()',
          '        .build();',
        ]
      : [
          'String body = "{\\"grant_type\\":\\"refresh_token\\""',
          '        + ",\\"refresh_token\\":" + json(refreshToken)',
          plan.inBody && [
            '        + ",\\"client_id\\":" + json(clientId)',
            '        + ",\\"client_secret\\":" + json(clientSecret)',
          ],
          '        + "}";',
          plan.basic && CREDENTIALS,
          `HttpRequest request = HttpRequest.newBuilder(URI.create(${javaString(plan.url)}))`,
          '        .timeout(Duration.ofSeconds(30))',
          '        .header("Content-Type", "application/json")',
          '        .header("Accept", "application/json")',
          plan.basic && '        .header("Authorization", "Basic " + credentials)',
          '        .POST(HttpRequest.BodyPublishers.ofString(body))',
          '        .build();',
        ];
  return program(
    comment('//', introText(plan, 'Java 17 or later (no libraries)', 'java Main.java')),
    'import java.net.URI;',
    'import java.net.http.HttpClient;',
    'import java.net.http.HttpRequest;',
    'import java.net.http.HttpResponse;',
    refresh?.basic && 'import java.nio.charset.StandardCharsets;',
    'import java.time.Duration;',
    refresh?.basic && 'import java.util.Base64;',
    '',
    'public class Main {',
    '    public static void main(String[] args) throws Exception {',
    indent('        ', values(plan), '', request),
    '',
    '        HttpResponse<byte[]> response = HttpClient.newHttpClient()',
    '                .send(request, HttpResponse.BodyHandlers.ofByteArray());',
    '        if (response.statusCode() / 100 != 2) {',
    '            System.err.println("HTTP " + response.statusCode());',
    '            System.err.write(response.body());',
    '            System.err.println();',
    '            System.exit(1);',
    '        }',
    "        // The body's bytes as received: System.out would re-encode text in the platform charset.",
    '        System.out.write(response.body());',
    '        System.out.println();',
    '    }',
    refresh && [
      '',
      indent(
        '    ',
        '/** A JSON string literal: quotes, backslashes and control characters escaped. */',
        'static String json(String value) {',
        '    StringBuilder out = new StringBuilder("\\"");',
        '    for (char c : value.toCharArray()) {',
        "        if (c == '\"' || c == '\\\\') {",
        "            out.append('\\\\').append(c);",
        '        } else if (c < 0x20) {',
        '            out.append(String.format("\\\\u%04x", (int) c));',
        '        } else {',
        '            out.append(c);',
        '        }',
        '    }',
        "    return out.append('\"').toString();",
        '}',
      ),
    ],
    envNames(plan).length > 0 && indent('    ', ENV_HELPER),
    '}',
  );
}

/** The vendor's example (com.dropbox.sign: OAuthApi / AccountApi), made complete. */
export function javaSdk(plan: Plan): string {
  const refresh = plan.call === 'refresh' ? plan : undefined;
  const call =
    plan.call === 'account'
      ? [
          '((HttpBearerAuth) config.getAuthentication("oauth2")).setBearerToken(accessToken);',
          plan.customHost && `config.setBasePath(${javaString(`${plan.host}/v3`)});`,
          '',
          'try {',
          '    var response = new AccountApi(config).accountGet(null, null);',
        ]
      : [
          plan.customHost && [
            '// The SDK sends this call to https://app.hellosign.com unless the server index is cleared: then it',
            '// uses the base path.',
            'config.setServerIndex(null);',
            `config.setBasePath(${javaString(plan.host)});`,
          ],
          plan.basic && [
            '// HTTP Basic client authentication: the SDK has no setting for it on this call.',
            CREDENTIALS,
            'config.addDefaultHeader("Authorization", "Basic " + credentials);',
          ],
          '',
          'var oAuthTokenRefreshRequest = new OAuthTokenRefreshRequest();',
          'oAuthTokenRefreshRequest.grantType("refresh_token");',
          'oAuthTokenRefreshRequest.refreshToken(refreshToken);',
          plan.inBody && [
            'oAuthTokenRefreshRequest.clientId(clientId);',
            'oAuthTokenRefreshRequest.clientSecret(clientSecret);',
          ],
          '',
          'try {',
          '    var response = new OAuthApi(config).oauthTokenRefresh(oAuthTokenRefreshRequest);',
        ];
  return program(
    comment(
      '//',
      introText(
        plan,
        'the com.dropbox.sign:dropbox-sign library (Maven Central)',
        'java -cp <the SDK and its dependencies> Main.java',
      ),
    ),
    'import com.dropbox.sign.ApiException;',
    'import com.dropbox.sign.Configuration;',
    'import com.dropbox.sign.JSON;',
    plan.call === 'refresh'
      ? 'import com.dropbox.sign.api.OAuthApi;'
      : 'import com.dropbox.sign.api.AccountApi;',
    plan.call === 'account' && 'import com.dropbox.sign.auth.HttpBearerAuth;',
    plan.call === 'refresh' && 'import com.dropbox.sign.model.OAuthTokenRefreshRequest;',
    refresh?.basic && ['import java.nio.charset.StandardCharsets;', 'import java.util.Base64;'],
    '',
    'public class Main {',
    '    public static void main(String[] args) throws Exception {',
    indent('        ', values(plan), '', 'var config = Configuration.getDefaultApiClient();', call),
    '            System.out.println(JSON.getDefault().getMapper().writeValueAsString(response));',
    '        } catch (ApiException e) {',
    '            System.err.println("HTTP " + e.getCode());',
    '            System.err.println(e.getResponseBody());',
    '            System.exit(1);',
    '        }',
    '    }',
    envNames(plan).length > 0 && indent('    ', ENV_HELPER),
    '}',
  );
}
