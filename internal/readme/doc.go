// Package readme holds the test that keeps README.md true: every Go code
// block in it must be a contiguous excerpt of a test file (an Example that
// runs, in practice), and every command in its shell blocks must name
// something that exists. It has no code of its own.
package readme
