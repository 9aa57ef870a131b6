// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body.
// Reads the client secret and the refresh token from the environment (the client ID is not secret):
//   DROPBOX_SIGN_CLIENT_SECRET
//   DROPBOX_SIGN_REFRESH_TOKEN
// Needs: dotnet add package Dropbox.Sign
// Run: dotnet run (with this file as Program.cs)
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
using System;
using Dropbox.Sign.Api;
using Dropbox.Sign.Client;
using Dropbox.Sign.Model;

public static class Program
{
    public static int Main()
    {
        string clientId = "cc91c61d00f8bb2ece1428035716b";
        string clientSecret = Env("DROPBOX_SIGN_CLIENT_SECRET");
        string refreshToken = Env("DROPBOX_SIGN_REFRESH_TOKEN");

        var config = new Configuration();

        var oAuthTokenRefreshRequest = new OAuthTokenRefreshRequest(
            grantType: "refresh_token",
            refreshToken: refreshToken,
            clientId: clientId,
            clientSecret: clientSecret
        );

        try
        {
            var response = new OAuthApi(config).OauthTokenRefresh(
                oAuthTokenRefreshRequest: oAuthTokenRefreshRequest
            );
            Console.WriteLine(response.ToJson());
            return 0;
        }
        catch (ApiException e)
        {
            // The message holds the response body.
            Console.Error.WriteLine("HTTP " + e.ErrorCode);
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    // The environment variable's value; stops with a message when it is unset or empty.
    static string Env(string name)
    {
        string value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
        {
            Console.Error.WriteLine("Set the environment variable " + name);
            Environment.Exit(2);
        }
        return value;
    }
}
