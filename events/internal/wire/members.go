package wire

// The member readers of each wire type: one loop per JSON object kind,
// and one case per field. A field whose case is missing would be skipped
// like an unknown member; TestFastPathNameLists holds the name lists to
// the struct tags, and FuzzDecode the readers to encoding/json.

// topLevelNames are every JSON name Event declares.
var topLevelNames = []string{"id", "source", "type", "specversion", "time", "datacontenttype", "subject", "dataschema", "data",
	"data_base64", "event", "eventSubscriptionId", "sessionId", "eventId", "eventType", "eventTime", "eventDetail",
	"resource", "action", "outcome", "current_slice_state", "state", // NaCSlice
	"operationId", "status", "statusInfo", "timedPopulationDensityData", "timedConnectivityData"} // Result

var legacyNames = []string{"eventId", "eventType", "eventTime", "eventDetail"}

var deviceNames = []string{"phoneNumber", "networkAccessIdentifier", "ipv4Address", "ipv6Address"}

var ipv4Names = []string{"publicAddress", "privateAddress", "publicPort", "DeviceIpv4Addr"}

var ueidNames = []string{"ipv4Addr", "ipv6Addr", "msisdn", "externalId"}

var (
	topLevelSet = newNameSet(topLevelNames)
	legacySet   = newNameSet(legacyNames)
	deviceSet   = newNameSet(deviceNames)
	ipv4Set     = newNameSet(ipv4Names)
	ueidSet     = newNameSet(ueidNames)
	dataSet     = newNameSet(dataNames)
)

// Each object reader loops over the members of an object whose '{' was
// consumed, at nesting depth, reads those its type names and skips the
// others; it reports false on a syntax error. The loop is written out per
// type rather than taking a func, which would make the decoder escape.

// event reads the top-level object.
func (d *decoder) event(w *Event, depth int) bool {
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, exact := topLevelSet.lookup(key, esc)
		if name == "" {
			if t := traceMember(key, esc); t >= 0 {
				ok = d.traceValue(&w.trace[t], depth+1)
			} else {
				ok = d.skip(depth + 1)
			}
			if !ok {
				return false
			}
			continue
		}
		d.push(name)
		ok = d.eventMember(w, name, exact, depth+1)
		d.pop()
		if !ok {
			return false
		}
	}
}

func (d *decoder) eventMember(w *Event, name string, exact bool, depth int) bool {
	switch name {
	case "id":
		d.ident(idID, exact)
		return d.flex(&w.ID, depth)
	case "source":
		d.ident(idSource, exact)
		return d.str(&w.Source, depth)
	case "type":
		d.ident(idType, exact)
		return d.intern(&w.Type, depth)
	case "specversion":
		d.ident(idSpecVersion, exact)
		d.specVersion = d.s.peek() != 'n'
		return d.intern(&w.SpecVersion, depth)
	case "time":
		return d.time(&w.Time, depth)
	case "datacontenttype":
		return d.intern(&w.DataContentType, depth)
	case "subject":
		return d.str(&w.Subject, depth)
	case "dataschema":
		return d.str(&w.DataSchema, depth)
	case "data":
		w.hasData = d.s.peek() != 'n'
		isObject, ok := d.object(depth)
		if isObject {
			return d.data(&w.Data, depth, idDataSubscriptionID, exact)
		}
		return ok
	case "data_base64":
		return d.strPtr(&w.DataBase64, depth)
	case "event":
		return d.legacyEvent(&w.Event, depth, exact)
	case "eventSubscriptionId":
		d.ident(idEventSubscriptionID, exact)
		return d.flex(&w.EventSubscriptionID, depth)
	case "sessionId":
		return d.str(&w.SessionID, depth)
	case "operationId", "status", "statusInfo", "timedPopulationDensityData", "timedConnectivityData":
		return d.resultMember(&w.Result, name, depth)
	}
	if handled, ok := d.sliceMember(&w.NaCSlice, name, depth); handled {
		return ok
	}
	return d.legacyMember(&w.LegacyObject, name, exact, depth, idEventID, idEventType, idDetailSubscriptionID)
}

