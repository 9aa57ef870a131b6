// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
// Holds the client secret and refresh token in clear: keep this file private and out of version control.
// Needs: Java 17 or later (no libraries)
// Run: java Main.java
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

public class Main {
    public static void main(String[] args) throws Exception {
        String clientId = "cc91c61d00f8bb2ece1428035716b";
        String clientSecret = "s3cr\"et'\\n $HOME #{x} {$y} %s ?> `id`\n\tend\007 \u00e9 \ud83d\ude00";
        String refreshToken = "r\"t'\\ $(id) #{y}\r\n\u00e9\ud83d\ude00";

        String body = "{\"grant_type\":\"refresh_token\""
                + ",\"refresh_token\":" + json(refreshToken)
                + ",\"client_id\":" + json(clientId)
                + ",\"client_secret\":" + json(clientSecret)
                + "}";
        String credentials = Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://app.hellosign.com/oauth/token?refresh"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            System.err.println("HTTP " + response.statusCode());
            System.err.write(response.body());
            System.err.println();
            System.exit(1);
        }
        // The body's bytes as received: System.out would re-encode text in the platform charset.
        System.out.write(response.body());
        System.out.println();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
