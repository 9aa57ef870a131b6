import { csharpString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, indent, program } from './template';

/*
 * C# 7 (mono's mcs compiles it): a class with `Main`, no top-level statements, no file-scoped namespace,
 * no `using` declarations; ASCII-only text (see literals.ts).
 */

const value = (secret: Secret) =>
  secret.kind === 'env' ? `Env(${csharpString(secret.name)})` : csharpString(secret.value);

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`string accessToken = ${value(plan.accessToken)};`];
  return [
    `string clientId = ${csharpString(plan.clientId)};`,
    `string clientSecret = ${value(plan.clientSecret)};`,
    `string refreshToken = ${value(plan.refreshToken)};`,
  ];
}

const ENV_HELPER = [
  '',
  "// The environment variable's value; stops with a message when it is unset or empty.",
  'static string Env(string name)',
  '{',
  '    string value = Environment.GetEnvironmentVariable(name);',
  '    if (string.IsNullOrEmpty(value))',
  '    {',
  '        Console.Error.WriteLine("Set the environment variable " + name);',
  '        Environment.Exit(2);',
  '    }',
  '    return value;',
  '}',
];

const CREDENTIALS =
  'string credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + clientSecret));';

/** System.Net.Http's HttpClient; mono's default references have no JSON encoder, so a small one is here. */
export function csharpHttp(plan: Plan): string {
  const request =
    plan.call === 'account'
      ? [
          `using (var request = new HttpRequestMessage(HttpMethod.Get, ${csharpString(plan.url)}))`,
          '{',
          '    request.Headers.Accept.ParseAdd("application/json");',
          '    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);',
        ]
      : [
          'string body = "{\\"grant_type\\":\\"refresh_token\\""',
          '    + ",\\"refresh_token\\":" + Json(refreshToken)',
          plan.inBody && [
            '    + ",\\"client_id\\":" + Json(clientId)',
            '    + ",\\"client_secret\\":" + Json(clientSecret)',
          ],
          '    + "}";',
          plan.basic && CREDENTIALS,
          '',
          `using (var request = new HttpRequestMessage(HttpMethod.Post, ${csharpString(plan.url)}))`,
          '{',
          '    request.Headers.Accept.ParseAdd("application/json");',
          plan.basic &&
            '    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);',
          '    // Exactly "application/json": StringContent would add "; charset=utf-8".',
          '    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));',
          '    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");',
        ];
  return program(
    comment(
      '//',
      introText(
        plan,
        'mono (mcs) or .NET, no packages',
        'mcs -r:System.Net.Http.dll Program.cs && mono Program.exe',
      ),
    ),
    'using System;',
    'using System.IO;',
    'using System.Net.Http;',
    'using System.Net.Http.Headers;',
    'using System.Text;',
    '',
    'public static class Program',
    '{',
    '    public static int Main()',
    '    {',
    indent(
      '        ',
      values(plan),
      '',
      request,
      '    using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })',
      '    using (HttpResponseMessage response = client.SendAsync(request).GetAwaiter().GetResult())',
      '    {',
      '        byte[] data = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();',
      '        if (!response.IsSuccessStatusCode)',
      '        {',
      '            Console.Error.WriteLine("HTTP " + (int)response.StatusCode);',
      '            Write(Console.OpenStandardError(), data);',
      '            return 1;',
      '        }',
      '        Write(Console.OpenStandardOutput(), data);',
      '        return 0;',
      '    }',
      '}',
    ),
    '    }',
    '',
    indent(
      '    ',
      "// The body's bytes as received, then a newline: Console.Out would re-encode text in the locale's charset.",
      'static void Write(Stream stream, byte[] data)',
      '{',
      '    stream.Write(data, 0, data.Length);',
      "    stream.WriteByte((byte)'\\n');",
      '    stream.Flush();',
      '}',
      plan.call === 'refresh' && [
        '',
        '// A JSON string literal: quotes, backslashes and control characters escaped.',
        'static string Json(string value)',
        '{',
        '    var json = new StringBuilder("\\"");',
        '    foreach (char c in value)',
        '    {',
        "        if (c == '\"' || c == '\\\\') json.Append('\\\\').Append(c);",
        '        else if (c < 0x20) json.Append("\\\\u").Append(((int)c).ToString("x4"));',
        '        else json.Append(c);',
        '    }',
        "    return json.Append('\"').ToString();",
        '}',
      ],
      envNames(plan).length > 0 && ENV_HELPER,
    ),
    '}',
  );
}

/** The vendor's example (Dropbox.Sign: OAuthApi / AccountApi), made complete. */
export function csharpSdk(plan: Plan): string {
  const call =
    plan.call === 'account'
      ? [
          'config.AccessToken = accessToken;',
          plan.customHost && `config.BasePath = ${csharpString(`${plan.host}/v3`)};`,
          '',
          'try',
          '{',
          '    var response = new AccountApi(config).AccountGet();',
        ]
      : [
          plan.customHost && [
            "// The SDK sends this call to its operation's own server (https://app.hellosign.com): replace it.",
            'config.OperationServers = new Dictionary<string, List<IReadOnlyDictionary<string, object>>>',
            '{',
            '    {',
            '        "OAuthApi.OauthTokenRefresh",',
            '        new List<IReadOnlyDictionary<string, object>>',
            '        {',
            `            new Dictionary<string, object> { { "url", ${csharpString(plan.host)} }, { "description", "OAuth host" } },`,
            '        }',
            '    },',
            '};',
          ],
          plan.basic && [
            '// HTTP Basic client authentication: the SDK has no setting for it on this call.',
            CREDENTIALS,
            'config.DefaultHeaders.Add("Authorization", "Basic " + credentials);',
          ],
          '',
          'var oAuthTokenRefreshRequest = new OAuthTokenRefreshRequest(',
          '    grantType: "refresh_token",',
          plan.inBody
            ? ['    refreshToken: refreshToken,', '    clientId: clientId,', '    clientSecret: clientSecret']
            : '    refreshToken: refreshToken',
          ');',
          '',
          'try',
          '{',
          '    var response = new OAuthApi(config).OauthTokenRefresh(',
          '        oAuthTokenRefreshRequest: oAuthTokenRefreshRequest',
          '    );',
        ];
  const basic = plan.call === 'refresh' && plan.basic;
  return program(
    comment(
      '//',
      introText(plan, 'dotnet add package Dropbox.Sign', 'dotnet run (with this file as Program.cs)'),
    ),
    'using System;',
    plan.call === 'refresh' && plan.customHost && 'using System.Collections.Generic;',
    basic && 'using System.Text;',
    'using Dropbox.Sign.Api;',
    'using Dropbox.Sign.Client;',
    plan.call === 'refresh' && 'using Dropbox.Sign.Model;',
    '',
    'public static class Program',
    '{',
    '    public static int Main()',
    '    {',
    indent(
      '        ',
      values(plan),
      '',
      'var config = new Configuration();',
      call,
      '    Console.WriteLine(response.ToJson());',
      '    return 0;',
      '}',
      'catch (ApiException e)',
      '{',
      '    // The message holds the response body.',
      '    Console.Error.WriteLine("HTTP " + e.ErrorCode);',
      '    Console.Error.WriteLine(e.Message);',
      '    return 1;',
      '}',
    ),
    '    }',
    envNames(plan).length > 0 && indent('    ', ENV_HELPER),
    '}',
  );
}
