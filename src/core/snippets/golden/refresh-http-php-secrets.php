<?php

// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
// Holds the client secret and refresh token in clear: keep this file private and out of version control.
// Needs: PHP 8 with the openssl extension (php-cli has it)
// Run: php snippet.php
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.

$client_id = 'cc91c61d00f8bb2ece1428035716b';
$client_secret = "s3cr\"et'\\n \$HOME #{x} {\$y} %s ?> `id`\n\tend\x07 \u{e9} \u{1f600}";
$refresh_token = "r\"t'\\ \$(id) #{y}\r\n\u{e9}\u{1f600}";

$body = json_encode([
    'grant_type' => 'refresh_token',
    'refresh_token' => $refresh_token,
    'client_id' => $client_id,
    'client_secret' => $client_secret,
], JSON_THROW_ON_ERROR);
$headers = [
    'Content-Type: application/json',
    'Accept: application/json',
    'Authorization: Basic ' . base64_encode($client_id . ':' . $client_secret),
];
$context = stream_context_create([
    'http' => [
        'method' => 'POST',
        'header' => implode("\r\n", $headers),
        'content' => $body,
        'ignore_errors' => true, // a 4xx/5xx answer's body is wanted too
        'timeout' => 30,
    ],
]);
$response = file_get_contents('https://app.hellosign.com/oauth/token?refresh', false, $context);
if ($response === false) {
    fwrite(STDERR, "The request failed\n");
    exit(1);
}
// The last status line: after a redirect, there is one per response.
$status = 0;
foreach ($http_response_header as $line) {
    if (preg_match('#^HTTP/\S+ (\d{3})#', $line, $match)) {
        $status = (int) $match[1];
    }
}
if ($status < 200 || $status > 299) {
    fwrite(STDERR, "HTTP $status\n$response\n");
    exit(1);
}
echo $response, PHP_EOL;
