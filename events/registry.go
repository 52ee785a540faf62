package events

import (
	"cmp"
	"slices"

	"github.com/camarahooks/camarahooks/events/internal/wire"
	"github.com/camarahooks/camarahooks/internal/kindinfo"
)

// kindSpec is everything this package knows about one event kind besides
// its Go type: the type strings that decode to it, how it is built from the
// decoded data, and the data a receivertest notification of the kind sends
// by default. Each kind's file registers its spec, next to its type and its
// Kind constant, with
//
//	var _ = register(kindSpec{...})
//
// A package-level var declaration, not an init function: every package
// variable is initialised before any init function runs, so the init below
// sees every kind whatever the file names. Nothing else in the package
// names a kind.
type kindSpec struct {
	kind Kind
	// families lists the API families emitting the kind, in TypeFor's
	// preference order, each with the kind's event names it emits (its
	// usual one first). A family that emits several kinds is declared by
	// each, with the same until.
	families []family
	// lifecycle lists the event names of the kind that every subscription
	// family emits (the subscription life cycle), the usual one first; for
	// kinds that belong to no one API. TypeFor uses lifecycleFamily.
	lifecycle []string
	// shape is the shape of a kind identified by its top-level members
	// rather than by a type string, and bodies those members as the
	// catalogue lists them ("{resource,action,state}"); "" and nil for the
	// others.
	shape  Shape
	bodies []string
	// legacy lists the legacy eventTypes of the kind (shapes B and E), the
	// one most senders use first; nacLegacy those only Network as Code
	// sends, which make a legacy body shape E.
	legacy, nacLegacy []string
	// intern lists values senders repeat in the kind's data (enum values),
	// which are then decoded without allocating.
	intern []string
	// build returns a new event of the kind with its own fields filled from
	// d, which is never nil and must not be modified. The Envelope is filled
	// in afterwards.
	build func(d *wire.Data, n typeNames) Event
	// example returns new data for a receivertest notification of the kind
	// in shape; nil sends an empty object.
	example func(shape Shape) map[string]any
	// results lists the APIs whose asynchronous results (bodies without
	// envelope, see AsyncResult) are of the kind; Catalog lists them.
	results []string
}

// family is an API family as one kind declares it.
type family struct {
	name   string
	events []string // the event names of the declaring kind, the usual one first
	// until is the last major version published under this name; "" while
	// current.
	until string
	// subscriptions says that the family also emits the subscription life
	// cycle events (the kinds with lifecycle names).
	subscriptions bool
}

// typeNames is what the type of a notification said, for build: ce is the
// event name of a CloudEvents type ("" for legacy shapes), legacy the
// legacy eventType ("" for CloudEvents), session the QoD 0.8 top-level
// sessionId.
type typeNames struct {
	ce, legacy, session string
}

// registry holds every kind's spec; see kindSpec. The init below sorts it
// by kind.
var registry []*kindSpec

// register adds s to the registry and returns the registered copy; it
// returns a value so that a var declaration can call it.
func register(s kindSpec) *kindSpec {
	registry = append(registry, &s)
	return registry[len(registry)-1]
}

// catalogFamily is one API family with every event name it emits, merged
// from the kinds' declarations: the kinds' names in kind order, then the
// life cycle names.
type catalogFamily struct {
	name, until   string
	subscriptions bool
	events        []catalogEvent
}

type catalogEvent struct {
	name string
	spec *kindSpec
}

type legacyType struct {
	name string
	spec *kindSpec
	nac  bool // sent only by Network as Code (shape E)
}

// The catalogue, built by init from the registry and read-only afterwards:
// families in the order the kinds (sorted by Kind) first declare them,
// legacy eventTypes by kind.
var (
	catalogFamilies []catalogFamily
	legacyTypes     []legacyType
	lifecycleNames  = map[string]*kindSpec{} // the life cycle event names of every API
	resultTypes     []legacyType             // the APIs of asynchronous results, as legacy types are listed
)

// noData is the data of a notification that has none. Never written.
var noData wire.Data

func init() {
	slices.SortFunc(registry, func(a, b *kindSpec) int { return cmp.Compare(a.kind, b.kind) })
	index := map[string]int{}
	for _, s := range registry {
		for _, f := range s.families {
			i, ok := index[f.name]
			if !ok {
				i = len(catalogFamilies)
				index[f.name] = i
				catalogFamilies = append(catalogFamilies, catalogFamily{name: f.name, until: f.until})
			}
			cf := &catalogFamilies[i]
			cf.subscriptions = cf.subscriptions || f.subscriptions
			for _, name := range f.events {
				cf.events = append(cf.events, catalogEvent{name, s})
			}
		}
		for _, name := range s.legacy {
			legacyTypes = append(legacyTypes, legacyType{name, s, false})
		}
		for _, name := range s.nacLegacy {
			legacyTypes = append(legacyTypes, legacyType{name, s, true})
		}
		for _, api := range s.results {
			resultTypes = append(resultTypes, legacyType{api, s, false})
		}
	}
	for _, s := range registry {
		for i := range catalogFamilies {
			if cf := &catalogFamilies[i]; cf.subscriptions {
				for _, name := range s.lifecycle {
					cf.events = append(cf.events, catalogEvent{name, s})
				}
			}
		}
	}

	// The values every notification repeats are decoded without
	// allocating: the type strings of the catalogue in v0 and v1, the
	// legacy eventTypes and the values the kinds list.
	for _, f := range catalogFamilies {
		for _, ev := range f.events {
			for _, v := range []string{"v0", "v1"} {
				wire.Intern(typePrefix + f.name + "." + v + "." + ev.name)
			}
		}
	}
	for _, l := range legacyTypes {
		wire.Intern(l.name)
	}
	for _, s := range registry {
		wire.Intern(s.intern...)
		if s.example != nil {
			kindinfo.SetExample(string(s.kind), func(shape string) map[string]any { return s.example(Shape(shape)) })
		}
		if s.shape != "" {
			kindinfo.SetShape(string(s.kind), string(s.shape))
		}
		for _, name := range s.lifecycle {
			lifecycleNames[name] = s
		}
	}
}

// specOf returns the spec of k; nil for KindUnknown and for anything not a
// Kind constant.
func specOf(k Kind) *kindSpec {
	for _, s := range registry {
		if s.kind == k {
			return s
		}
	}
	return nil
}

// lookupLegacy returns the entry of a legacy eventType; nil when it is
// none this package models.
func lookupLegacy(eventType string) *legacyType {
	for i := range legacyTypes {
		if legacyTypes[i].name == eventType {
			return &legacyTypes[i]
		}
	}
	return nil
}

// legacySpec returns the spec a legacy eventType decodes to; nil for an
// unknown one.
func legacySpec(eventType string) *kindSpec {
	if l := lookupLegacy(eventType); l != nil {
		return l.spec
	}
	return nil
}

// kindOfSpec returns s's kind; KindUnknown for nil.
func kindOfSpec(s *kindSpec) Kind {
	if s == nil {
		return KindUnknown
	}
	return s.kind
}

// newEvent builds the event of kind s (Unknown for nil) from the decoded
// data (nil when the notification has none) and fills its Envelope from
// env.
func newEvent(s *kindSpec, env *Envelope, data *wire.Data, n typeNames) Event {
	if data == nil {
		data = &noData
	}
	env.Device = device(data)
	if s == nil {
		return &Unknown{Envelope: *env}
	}
	ev := s.build(data, n)
	*ev.Meta() = *env
	return ev
}

// exampleDevice is the device of the example data.
func exampleDevice() map[string]any { return map[string]any{"phoneNumber": "+123456789"} }
