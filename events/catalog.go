package events

import "strings"

// CatalogEntry says which event kind a family of type strings decodes to.
type CatalogEntry struct {
	// Type is the type string pattern: org.camaraproject.<family>.v<N>.<event>
	// with "v<N>" standing for any version, or a legacy eventType (upper
	// case, without dots), the API of an asynchronous result (lower
	// case, without dots; see AsyncResult), or, for a kind whose body has
	// no type, the top-level members that identify it, in braces:
	// "{resource,action,outcome,current_slice_state}". The pattern
	// org.camaraproject.<api>.v<N>.subscription-started (and the other life
	// cycle names) stands for every API, listed or not.
	Type string
	// Kind is the Go kind it decodes to.
	Kind Kind
}

const typePrefix = "org.camaraproject."

// Catalog returns every type string pattern this package decodes to a kind
// other than [KindUnknown], CloudEvents types first (grouped by API family),
// then the life cycle of any API, then legacy eventTypes (grouped by kind),
// then the bodies without a type.
// For each kind, its first legacy entry is the eventType most senders use.
// The slice is new on each call.
func Catalog() []CatalogEntry {
	var out []CatalogEntry
	for _, f := range catalogFamilies {
		for _, ev := range f.events {
			out = append(out, CatalogEntry{Type: typePrefix + f.name + ".v<N>." + ev.name, Kind: ev.spec.kind})
		}
	}
	for _, s := range registry {
		for _, name := range s.lifecycle {
			out = append(out, CatalogEntry{Type: typePrefix + "<api>.v<N>." + name, Kind: s.kind})
		}
	}
	for _, l := range legacyTypes {
		out = append(out, CatalogEntry{Type: l.name, Kind: l.spec.kind})
	}
	for _, r := range resultTypes {
		out = append(out, CatalogEntry{Type: r.name, Kind: r.spec.kind})
	}
	for _, s := range registry {
		for _, b := range s.bodies {
			out = append(out, CatalogEntry{Type: b, Kind: s.kind})
		}
	}
	return out
}

// TypeFor returns the CloudEvents type string that the CAMARA API emitting
// kind k uses in major version version ("v0", "v1", ...): one of the
// [Catalog] patterns, with v<N> replaced by version. It returns "" when k
// is [KindUnknown], a kind whose body has no type ([KindSliceStatus]) or
// not a Kind constant, or when version is not "v" followed by digits.
func TypeFor(k Kind, version string) string {
	s := specOf(k)
	if s == nil || !isVersion(version) {
		return ""
	}
	for _, f := range s.families {
		if f.until != "" && versionAfter(version, f.until) {
			continue
		}
		return typePrefix + f.name + "." + version + "." + f.events[0]
	}
	if len(s.lifecycle) > 0 {
		return typePrefix + lifecycleFamily + "." + version + "." + s.lifecycle[0]
	}
	return ""
}

// versionAfter reports whether version a is later than b; both are "v"
// followed by digits.
func versionAfter(a, b string) bool {
	a, b = strings.TrimLeft(a[1:], "0"), strings.TrimLeft(b[1:], "0")
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// TypeKind returns the kind a CloudEvents type string or a legacy eventType
// decodes to; [KindUnknown] for anything else.
func TypeKind(typ string) Kind {
	if s, _ := classify(typ); s != nil {
		return s.kind
	}
	for _, r := range resultTypes {
		if r.name == typ {
			return r.spec.kind
		}
	}
	return kindOfSpec(legacySpec(typ))
}

// classify splits a CloudEvents type string into family, version and event
// name, and returns the spec of its kind, when the family is known and
// emits that event, or the event name is one of the subscription life
// cycle, which every API emits, known to this package or not (nil
// otherwise); and the event name.
func classify(typ string) (s *kindSpec, name string) {
	rest, ok := strings.CutPrefix(typ, typePrefix)
	if !ok {
		return nil, ""
	}
	// The version is the first ".v<digits>." segment: family names contain
	// dashes, never dots.
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 {
		return nil, ""
	}
	family, rest := rest[:dot], rest[dot+1:]
	dot = strings.IndexByte(rest, '.')
	if dot <= 0 || !isVersion(rest[:dot]) {
		return nil, ""
	}
	name = rest[dot+1:]
	for i := range catalogFamilies {
		if catalogFamilies[i].name != family {
			continue
		}
		for _, ev := range catalogFamilies[i].events {
			if ev.name == name {
				return ev.spec, name
			}
		}
		break
	}
	return lifecycleNames[name], name
}

// isVersion reports whether s is "v" followed by digits, as in v0 or v1.
func isVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
