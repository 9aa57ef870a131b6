// Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
// Reads the access token from the environment:
//   DROPBOX_SIGN_ACCESS_TOKEN
// Needs: Go (standard library only)
// Run: go run main.go
// Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// env returns the environment variable's value; it stops with a message when it is unset or empty.
func env(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fmt.Fprintf(os.Stderr, "Set the environment variable %s\n", name)
		os.Exit(2)
	}
	return value
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	accessToken := env("DROPBOX_SIGN_ACCESS_TOKEN")

	req, err := http.NewRequest(http.MethodGet, "https://api.hellosign.com/v3/account", nil)
	if err != nil {
		fail(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+accessToken)

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
