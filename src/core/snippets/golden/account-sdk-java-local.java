// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: the com.dropbox.sign:dropbox-sign library (Maven Central)
// Run: java -cp <the SDK and its dependencies> Main.java
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import com.dropbox.sign.ApiException;
import com.dropbox.sign.Configuration;
import com.dropbox.sign.JSON;
import com.dropbox.sign.api.AccountApi;
import com.dropbox.sign.auth.HttpBearerAuth;

public class Main {
    public static void main(String[] args) throws Exception {
        String accessToken = env("DROPBOX_SIGN_ACCESS_TOKEN");

        var config = Configuration.getDefaultApiClient();
        ((HttpBearerAuth) config.getAuthentication("oauth2")).setBearerToken(accessToken);
        config.setBasePath("http://127.0.0.1:8443/v3");

        try {
            var response = new AccountApi(config).accountGet(null, null);
            System.out.println(JSON.getDefault().getMapper().writeValueAsString(response));
        } catch (ApiException e) {
            System.err.println("HTTP " + e.getCode());
            System.err.println(e.getResponseBody());
            System.exit(1);
        }
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
