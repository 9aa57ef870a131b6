import { swiftString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${swiftString(secret.name)})` : swiftString(secret.value);

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`let accessToken = ${value(plan.accessToken)}`];
  return [
    `let clientId = ${swiftString(plan.clientId)}`,
    `let clientSecret = ${value(plan.clientSecret)}`,
    `let refreshToken = ${value(plan.refreshToken)}`,
  ];
}

/**
 * Foundation's URLSession, waited for with a semaphore (a script has no run loop of its own). Swift has no
 * official Dropbox Sign SDK. The completion handler exits on failure itself: it runs on another thread,
 * where writing a variable of the main code would be a data race.
 */
export function swiftHttp(plan: Plan): string {
  const request =
    plan.call === 'account'
      ? [
          `var request = URLRequest(url: URL(string: ${swiftString(plan.url)})!, timeoutInterval: 30)`,
          'request.setValue("application/json", forHTTPHeaderField: "Accept")',
          'request.setValue("Bearer \\(accessToken)", forHTTPHeaderField: "Authorization")',
        ]
      : [
          `var request = URLRequest(url: URL(string: ${swiftString(plan.url)})!, timeoutInterval: 30)`,
          'request.httpMethod = "POST"',
          'request.setValue("application/json", forHTTPHeaderField: "Content-Type")',
          'request.setValue("application/json", forHTTPHeaderField: "Accept")',
          plan.basic && [
            'let credentials = Data("\\(clientId):\\(clientSecret)".utf8).base64EncodedString()',
            'request.setValue("Basic \\(credentials)", forHTTPHeaderField: "Authorization")',
          ],
          'request.httpBody = try! JSONSerialization.data(withJSONObject: [',
          '    "grant_type": "refresh_token",',
          '    "refresh_token": refreshToken,',
          plan.inBody && ['    "client_id": clientId,', '    "client_secret": clientSecret,'],
          '])',
        ];
  return program(
    comment('//', introText(plan, 'Swift 5 with Foundation (no packages)', 'swift main.swift')),
    'import Foundation',
    '#if canImport(FoundationNetworking)',
    'import FoundationNetworking // URLSession on Linux',
    '#endif',
    '',
    'func fail(_ message: String) -> Never {',
    '    FileHandle.standardError.write(Data((message + "\\n").utf8))',
    '    exit(1)',
    '}',
    envNames(plan).length > 0 && [
      '',
      "/// The environment variable's value; stops with a message when it is unset or empty.",
      'func env(_ name: String) -> String {',
      '    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {',
      '        fail("Set the environment variable \\(name)")',
      '    }',
      '    return value',
      '}',
    ],
    '',
    values(plan),
    '',
    request,
    '',
    'let done = DispatchSemaphore(value: 0)',
    'URLSession.shared.dataTask(with: request) { data, response, error in',
    '    if let error = error {',
    '        fail("\\(error)")',
    '    }',
    '    let status = (response as? HTTPURLResponse)?.statusCode ?? 0',
    '    let body = String(decoding: data ?? Data(), as: UTF8.self)',
    '    if !(200...299).contains(status) {',
    '        fail("HTTP \\(status)\\n\\(body)")',
    '    }',
    '    print(body)',
    '    done.signal()',
    '}.resume()',
    'done.wait()',
  );
}
