package jwtauth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/jwtauth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// A sink that accepts access tokens issued by the application's own
// authorization server (CAMARA PRIVATE_KEY_JWT sink credentials). Here the
// authorization server is a stand-in on loopback that publishes one EC
// key; in production Issuer and Audience are all you configure, and the
// key set is discovered from the issuer.
func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwk := jose.JSONWebKey{Key: key, KeyID: "as-key-1", Use: "sig"}
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk.Public()}})
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(jwks)
	}))
	defer as.Close()

	v, err := jwtauth.New(jwtauth.Config{
		Issuer:   "https://auth.example.com",
		Audience: []string{"https://app.example.com/notifications"},
		JWKSURL:  as.URL + "/jwks", // omit to discover it from Issuer
	})
	if err != nil {
		panic(err) // a configuration error
	}
	sink := auth.Middleware(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.PrincipalFromContext(r.Context())
		fmt.Println("accepted, sender:", p.Name)
		w.WriteHeader(http.StatusNoContent)
	}))

	// What the network sends: a token it obtained from the authorization
	// server with its private_key_jwt client credentials.
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jwk}, nil)
	token := func(aud string) string {
		t, _ := jwt.Signed(signer).Claims(jwt.Claims{
			Issuer: "https://auth.example.com", Subject: "network-operator-client",
			Audience: jwt.Audience{aud}, Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)),
		}).Serialize()
		return t
	}
	for _, aud := range []string{"https://app.example.com/notifications", "https://other.example.com"} {
		r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
		r.Header.Set("Authorization", "Bearer "+token(aud))
		w := httptest.NewRecorder()
		sink.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Values("WWW-Authenticate"))
	}
	// Output:
	// accepted, sender: network-operator-client
	// 204 []
	// 401 [Bearer realm="camarahooks", error="invalid_token"]
}

// JWT sink credentials on a receiver, as the README shows them: Issuer and
// Audience are the whole configuration, the key set is found by OpenID
// Connect discovery. The authorization server is a stand-in on loopback.
func Example_receiver() {
	issuer, token, stop := standInAuthServer()
	defer stop()
	handlers := receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
			fmt.Println("session", e.SessionID, e.Status)
			return nil
		},
	}

	verifier, err := jwtauth.New(jwtauth.Config{
		Issuer:   issuer,                                            // your authorization server, as its tokens' iss says
		Audience: []string{"https://app.example.com/notifications"}, // the aud it issues for this sink
	})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: verifier, Handler: handlers})
	if err != nil {
		log.Fatal(err)
	}

	for _, aud := range []string{"https://app.example.com/notifications", "https://other.example.com"} {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, receivertest.NewRequest("/qod", receivertest.Notification{
			Kind: events.KindQoSStatusChanged, Token: token(aud),
			Data: map[string]any{"sessionId": "s-42", "qosStatus": "AVAILABLE"},
		}))
		fmt.Println(w.Code)
	}
	// Output:
	// session s-42 AVAILABLE
	// 204
	// 401
}

// standInAuthServer serves an issuer's OpenID configuration and key set on
// loopback, and returns the issuer, a function that signs access tokens for
// an audience as the server would, and a function that stops it.
func standInAuthServer() (issuer string, token func(aud string) string, stop func()) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwk := jose.JSONWebKey{Key: key, KeyID: "as-key-1", Use: "sig"}
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk.Public()}})
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/jwks"})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(jwks) })
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jwk}, nil)
	token = func(aud string) string {
		t, _ := jwt.Signed(signer).Claims(jwt.Claims{
			Issuer: srv.URL, Subject: "network-operator-client",
			Audience: jwt.Audience{aud}, Expiry: jwt.NewNumericDate(time.Now().Add(time.Hour)),
		}).Serialize()
		return t
	}
	return srv.URL, token, srv.Close
}
