package events_test

import (
	"fmt"

	"github.com/camarahooks/camarahooks/events"
)

func ExampleParse() {
	body := []byte(`{
	  "id": "83a0d986-0866-4f38-b8c0-fc65bfcda452",
	  "source": "https://api.example.com/quality-on-demand/v1/sessions/123e4567",
	  "specversion": "1.0",
	  "type": "org.camaraproject.quality-on-demand.v1.qos-status-changed",
	  "time": "2024-06-01T13:00:00Z",
	  "data": {"sessionId": "123e4567", "qosStatus": "UNAVAILABLE", "statusInfo": "DURATION_EXPIRED"}
	}`)
	evs, err := events.Parse("application/cloudevents+json", nil, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range evs {
		switch e := ev.(type) {
		case *events.QoSStatusChanged:
			fmt.Println(e.SessionID, e.Status, e.StatusInfo, "terminal:", e.Status == events.QoSStatusUnavailable)
			fmt.Println(e.Shape, e.Mode, e.Type)
		case *events.Unknown:
			fmt.Println("unmodelled type", e.Type)
		}
	}
	// Output:
	// 123e4567 UNAVAILABLE DURATION_EXPIRED terminal: true
	// cloudevents structured org.camaraproject.quality-on-demand.v1.qos-status-changed
}

func ExampleParse_legacy() {
	// QoD 0.9: the legacy wrapper, as application/json.
	body := []byte(`{"eventSubscriptionId": "a1b2c3d4", "event": {"eventType": "QOS_STATUS_CHANGED",
	  "eventTime": "2023-05-30T10:18:28Z", "eventDetail": {"sessionId": "7698d710", "qosStatus": "AVAILABLE"}}}`)
	evs, err := events.Parse("application/json", nil, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	q := evs[0].(*events.QoSStatusChanged)
	fmt.Println(q.Shape, q.SubscriptionID, q.SessionID, q.Status)
	// Output: legacy a1b2c3d4 7698d710 AVAILABLE
}

func ExampleError() {
	_, err := events.Parse("application/cloudevents+json", nil, []byte(`{"id":"1","source":"/s","specversion":"1.0"}`))
	fmt.Println(err)
	// Output: events: required attribute missing: type: required
}

func ExampleKindOf() {
	fmt.Println(events.TypeKind("org.camaraproject.device-roaming-status-subscriptions.v1.roaming-on"))
	fmt.Println(events.TypeKind("ROAMING_CHANGE_COUNTRY"))
	fmt.Println(events.TypeKind("org.camaraproject.geofencing-subscriptions.v0.area-entered"))
	fmt.Println(events.TypeKind("org.camaraproject.an-api-of-next-year.v2.subscription-ended"))
	fmt.Println(events.TypeKind("org.camaraproject.an-api-of-next-year.v2.something-happened"))
	// Output:
	// roaming
	// roaming
	// geofence
	// subscription-ended
	// unknown
}

// A Network as Code slice notification has no envelope: it is recognised
// by its members, and its id is derived from them.
func ExampleSliceStatus() {
	body := []byte(`{"resource":"slice-01","action":"delete","outcome":"completed","current_slice_state":"DELETED"}`)
	evs, err := events.Parse("application/json", nil, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := evs[0].(*events.SliceStatus)
	fmt.Println(s.Shape, s.Resource, s.Action, s.Outcome, s.State, s.State.IsTerminal())
	fmt.Println(s.ID[:10])
	// Output:
	// nac-slice slice-01 delete completed DELETED true
	// nac-slice-
}

func ExampleGeofence() {
	body := []byte(`{"specversion":"1.0","id":"1","source":"https://network.example","type":"org.camaraproject.geofencing-subscriptions.v0.area-left",
		"data":{"subscriptionId":"sub-1","device":{"phoneNumber":"+123456789"},
		"area":{"areaType":"CIRCLE","center":{"latitude":50.735851,"longitude":7.10066},"radius":2000}}}`)
	evs, _ := events.Parse("application/cloudevents+json", nil, body)
	g := evs[0].(*events.Geofence)
	fmt.Println(g.Entered, g.Device.PhoneNumber, g.SubscriptionID, g.Area.Type, g.Area.Center.Latitude, g.Area.Radius)
	// Output: false +123456789 sub-1 CIRCLE 50.735851 2000
}
