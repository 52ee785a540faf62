// Package kindinfo carries, from package events to receiver/receivertest,
// the one thing about each event kind that receivertest needs and events
// does not export: the example data a test notification of that kind sends
// by default. It lets a new kind bring its example data in its own file in
// events, so receivertest needs no edit per kind.
//
// Package events fills it from its init function and nothing writes to it
// afterwards, so reading it needs no lock.
package kindinfo

// examples maps a kind (events.Kind as a string) to its example data.
var examples = map[string]func(shape string) map[string]any{}

// SetExample records the example data of kind: example returns a new
// value on each call, for the given shape (events.Shape as a string).
// Only package events calls it, from its init function.
func SetExample(kind string, example func(shape string) map[string]any) {
	examples[kind] = example
}

// Example returns the example data of kind in shape, and false when kind
// has none.
func Example(kind, shape string) (map[string]any, bool) {
	fn, ok := examples[kind]
	if !ok {
		return nil, false
	}
	return fn(shape), true
}

// shapes maps a kind identified by its members rather than a type string
// to its one shape (events.Shape as a string).
var shapes = map[string]string{}

// SetShape records the one shape kind arrives in. Only package events
// calls it, from its init function.
func SetShape(kind, shape string) { shapes[kind] = shape }

// Shape returns the one shape kind arrives in; "" for a kind that arrives
// in the shapes of its type strings.
func Shape(kind string) string { return shapes[kind] }
