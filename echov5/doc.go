// Package echov5 is the root of the module that holds camarahooks'
// adapters for labstack/echo v5, apart from the library's module so that an
// echo v4 or net/http user's module graph never lists echo v5, and a v5
// user's never needs v4 for them:
//
//   - [github.com/camarahooks/camarahooks/echov5/echoreceiver] serves a
//     receiver on echo v5 routes;
//   - [github.com/camarahooks/camarahooks/echov5/echoauth] is the token
//     check alone as echo v5 middleware.
//
// They mirror auth/echoauth and receiver/echoreceiver of the library's
// module, which stay on echo v4: moving an application from v4 to v5 is an
// import path change (plus echo's own *echo.Context), and the answers are
// the same statuses, headers and CAMARA ErrorInfo bodies as on net/http.
package echov5
