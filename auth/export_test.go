package auth

// The reasons of ErrInvalidToken, for the tests of package auth_test.
var (
	ErrMalformedToken = errMalformedToken
	ErrExpiredToken   = errExpiredToken
)
