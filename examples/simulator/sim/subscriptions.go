package sim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

type subscription struct {
	info   Subscription
	device map[string]any // the device in the notifications' data
	area   map[string]any // geofencing: the area in the notifications' data; nil otherwise
	st     *stream
}

// eventData is the data of the subscription's event name: a geofencing
// subscription repeats its area in every notification, as CAMARA's do.
func (sub *subscription) eventData(name string) map[string]any {
	d := eventData(name, sub.device, sub.info.ID)
	if sub.area != nil {
		d["area"] = sub.area
	}
	return d
}

// typePrefix returns "org.camaraproject.<family>.<version>." of typ.
func typePrefix(typ string) string {
	return typ[:strings.LastIndexByte(typ, '.')+1]
}

func eventName(typ string) string { return typ[strings.LastIndexByte(typ, '.')+1:] }

func (s *Simulator) createSubscription(w http.ResponseWriter, r *http.Request) {
	var req SubscriptionRequest
	var fe fieldErrors
	if !decode(w, r, &req, &fe) {
		return
	}
	now := s.clock.Now()
	if req.Protocol != "" && req.Protocol != "HTTP" {
		fe.add("protocol", `must be "HTTP"`)
	}
	checkSink(&fe, req.Sink)
	if len(req.Types) == 0 {
		fe.add("types", "required, at least one event type")
	}
	for i, t := range req.Types {
		k := events.TypeKind(t)
		switch {
		case !strings.HasPrefix(t, "org.camaraproject.") || k == events.KindUnknown:
			fe.add("types["+strconv.Itoa(i)+"]", "%q is not an event type the simulator knows", t)
		case k == events.KindQoSStatusChanged:
			fe.add("types["+strconv.Itoa(i)+"]", "QoD notifications come from sessions: POST /sessions")
		}
	}
	tokenExpiry := checkCredential(&fe, req.SinkCredential, now)
	var expireAt time.Time
	maxEvents := 0
	if req.Config == nil {
		fe.add("config", "required")
	} else {
		c := req.Config
		if c.SubscriptionMaxEvents != nil {
			if *c.SubscriptionMaxEvents < 1 {
				fe.add("config.subscriptionMaxEvents", "must be at least 1")
			} else {
				maxEvents = *c.SubscriptionMaxEvents
			}
		}
		if c.SubscriptionExpireTime != "" {
			t, err := time.Parse(time.RFC3339, c.SubscriptionExpireTime)
			switch {
			case err != nil:
				fe.add("config.subscriptionExpireTime", "must be an RFC 3339 date-time")
			case !t.After(now):
				fe.add("config.subscriptionExpireTime", "must be in the future")
			default:
				expireAt = t
			}
		}
	}
	if len(fe) > 0 {
		writeInvalid(w, fe)
		return
	}

	id := newID()
	info := Subscription{ID: id, Protocol: "HTTP", Sink: req.Sink, Types: slices.Clone(req.Types),
		Config: *req.Config, StartsAt: now.UTC().Format(time.RFC3339), Status: "ACTIVE"}
	if !expireAt.IsZero() {
		info.ExpiresAt = expireAt.UTC().Format(time.RFC3339)
	}
	device := map[string]any{}
	var phone string
	if d := req.Config.SubscriptionDetail; d != nil && !d.Device.empty() {
		phone = d.Device.PhoneNumber
		if phone != "" {
			device["phoneNumber"] = phone
		}
		if d.Device.NetworkAccessIdentifier != "" {
			device["networkAccessIdentifier"] = d.Device.NetworkAccessIdentifier
		}
		if d.Device.IPv6Address != "" {
			device["ipv6Address"] = d.Device.IPv6Address
		}
		if len(d.Device.IPv4Address) > 0 {
			device["ipv4Address"] = d.Device.IPv4Address
		}
	}
	sub := &subscription{info: info, device: device, st: newStream(id, req.Sink, req.SinkCredential.AccessToken)}
	if events.TypeKind(req.Types[0]) == events.KindGeofence {
		sub.area = simArea()
		if d := req.Config.SubscriptionDetail; d != nil && d.Area != nil {
			sub.area = d.Area
		}
	}
	sub.st.maxEvents = maxEvents
	sub.st.onMax = func() job {
		s.forget(id)
		return s.endedJob(sub, events.TerminationReasonMaxEventsReached)
	}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the simulator is closing")
		return
	}
	s.subs[id] = sub
	s.start(sub.st, func() { s.forget(id) })
	s.mu.Unlock()

	prefix := typePrefix(req.Types[0])
	_ = sub.st.enqueue(job{n: s.notification(sub, prefix+"subscription-started", sub.eventData("subscription-started"))})
	if req.Config.InitialEvent != nil && *req.Config.InitialEvent {
		for _, t := range req.Types {
			if k := events.TypeKind(t); k == events.KindReachability || k == events.KindRoaming || k == events.KindNetworkTypeChanged {
				_ = sub.st.enqueue(job{n: s.notification(sub, t, sub.eventData(eventName(t))), counts: true})
				break
			}
		}
	}
	for _, name := range deviceScript(phone) {
		if t, ok := subscribed(req.Types, name); ok {
			_ = sub.st.enqueue(job{n: s.notification(sub, t, sub.eventData(name)), counts: true})
		}
	}
	if !expireAt.IsZero() {
		s.after(sub.st, expireAt.Sub(now), func() { s.endSubscription(id, events.TerminationReasonSubscriptionExpired) })
	}
	if !tokenExpiry.IsZero() {
		s.after(sub.st, tokenExpiry.Sub(now)-s.cfg.TokenExpiryLead, func() { s.endSubscription(id, events.TerminationReasonAccessTokenExpired) })
	}
	writeJSON(w, http.StatusCreated, info)
}

