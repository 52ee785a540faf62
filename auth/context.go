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
	return &principalCtx{Context: ctx, p: p}
}

// principalCtx carries a Principal in one allocation, where
// context.WithValue would take two (the context and the boxed value): it
// runs on every request.
type principalCtx struct {
	context.Context
	p Principal
}

// Value returns a *Principal for this package's key, and asks the parent
// for any other key, as a context.WithValue context would.
func (c *principalCtx) Value(key any) any {
	if key == principalKey {
		return &c.p
	}
	return c.Context.Value(key)
}

// PrincipalFromContext returns the Principal stored by [Middleware] (or
// [WithPrincipal]) and whether there was one.
func PrincipalFromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey).(*Principal)
	if !ok {
		return Principal{}, false
	}
	return *p, true
}