// legacyEvent reads the "event" member as LegacyEvent.UnmarshalJSON does:
// each object replaces the one before.
func (d *decoder) legacyEvent(l *LegacyEvent, depth int, exact bool) bool {
	switch d.s.peek() {
	case '"':
		l.present = true
		v, ok := d.strValue()
		l.Name = v
		return ok
	case 'n':
		l.present = false
		return d.s.literal("null") || d.s.fail()
	case '{':
		l.present = true
		if depth >= maxDepth {
			return d.s.fail()
		}
		d.s.i++
		// Each object replaces the one before: zeroed in place, so that
		// a body repeating "event":{} costs no allocation per member.
		if l.Object == nil {
			l.Object = new(LegacyObject)
		} else {
			d.forgetTime(&l.Object.EventTime)
			*l.Object = LegacyObject{}
		}
		return d.legacyObject(l.Object, depth, exact)
	}
	l.present = true
	b, ok := d.s.value(depth)
	if ok {
		d.typeError(b, typeError(b, "object or string"))
	}
	return ok
}

func (d *decoder) legacyObject(o *LegacyObject, depth int, exact bool) bool {
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, exactKey := legacySet.lookup(key, esc)
		if name == "" {
			if !d.skip(depth + 1) {
				return false
			}
			continue
		}
		d.push(name)
		ok = d.legacyMember(o, name, exact && exactKey, depth+1, idEventEventID, idEventEventType, idEventDetailSubscriptionID)
		d.pop()
		if !ok {
			return false
		}
	}
}

// legacyMember reads a member of the legacy event object, at the top level
// or inside "event"; the ids say which identity members its id, type and
// subscription id are.
func (d *decoder) legacyMember(o *LegacyObject, name string, exact bool, depth, id, typ, sub int) bool {
	switch name {
	case "eventId":
		d.ident(id, exact)
		return d.flex(&o.EventID, depth)
	case "eventType":
		d.ident(typ, exact)
		return d.intern(&o.EventType, depth)
	case "eventTime":
		return d.time(&o.EventTime, depth)
	case "eventDetail":
		return d.dataPtr(&o.EventDetail, depth, sub, exact)
	}
	return d.skip(depth)
}

func (d *decoder) dataPtr(dst **Data, depth, sub int, exact bool) bool {
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	if *dst == nil {
		*dst = new(Data)
	}
	isObject, ok := d.object(depth)
	if isObject {
		return d.data(*dst, depth, sub, exact)
	}
	return ok
}

func (d *decoder) device(dst **Device, depth int) bool {
	return nested(d, dst, depth, deviceSet, deviceMember)
}

func deviceMember(d *decoder, dv *Device, name string, depth int) bool {
	switch name {
	case "phoneNumber":
		return d.flex(&dv.PhoneNumber, depth)
	case "networkAccessIdentifier":
		return d.str(&dv.NetworkAccessIdentifier, depth)
	case "ipv6Address":
		return d.str(&dv.IPv6Address, depth)
	case "ipv4Address":
		return d.ipv4(&dv.IPv4Address, depth)
	}
	return d.skip(depth)
}

func (d *decoder) ipv4(dst **IPv4, depth int) bool {
	return nested(d, dst, depth, ipv4Set, ipv4Member)
}

func ipv4Member(d *decoder, v4 *IPv4, name string, depth int) bool {
	switch name {
	case "publicAddress":
		return d.str(&v4.PublicAddress, depth)
	case "privateAddress":
		return d.str(&v4.PrivateAddress, depth)
	case "publicPort":
		return d.flexInt(&v4.PublicPort, depth)
	case "DeviceIpv4Addr":
		return d.ipv4(&v4.Nested, depth)
	}
	return d.skip(depth)
}

func (d *decoder) ueid(dst **UEID, depth int) bool {
	return nested(d, dst, depth, ueidSet, ueidMember)
}

func ueidMember(d *decoder, u *UEID, name string, depth int) bool {
	switch name {
	case "ipv4Addr":
		return d.str(&u.IPv4Addr, depth)
	case "ipv6Addr":
		return d.str(&u.IPv6Addr, depth)
	case "msisdn":
		return d.flex(&u.MSISDN, depth)
	case "externalId":
		return d.str(&u.ExternalID, depth)
	}
	return d.skip(depth)
}

// nested decodes the object member at the scanner into *dst, allocating
// it on first use, or sets *dst to nil for null: each of its members goes
// to member with its name in set ("" for a name set does not hold, which
// member skips) and the member's depth. A value that is not an object is
// what d.object makes of it. The per-type member functions are plain
// functions, not closures, so that passing them allocates nothing.
func nested[T any](d *decoder, dst **T, depth int, set *nameSet, member func(d *decoder, v *T, name string, depth int) bool) bool {
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	if *dst == nil {
		*dst = new(T)
	}
	isObject, ok := d.object(depth)
	if !isObject {
		return ok
	}
	v := *dst
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, _ := set.lookup(key, esc)
		d.push(name)
		ok = member(d, v, name, depth+1)
		d.pop()
		if !ok {
			return false
		}
	}
}