// subscribed returns the subscribed type for an event name of a device
// script; connectivity-x (device-status) and reachability-x are the same.
func subscribed(types []string, name string) (string, bool) {
	norm := func(n string) string { return strings.Replace(n, "connectivity-", "reachability-", 1) }
	for _, t := range types {
		if norm(eventName(t)) == norm(name) {
			return t, true
		}
	}
	return "", false
}

// notification builds a notification of sub.
func (s *Simulator) notification(sub *subscription, typ string, data map[string]any) receivertest.Notification {
	mode := s.cfg.Mode
	return receivertest.Notification{Type: typ, Kind: events.TypeKind(typ), Data: data, Mode: mode,
		Source: s.cfg.Source + "/subscriptions/" + sub.info.ID, SubscriptionID: sub.info.ID}
}

func (s *Simulator) endedJob(sub *subscription, reason events.TerminationReason) job {
	data := endedData(sub.device, sub.info.ID, reason)
	if sub.area != nil {
		data["area"] = sub.area
	}
	return job{n: s.notification(sub, typePrefix(sub.info.Types[0])+"subscription-ended", data)}
}

// forget removes a subscription from the map; it reports whether it was there.
func (s *Simulator) forget(id string) (*subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[id]
	delete(s.subs, id)
	return sub, ok
}

// endSubscription ends a live subscription with a subscription-ended
// notification; it reports whether the subscription was live.
func (s *Simulator) endSubscription(id string, reason events.TerminationReason) bool {
	sub, ok := s.forget(id)
	if !ok {
		return false
	}
	j := s.endedJob(sub, reason)
	sub.st.end(&j)
	return true
}

func (s *Simulator) listSubscriptions(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := make([]Subscription, 0, len(s.subs))
	for _, sub := range s.subs {
		out = append(out, sub.info)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Subscription) int { return strings.Compare(a.StartsAt+a.ID, b.StartsAt+b.ID) })
	writeJSON(w, http.StatusOK, out)
}

func (s *Simulator) getSubscription(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sub, ok := s.subs[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such subscription")
		return
	}
	writeJSON(w, http.StatusOK, sub.info)
}

func (s *Simulator) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	s.endSubscription(r.PathValue("id"), events.TerminationReasonSubscriptionDeleted)
	w.WriteHeader(http.StatusNoContent)
}

// trigger fires one event at a subscription and answers how its delivery
// went. The type is a full CloudEvents type or an event name such as
// "roaming-on", taken in the family of the subscription's first type. Any
// type is sent, also one the subscription did not ask for (to try a
// receiver's handling of unknown types); only those it asked for count
// towards subscriptionMaxEvents.
func (s *Simulator) trigger(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Type string `json:"type"`
	}
	var fe fieldErrors
	if s.closing(w) || !decode(w, r, &req, &fe) {
		return
	}
	s.mu.Lock()
	sub, ok := s.subs[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such subscription")
		return
	}
	typ := req.Type
	if typ == "" {
		fe.add("type", "required")
	}
	if len(fe) > 0 {
		writeInvalid(w, fe)
		return
	}
	if !strings.Contains(typ, ".") {
		typ = typePrefix(sub.info.Types[0]) + typ
	}
	name := eventName(typ)
	var data map[string]any
	switch events.TypeKind(typ) {
	case events.KindQoSStatusChanged:
		data = qosData(newID(), events.QoSStatusAvailable, "")
	default:
		data = sub.eventData(name)
	}
	j := job{n: s.notification(sub, typ, data), reply: make(chan outcome, 1)}
	var err error
	if events.TypeKind(typ) == events.KindSubscriptionEnded {
		if _, ok := s.forget(sub.info.ID); !ok || !sub.st.end(&j) {
			err = errEnded
		}
	} else {
		k := events.TypeKind(typ)
		j.counts = slices.Contains(sub.info.Types, typ) && k != events.KindSubscriptionStarted && k != events.KindSubscriptionUpdated
		err = sub.st.enqueue(j)
	}
	if err != nil {
		writeError(w, http.StatusConflict, "CONFLICT", err.Error())
		return
	}
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	select {
	case o := <-j.reply:
		res := TriggerResult{Type: typ, Delivered: o.err == nil, Status: o.d.Status, Attempts: o.d.Attempt}
		if o.err != nil {
			res.Error = o.err.Error()
		}
		writeJSON(w, http.StatusOK, res)
	case <-r.Context().Done():
	case <-s.ctx.Done():
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the simulator is closing")
	case <-timer.C:
		writeError(w, http.StatusGatewayTimeout, "TIMEOUT", "the delivery did not finish in time")
	}
}
