package wire

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// jsonNames returns the JSON member names encoding/json decodes into t:
// the tag names of its fields, with embedded structs' names promoted, and
// fields tagged "-" left out.
func jsonNames(t reflect.Type) []string {
	if t.Kind() == reflect.Pointer { // an embedded pointer's fields are promoted too
		t = t.Elem()
	}
	var names []string
	for f := range t.Fields() {
		tag, ok := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Anonymous && !ok:
			names = append(names, jsonNames(f.Type)...)
		case name == "-", !f.IsExported():
		case name == "":
			names = append(names, f.Name)
		default:
			names = append(names, name)
		}
	}
	return names
}

// TestFastPathNameLists holds the decoder's hand-kept name lists to the
// struct tags: a member the lists miss would be skipped by the decoder,
// where encoding/json decodes it into its field.
func TestFastPathNameLists(t *testing.T) {
	tests := []struct {
		name string
		typ  reflect.Type
		list []string
	}{
		{"topLevelNames", reflect.TypeFor[Event](), topLevelNames},
		{"dataNames", reflect.TypeFor[Data](), dataNames},
		{"deviceNames", reflect.TypeFor[Device](), deviceNames},
		{"ipv4Names", reflect.TypeFor[IPv4](), ipv4Names},
		{"legacyNames", reflect.TypeFor[LegacyObject](), legacyNames},
		{"ueidNames", reflect.TypeFor[UEID](), ueidNames},
		{"bookingRefNames", reflect.TypeFor[BookingRef](), bookingRefNames},
		{"kpiNames", reflect.TypeFor[KPIs](), kpiNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := jsonNames(tt.typ)
			slices.Sort(want)
			got := slices.Sorted(slices.Values(tt.list))
			if !slices.Equal(got, want) {
				t.Errorf("%s = %q,\nthe tags of %s say %q", tt.name, got, tt.typ, want)
			}
		})
	}
}
