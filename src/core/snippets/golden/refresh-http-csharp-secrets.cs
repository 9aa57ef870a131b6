// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
// Holds the client secret and refresh token in clear: keep this file private and out of version control.
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
        string clientId = "cc91c61d00f8bb2ece1428035716b";
        string clientSecret = "s3cr\"et'\\n $HOME #{x} {$y} %s ?> `id`\n\tend\u0007 \u00e9 \ud83d\ude00";
        string refreshToken = "r\"t'\\ $(id) #{y}\r\n\u00e9\ud83d\ude00";

        string body = "{\"grant_type\":\"refresh_token\""
            + ",\"refresh_token\":" + Json(refreshToken)
            + ",\"client_id\":" + Json(clientId)
            + ",\"client_secret\":" + Json(clientSecret)
            + "}";
        string credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + clientSecret));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "https://app.hellosign.com/oauth/token?refresh"))
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            // Exactly "application/json": StringContent would add "; charset=utf-8".
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
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

    // A JSON string literal: quotes, backslashes and control characters escaped.
    static string Json(string value)
    {
        var json = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c == '"' || c == '\\') json.Append('\\').Append(c);
            else if (c < 0x20) json.Append("\\u").Append(((int)c).ToString("x4"));
            else json.Append(c);
        }
        return json.Append('"').ToString();
    }
}
