package echoauth_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/echov5/echoauth"
	"github.com/labstack/echo/v5"
)

// Protect an echo v5 route with the same token set as a net/http one; a
// refusal goes through echo's HTTPErrorHandler, whose default writes the
// CAMARA ErrorInfo body.
func Example() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{{Name: "nac-qod", Token: "c2lua3Rva2VuLWV4YW1wbGU"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	mw, err := echoauth.Config{Verifier: tokens}.ToMiddleware()
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.POST("/notifications", func(c *echo.Context) error {
		p, _ := echoauth.PrincipalFrom(c)
		fmt.Println("accepted, credential:", p.Name)
		return c.NoContent(http.StatusNoContent)
	}, mw)

	for _, header := range []string{"Bearer c2lua3Rva2VuLWV4YW1wbGU", "Bearer wrong"} {
		r := httptest.NewRequest(http.MethodPost, "/notifications", strings.NewReader("{}"))
		r.Header.Set("Authorization", header)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprint(w.Code, " ", w.Header().Get("WWW-Authenticate"), " ", w.Body.String())))
	}
	// Output:
	// accepted, credential: nac-qod
	// 204
	// 401 Bearer realm="camarahooks", error="invalid_token" {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}
}
