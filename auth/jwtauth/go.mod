module github.com/camarahooks/camarahooks/auth/jwtauth

go 1.26.0

replace github.com/camarahooks/camarahooks => ../../

require (
	github.com/camarahooks/camarahooks v0.0.0-00010101000000-000000000000
	github.com/go-jose/go-jose/v4 v4.1.9
)
