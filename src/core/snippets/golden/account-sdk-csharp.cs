// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: dotnet add package Dropbox.Sign
// Run: dotnet run (with this file as Program.cs)
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
using System;
using Dropbox.Sign.Api;
using Dropbox.Sign.Client;

public static class Program
{
    public static int Main()
    {
        string accessToken = Env("DROPBOX_SIGN_ACCESS_TOKEN");

        var config = new Configuration();
        config.AccessToken = accessToken;

        try
        {
            var response = new AccountApi(config).AccountGet();
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
