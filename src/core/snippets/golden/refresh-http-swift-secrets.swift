// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
// Holds the client secret and refresh token in clear: keep this file private and out of version control.
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

let clientId = "cc91c61d00f8bb2ece1428035716b"
let clientSecret = "s3cr\"et'\\n $HOME #{x} {$y} %s ?> `id`\n\tend\u{7} \u{e9} \u{1f600}"
let refreshToken = "r\"t'\\ $(id) #{y}\r\n\u{e9}\u{1f600}"

var request = URLRequest(url: URL(string: "https://app.hellosign.com/oauth/token?refresh")!, timeoutInterval: 30)
request.httpMethod = "POST"
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
request.setValue("application/json", forHTTPHeaderField: "Accept")
let credentials = Data("\(clientId):\(clientSecret)".utf8).base64EncodedString()
request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
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
