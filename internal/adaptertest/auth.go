package adaptertest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// The challenges of the auth middleware's answers.
const (
	ChallengeMissing = `Bearer realm="camarahooks"`
	ChallengeInvalid = `Bearer realm="camarahooks", error="invalid_token"`
	ChallengeScope   = `Bearer realm="camarahooks", error="insufficient_scope"`
)

// Verifier is a TokenSet of "token-live" (credential "live") and
// "token-bound" (credential "bound", subscriptions sub-1 and sub-2),
// except that "token-forbidden" is refused with auth.ErrForbidden and
// "token-broken" with an error that is neither 401 nor 403.
func Verifier(t *testing.T) auth.Verifier {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "live", Token: "token-live"},
		{Name: "bound", Token: "token-bound", SubscriptionIDs: []string{"sub-1", "sub-2"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return auth.VerifierFunc(func(r *http.Request) (auth.Principal, error) {
		switch r.Header.Get("Authorization") {
		case "Bearer token-forbidden":
			return auth.Principal{}, auth.ErrForbidden
		case "Bearer token-broken":
			return auth.Principal{}, errors.New("introspection endpoint unreachable")
		}
		return ts.Verify(r)
	})
}

// Post sends a POST to url with the Authorization header (none if "").
func Post(t *testing.T, url, header string) (status int, challenge []string, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Values("WWW-Authenticate"), string(b)
}

// WriteErrorBody is what auth.WriteError answers for err, the net/http
// answer that an adapter's must equal.
func WriteErrorBody(err error) string {
	rec := httptest.NewRecorder()
	auth.WriteError(rec, err)
	return rec.Body.String()
}

// SameAuthAnswers posts each case of the table to base+"/notifications", a
// route behind the adapter's middleware with [Verifier], whose handler
// answers 200 with the Principal's Name, a space and its Subscriptions
// joined by commas (500 if the middleware stored no Principal): a failure
// must be answered with the status, the challenge and the body of
// auth.WriteError. base+"/health" must be a route with the same handler
// that the middleware's Skipper skips: it must answer 500 to a request
// without a token (the handler ran, without a Principal).
func SameAuthAnswers(t *testing.T, base string) {
	t.Helper()
	url := base + "/notifications"
	tests := []struct {
		name, header  string
		wantStatus    int
		wantChallenge string // exact; "" means absent
		wantErr       error  // for failures: the body must be WriteError's for it
		wantBody      string // for 200
	}{
		{"valid", "Bearer token-live", 200, "", nil, "live "},
		{"case and spaces", "  bEaReR token-live ", 200, "", nil, "live "},
		{"bound, Subscriptions reach the handler", "Bearer token-bound", 200, "", nil, "bound sub-1,sub-2"},
		{"missing is 401, not 400", "", 401, ChallengeMissing, auth.ErrMissingToken, ""},
		{"basic scheme", "Basic dG9rZW4tbGl2ZQ==", 401, ChallengeMissing, auth.ErrMissingToken, ""},
		{"malformed", "Bearer Bearer token-live", 401, ChallengeInvalid, auth.ErrInvalidToken, ""},
		{"wrong", "Bearer token-dead", 401, ChallengeInvalid, auth.ErrInvalidToken, ""},
		{"forbidden", "Bearer token-forbidden", 403, ChallengeScope, auth.ErrForbidden, ""},
		{"verifier failure", "Bearer token-broken", 500, "", errors.New("any"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, challenge, body := Post(t, url, tt.header)
			if status != tt.wantStatus {
				t.Fatalf("got status %d (body %s), want %d", status, body, tt.wantStatus)
			}
			if tt.wantChallenge == "" && len(challenge) != 0 ||
				tt.wantChallenge != "" && (len(challenge) != 1 || challenge[0] != tt.wantChallenge) {
				t.Errorf("got WWW-Authenticate %q, want %q", challenge, tt.wantChallenge)
			}
			want := tt.wantBody
			if status != http.StatusOK {
				// echo's JSON encoder ends the body with a newline.
				body = strings.TrimSuffix(body, "\n")
				want = WriteErrorBody(tt.wantErr)
			}
			if body != want {
				t.Errorf("got body %q, want %q", body, want)
			}
		})
	}

	t.Run("skipped", func(t *testing.T) {
		if status, _, body := Post(t, base+"/health", ""); status != http.StatusInternalServerError {
			t.Errorf("got status %d (body %s), want 500 (handler ran without a principal)", status, body)
		}
	})
}
