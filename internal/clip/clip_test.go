package clip_test

import (
	"testing"

	"github.com/camarahooks/camarahooks/internal/clip"
)

func TestString(t *testing.T) {
	for _, tt := range []struct {
		s    string
		max  int
		want string
	}{
		{"", 4, ""},
		{"abcd", 4, "abcd"},
		{"abcde", 4, "abcd..."},
		{"ab€", 4, "ab..."}, // € is 3 bytes: not cut inside it
		{"€€", 3, "€..."},
		{"x", 0, "..."},
	} {
		if got := clip.String(tt.s, tt.max); got != tt.want {
			t.Errorf("String(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}
