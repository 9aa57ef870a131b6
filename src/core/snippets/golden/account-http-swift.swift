// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: Swift 5 with Foundation (no packages)
// Run: swift main.swift
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking // URLSession on Linux
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

/// The environment variable's value; stops with a message when it is unset or empty.
func env(_ name: String) -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        fail("Set the environment variable \(name)")
    }
    return value
}

let accessToken = env("DROPBOX_SIGN_ACCESS_TOKEN")

var request = URLRequest(url: URL(string: "https://api.hellosign.com/v3/account")!, timeoutInterval: 30)
request.setValue("application/json", forHTTPHeaderField: "Accept")
request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")

let done = DispatchSemaphore(value: 0)
URLSession.shared.dataTask(with: request) { data, response, error in
    if let error = error {
        fail("\(error)")
    }
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let body = String(decoding: data ?? Data(), as: UTF8.self)
    if !(200...299).contains(status) {
        fail("HTTP \(status)\n\(body)")
    }
    print(body)
    done.signal()
}.resume()
done.wait()
