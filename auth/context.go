package auth

import "context"

// contextKey is the type of this package's context keys. Pointer values of
// an unexported type cannot collide with keys of any other package.
type contextKey struct{ name string }

var (
	principalKey = &contextKey{"auth.principal"}
	mountKey     = &contextKey{"auth.mount"}
)

// WithPrincipal returns a copy of ctx carrying p. [Middleware] calls it for
// every accepted request; adapters (auth/echoauth) and tests of handlers
// that read [PrincipalFromContext] can call it too.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFromContext returns the Principal stored by [Middleware] (or
// [WithPrincipal]) and whether there was one. It is safe for concurrent use
// and does not allocate.
func PrincipalFromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey).(Principal)
	return p, ok
}

// WithMount returns a copy of ctx that names the mount (for example "/qod"
// or "/notifications") a request arrived on. A [TokenSet] checks credentials
// bound to mounts against this value instead of the request's URL path,
// which matters when a router strips prefixes or routes by other means. An
// empty mount removes nothing but is treated as "not set".
func WithMount(ctx context.Context, mount string) context.Context {
	return context.WithValue(ctx, mountKey, mount)
}

// MountFromContext returns the mount set by [WithMount], or "" and false.
// It is safe for concurrent use and does not allocate.
func MountFromContext(ctx context.Context) (string, bool) {
	m, ok := ctx.Value(mountKey).(string)
	if m == "" {
		return "", false
	}
	return m, ok
}
