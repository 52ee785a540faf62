package auth

import "context"

// contextKey is the type of this package's context keys. Pointer values of
// an unexported type cannot collide with keys of any other package.
type contextKey struct{ name string }

var principalKey = &contextKey{"auth.principal"}

// WithPrincipal returns a copy of ctx carrying p. [Middleware] calls it for
// every accepted request; adapters (auth/echoauth) and tests of handlers
// that read [PrincipalFromContext] can call it too.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFromContext returns the Principal stored by [Middleware] (or
// [WithPrincipal]) and whether there was one.
func PrincipalFromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey).(Principal)
	return p, ok
}
