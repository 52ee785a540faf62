package events

import (
	"testing"
)

// TestRegistry holds the kinds' registrations to what the catalogue and
// the decoder assume of them: one spec per kind, each reachable by some
// type string, building an event of its own kind; every family declared
// alike by the kinds that share it; no type string claimed twice.
func TestRegistry(t *testing.T) {
	if len(registry) == 0 {
		t.Fatal("no kind registered")
	}
	kinds := map[Kind]bool{}
	type declared struct {
		until string
		subs  bool
	}
	families := map[string]declared{}
	events := map[string]Kind{} // family + "." + event name -> kind
	legacy := map[string]Kind{}
	for _, s := range registry {
		if s.kind == "" || s.kind == KindUnknown || kinds[s.kind] {
			t.Errorf("kind %q: empty, unknown or registered twice", s.kind)
		}
		kinds[s.kind] = true
		if s.build == nil {
			t.Errorf("%s: no build", s.kind)
			continue
		}
		if ev := s.build(&noData, typeNames{}); ev == nil || ev.kind() != s.kind {
			t.Errorf("%s: build returns an event of kind %v", s.kind, ev)
		}
		if len(s.families) == 0 && len(s.lifecycle) == 0 && len(s.legacy)+len(s.nacLegacy)+len(s.results) == 0 && len(s.bodies) == 0 {
			t.Errorf("%s: no type string decodes to it", s.kind)
		}
		if (s.shape == "") != (len(s.bodies) == 0) {
			t.Errorf("%s: a shape of its own needs the bodies that identify it, and only it has them", s.kind)
		}
		if len(s.families) > 0 && len(s.lifecycle) > 0 {
			t.Errorf("%s: both families and life cycle names", s.kind)
		}
		for _, f := range s.families {
			if len(f.events) == 0 {
				t.Errorf("%s: family %s names no event", s.kind, f.name)
			}
			if d, ok := families[f.name]; ok && d != (declared{f.until, f.subscriptions}) {
				t.Errorf("%s: family %s declared with until %q, subscriptions %v; another kind says %q, %v",
					s.kind, f.name, f.until, f.subscriptions, d.until, d.subs)
			}
			families[f.name] = declared{f.until, f.subscriptions}
			for _, name := range f.events {
				if k, ok := events[f.name+"."+name]; ok {
					t.Errorf("%s.%s claimed by %s and %s", f.name, name, k, s.kind)
				}
				events[f.name+"."+name] = s.kind
			}
		}
		for _, name := range append(append([]string(nil), s.legacy...), s.nacLegacy...) {
			if k, ok := legacy[name]; ok {
				t.Errorf("legacy eventType %s claimed by %s and %s", name, k, s.kind)
			}
			legacy[name] = s.kind
		}
	}
	for _, s := range registry {
		for _, name := range s.lifecycle {
			for f, d := range families {
				if k, ok := events[f+"."+name]; ok && d.subs {
					t.Errorf("%s.%s claimed by %s and the life cycle kind %s", f, name, k, s.kind)
				}
			}
		}
	}
	if d, ok := families[lifecycleFamily]; !ok || !d.subs {
		t.Errorf("lifecycleFamily %s is no family declared with subscriptions", lifecycleFamily)
	}
}
