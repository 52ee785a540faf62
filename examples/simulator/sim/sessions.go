package sim

import (
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// qodVersion is the QoD API version of session notifications.
const qodVersion = "v1"

type session struct {
	info Session // guarded by Simulator.mu
	st   *stream
}

func (s *Simulator) createSession(w http.ResponseWriter, r *http.Request) {
	var req SessionRequest
	var fe fieldErrors
	if !decode(w, r, &req, &fe) {
		return
	}
	now := s.clock.Now()
	if req.Device.empty() {
		fe.add("device", "required, with at least one identifier")
	}
	if req.QosProfile == "" {
		fe.add("qosProfile", "required")
	}
	if req.Duration == nil {
		fe.add("duration", "required")
	} else if *req.Duration < 1 || *req.Duration > 86400 {
		fe.add("duration", "must be between 1 and 86400 seconds")
	}
	checkSink(&fe, req.Sink)
	checkCredential(&fe, req.SinkCredential, now)
	if len(fe) > 0 {
		writeInvalid(w, fe)
		return
	}
	id := newID()
	dur := time.Duration(*req.Duration) * time.Second
	ses := &session{
		info: Session{SessionID: id, Device: *req.Device, QosProfile: req.QosProfile, Duration: *req.Duration,
			Sink: req.Sink, QosStatus: string(events.QoSStatusRequested), StartedAt: now.UTC().Format(time.RFC3339),
			ExpiresAt: now.Add(dur).UTC().Format(time.RFC3339)},
		st: newStream(id, req.Sink, req.SinkCredential.AccessToken),
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the simulator is closing")
		return
	}
	s.sessions[id] = ses
	info := ses.info
	s.start(ses.st, func() { s.forgetSession(id) })
	s.mu.Unlock()

	switch scenario(req.Device.PhoneNumber) {
	case DeviceSessionUnavailable:
		s.endSession(id, "")
	case DeviceNetworkTerminated:
		s.setStatus(ses, events.QoSStatusAvailable, "")
		s.after(ses.st, s.cfg.NetworkTerminationDelay, func() { s.endSession(id, events.StatusInfoNetworkTerminated) })
	case DeviceStaysAvailable:
		s.setStatus(ses, events.QoSStatusAvailable, "")
	default:
		s.setStatus(ses, events.QoSStatusAvailable, "")
		s.after(ses.st, dur, func() { s.endSession(id, events.StatusInfoDurationExpired) })
	}
	writeJSON(w, http.StatusCreated, info)
}

func (s *Simulator) sessionNotification(id string, status events.QoSStatus, info events.StatusInfo) receivertest.Notification {
	return receivertest.Notification{Type: events.TypeFor(events.KindQoSStatusChanged, qodVersion), Kind: events.KindQoSStatusChanged, Mode: s.cfg.Mode,
		Source: s.cfg.Source + "/sessions/" + id, Data: qosData(id, status, info)}
}

// setStatus records a non-final status and queues its notification.
func (s *Simulator) setStatus(ses *session, status events.QoSStatus, info events.StatusInfo) {
	s.mu.Lock()
	ses.info.QosStatus, ses.info.StatusInfo = string(status), string(info)
	s.mu.Unlock()
	_ = ses.st.enqueue(job{n: s.sessionNotification(ses.info.SessionID, status, info)})
}

func (s *Simulator) forgetSession(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ses, ok := s.sessions[id]
	delete(s.sessions, id)
	return ses, ok
}

// endSession ends a live session with UNAVAILABLE and info; it reports
// whether the session was live.
func (s *Simulator) endSession(id string, info events.StatusInfo) bool {
	ses, ok := s.forgetSession(id)
	if !ok {
		return false
	}
	s.mu.Lock()
	ses.info.QosStatus, ses.info.StatusInfo = string(events.QoSStatusUnavailable), string(info)
	s.mu.Unlock()
	j := job{n: s.sessionNotification(id, events.QoSStatusUnavailable, info)}
	ses.st.end(&j)
	return true
}

func (s *Simulator) getSession(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ses, ok := s.sessions[r.PathValue("id")]
	var info Session
	if ok {
		info = ses.info
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such session")
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Simulator) deleteSession(w http.ResponseWriter, r *http.Request) {
	if !s.endSession(r.PathValue("id"), events.StatusInfoDeleteRequested) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such session")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
