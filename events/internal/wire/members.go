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
			if !d.skip(depth + 1) {
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
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	if *dst == nil {
		*dst = new(Device)
	}
	isObject, ok := d.object(depth)
	if !isObject {
		return ok
	}
	dv := *dst
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, _ := deviceSet.lookup(key, esc)
		d.push(name)
		switch name {
		case "phoneNumber":
			ok = d.flex(&dv.PhoneNumber, depth+1)
		case "networkAccessIdentifier":
			ok = d.str(&dv.NetworkAccessIdentifier, depth+1)
		case "ipv6Address":
			ok = d.str(&dv.IPv6Address, depth+1)
		case "ipv4Address":
			ok = d.ipv4(&dv.IPv4Address, depth+1)
		default:
			ok = d.skip(depth + 1)
		}
		d.pop()
		if !ok {
			return false
		}
	}
}

func (d *decoder) ipv4(dst **IPv4, depth int) bool {
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	if *dst == nil {
		*dst = new(IPv4)
	}
	isObject, ok := d.object(depth)
	if !isObject {
		return ok
	}
	v4 := *dst
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, _ := ipv4Set.lookup(key, esc)
		d.push(name)
		switch name {
		case "publicAddress":
			ok = d.str(&v4.PublicAddress, depth+1)
		case "privateAddress":
			ok = d.str(&v4.PrivateAddress, depth+1)
		case "publicPort":
			ok = d.flexInt(&v4.PublicPort, depth+1)
		case "DeviceIpv4Addr":
			ok = d.ipv4(&v4.Nested, depth+1)
		default:
			ok = d.skip(depth + 1)
		}
		d.pop()
		if !ok {
			return false
		}
	}
}

func (d *decoder) ueid(dst **UEID, depth int) bool {
	if d.s.peek() == 'n' {
		*dst = nil
		return d.s.literal("null") || d.s.fail()
	}
	if *dst == nil {
		*dst = new(UEID)
	}
	isObject, ok := d.object(depth)
	if !isObject {
		return ok
	}
	u := *dst
	for first := true; ; {
		key, esc, done, ok := d.s.nextKey(&first)
		if !ok || done {
			return ok
		}
		name, _ := ueidSet.lookup(key, esc)
		d.push(name)
		switch name {
		case "ipv4Addr":
			ok = d.str(&u.IPv4Addr, depth+1)
		case "ipv6Addr":
			ok = d.str(&u.IPv6Addr, depth+1)
		case "msisdn":
			ok = d.flex(&u.MSISDN, depth+1)
		case "externalId":
			ok = d.str(&u.ExternalID, depth+1)
		default:
			ok = d.skip(depth + 1)
		}
		d.pop()
		if !ok {
			return false
		}
	}
}
