// Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
// Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
// Holds the client secret and refresh token in clear: keep this file private and out of version control.
// Needs: Go (standard library only)
// Run: go run main.go
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	clientID := "cc91c61d00f8bb2ece1428035716b"
	clientSecret := "s3cr\"et'\\n $HOME #{x} {$y} %s ?> `id`\n\tend\x07 \u00e9 \U0001f600"
	refreshToken := "r\"t'\\ $(id) #{y}\r\n\u00e9\U0001f600"

	body, err := json.Marshal(map[string]string{
		"grant_type":    "refresh_token",
		"refresh_token": refreshToken,
		"client_id":     clientID,
		"client_secret": clientSecret,
	})
	if err != nil {
		fail(err)
	}
	req, err := http.NewRequest(http.MethodPost, "https://app.hellosign.com/oauth/token?refresh", bytes.NewReader(body))
	if err != nil {
		fail(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(clientID, clientSecret)

	client := &http.Client{Timeout: 30 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		fail(err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		fmt.Fprintf(os.Stderr, "HTTP %d\n%s\n", res.StatusCode, data)
		os.Exit(1)
	}
	fmt.Println(string(data))
}
