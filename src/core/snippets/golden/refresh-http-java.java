// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body.
// Reads the client secret and the refresh token from the environment (the client ID is not secret):
//   DROPBOX_SIGN_CLIENT_SECRET
//   DROPBOX_SIGN_REFRESH_TOKEN
// Needs: Java 17 or later (no libraries)
// Run: java Main.java
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public class Main {
    public static void main(String[] args) throws Exception {
        String clientId = "cc91c61d00f8bb2ece1428035716b";
        String clientSecret = env("DROPBOX_SIGN_CLIENT_SECRET");
        String refreshToken = env("DROPBOX_SIGN_REFRESH_TOKEN");

        String body = "{\"grant_type\":\"refresh_token\""
                + ",\"refresh_token\":" + json(refreshToken)
                + ",\"client_id\":" + json(clientId)
                + ",\"client_secret\":" + json(clientSecret)
                + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://app.hellosign.com/oauth/token?refresh"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
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

    /** The environment variable's value; stops with a message when it is unset or empty. */
    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            System.err.println("Set the environment variable " + name);
            System.exit(2);
        }
        return value;
    }
}
