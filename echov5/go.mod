module github.com/camarahooks/camarahooks/echov5

go 1.26.0

require (
	github.com/camarahooks/camarahooks v0.0.0
	github.com/labstack/echo/v5 v5.4.4
)

require (
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/time v0.15.0 // indirect
)

// The library in this repository, so that this module builds and tests
// against the working tree with GOWORK=off too.
replace github.com/camarahooks/camarahooks => ../
