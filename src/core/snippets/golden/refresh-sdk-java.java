// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body.
// Reads the client secret and the refresh token from the environment (the client ID is not secret):
//   DROPBOX_SIGN_CLIENT_SECRET
//   DROPBOX_SIGN_REFRESH_TOKEN
// Needs: the com.dropbox.sign:dropbox-sign library (Maven Central)
// Run: java -cp <the SDK and its dependencies> Main.java
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import com.dropbox.sign.ApiException;
import com.dropbox.sign.Configuration;
import com.dropbox.sign.JSON;
import com.dropbox.sign.api.OAuthApi;
import com.dropbox.sign.model.OAuthTokenRefreshRequest;

public class Main {
    public static void main(String[] args) throws Exception {
        String clientId = "cc91c61d00f8bb2ece1428035716b";
        String clientSecret = env("DROPBOX_SIGN_CLIENT_SECRET");
        String refreshToken = env("DROPBOX_SIGN_REFRESH_TOKEN");

        var config = Configuration.getDefaultApiClient();

        var oAuthTokenRefreshRequest = new OAuthTokenRefreshRequest();
        oAuthTokenRefreshRequest.grantType("refresh_token");
        oAuthTokenRefreshRequest.refreshToken(refreshToken);
        oAuthTokenRefreshRequest.clientId(clientId);
        oAuthTokenRefreshRequest.clientSecret(clientSecret);

        try {
            var response = new OAuthApi(config).oauthTokenRefresh(oAuthTokenRefreshRequest);
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
