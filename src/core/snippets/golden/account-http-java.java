// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
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
        String accessToken = env("DROPBOX_SIGN_ACCESS_TOKEN");

        HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.hellosign.com/v3/account"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken)
                .GET()
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
