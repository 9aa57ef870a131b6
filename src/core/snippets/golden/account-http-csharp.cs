// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: mono (mcs) or .NET, no packages
// Run: mcs -r:System.Net.Http.dll Program.cs && mono Program.exe
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

public static class Program
{
    public static int Main()
    {
        string accessToken = Env("DROPBOX_SIGN_ACCESS_TOKEN");

        using (var request = new HttpRequestMessage(HttpMethod.Get, "https://api.hellosign.com/v3/account"))
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            using (HttpResponseMessage response = client.SendAsync(request).GetAwaiter().GetResult())
            {
                byte[] data = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine("HTTP " + (int)response.StatusCode);
                    Write(Console.OpenStandardError(), data);
                    return 1;
                }
                Write(Console.OpenStandardOutput(), data);
                return 0;
            }
        }
    }

    // The body's bytes as received, then a newline: Console.Out would re-encode text in the locale's charset.
    static void Write(Stream stream, byte[] data)
    {
        stream.Write(data, 0, data.Length);
        stream.WriteByte((byte)'\n');
        stream.Flush();
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
