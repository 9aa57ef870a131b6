<?php

// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: PHP 8 with the openssl extension (php-cli has it)
// Run: php snippet.php
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.

// The environment variable's value; stops with a message when it is unset or empty.
function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fwrite(STDERR, "Set the environment variable $name\n");
        exit(2);
    }
    return $value;
}

$access_token = env('DROPBOX_SIGN_ACCESS_TOKEN');

$context = stream_context_create([
    'http' => [
        'method' => 'GET',
        'header' => "Accept: application/json\r\nAuthorization: Bearer $access_token",
        'ignore_errors' => true, // a 4xx/5xx answer's body is wanted too
        'timeout' => 30,
    ],
]);
$response = file_get_contents('https://api.hellosign.com/v3/account', false, $context);
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
