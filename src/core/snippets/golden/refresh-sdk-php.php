<?php

// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body.
// Reads the client secret and the refresh token from the environment (the client ID is not secret):
//   DROPBOX_SIGN_CLIENT_SECRET
//   DROPBOX_SIGN_REFRESH_TOKEN
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

$client_id = 'cc91c61d00f8bb2ece1428035716b';
$client_secret = env('DROPBOX_SIGN_CLIENT_SECRET');
$refresh_token = env('DROPBOX_SIGN_REFRESH_TOKEN');

$config = Dropbox\Sign\Configuration::getDefaultConfiguration();
$o_auth_api = new Dropbox\Sign\Api\OAuthApi(config: $config);

$o_auth_token_refresh_request = (new Dropbox\Sign\Model\OAuthTokenRefreshRequest())
    ->setGrantType('refresh_token')
    ->setRefreshToken($refresh_token)
    ->setClientId($client_id)
    ->setClientSecret($client_secret);

try {
    $response = $o_auth_api->oauthTokenRefresh(
        o_auth_token_refresh_request: $o_auth_token_refresh_request,
    );
    // The models serialize to the JSON names (JsonSerializable).
    echo json_encode($response, JSON_UNESCAPED_SLASHES), PHP_EOL;
} catch (Dropbox\Sign\ApiException $e) {
    fwrite(STDERR, 'HTTP ' . $e->getCode() . PHP_EOL . $e->getResponseBody() . PHP_EOL);
    exit(1);
}
