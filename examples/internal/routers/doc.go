// Package routers holds tests that mount a receiver on third-party
// routers, such as go-chi/chi: the receiver answers every path it is
// mounted at, so it must work under a router's prefixes and patterns. The
// tests live in the examples module so that the library module never
// depends on a router.
package routers
