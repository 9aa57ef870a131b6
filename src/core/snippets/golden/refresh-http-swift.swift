// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body.
// Reads the client secret and the refresh token from the environment (the client ID is not secret):
//   DROPBOX_SIGN_CLIENT_SECRET
//   DROPBOX_SIGN_REFRESH_TOKEN
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

let clientId = "cc91c61d00f8bb2ece1428035716b"
let clientSecret = env("DROPBOX_SIGN_CLIENT_SECRET")
let refreshToken = env("DROPBOX_SIGN_REFRESH_TOKEN")

var request = URLRequest(url: URL(string: "https://app.hellosign.com/oauth/token?refresh")!, timeoutInterval: 30)
request.httpMethod = "POST"
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
request.setValue("application/json", forHTTPHeaderField: "Accept")
request.httpBody = try! JSONSerialization.data(withJSONObject: [
    "grant_type": "refresh_token",
    "refresh_token": refreshToken,
    "client_id": clientId,
    "client_secret": clientSecret,
])

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
