<?php

// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: composer require dropbox/sign
// Run: php snippet.php
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
require_once __DIR__ . '/vendor/autoload.php';

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

$config = Dropbox\Sign\Configuration::getDefaultConfiguration();
$config->setAccessToken($access_token);

try {
    $response = (new Dropbox\Sign\Api\AccountApi(config: $config))->accountGet();
    // The models serialize to the JSON names (JsonSerializable).
    echo json_encode($response, JSON_UNESCAPED_SLASHES), PHP_EOL;
} catch (Dropbox\Sign\ApiException $e) {
    fwrite(STDERR, 'HTTP ' . $e->getCode() . PHP_EOL . $e->getResponseBody() . PHP_EOL);
    exit(1);
}
