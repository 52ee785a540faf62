package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// AsyncResult is the result of an asynchronous request that a CAMARA API
// posts to the request's sink: the API's response body, without a
// CloudEvents or legacy envelope ([ShapeResult]). It is recognised by the
// member that holds each API's result: timedPopulationDensityData
// (Population Density Data, Type "population-density-data") and
// timedConnectivityData (Predictive Connectivity Data, Type
// "predictive-connectivity-data"). The result itself is [Envelope.Data]:
// the whole body.
//
// Its ID is the operationId the request was answered with, so a sender's
// retry of one result is a duplicate; a result without one is
// deduplicated by its bytes, as a legacy body without an id is. Source,
// Time and SubscriptionID are empty: the body has none (so an auth
// credential bound to subscription ids does not admit it).
type AsyncResult struct {
	Envelope
	OperationID string       // the operation the result answers; also the ID
	Status      ResultStatus // as sent; unknown values kept
	StatusInfo  string       // the sender's explanation, e.g. of OPERATION_NOT_COMPLETED
}

// KindAsyncResult is the kind of [*AsyncResult].
const KindAsyncResult Kind = "async-result"

func (*AsyncResult) kind() Kind { return KindAsyncResult }

// ResultStatus says how much of the requested area an asynchronous result
// covers, or that the operation failed.
type ResultStatus string

// Result statuses (Population Density Data, Predictive Connectivity Data).
const (
	ResultStatusSupportedArea          ResultStatus = "SUPPORTED_AREA"             // data for the whole area
	ResultStatusPartOfAreaNotSupported ResultStatus = "PART_OF_AREA_NOT_SUPPORTED" // cells outside coverage carry no data
	ResultStatusAreaNotSupported       ResultStatus = "AREA_NOT_SUPPORTED"         // no data
	ResultStatusOperationNotCompleted  ResultStatus = "OPERATION_NOT_COMPLETED"    // failed, see StatusInfo
)

// resultAPIs maps the member holding each API's result to the API, which
// becomes the event's Type.
var resultAPIs = [...]struct {
	api     string
	present func(*wire.Result) bool
}{
	{"population-density-data", func(r *wire.Result) bool { return bool(r.TimedPopulationDensityData) }},
	{"predictive-connectivity-data", func(r *wire.Result) bool { return bool(r.TimedConnectivityData) }},
}

var _ = register(kindSpec{
	kind:    KindAsyncResult,
	results: []string{resultAPIs[0].api, resultAPIs[1].api},
	intern: []string{string(ResultStatusSupportedArea), string(ResultStatusPartOfAreaNotSupported),
		string(ResultStatusAreaNotSupported), string(ResultStatusOperationNotCompleted)},
	build: func(*wire.Data, typeNames) Event { return &AsyncResult{} }, // see buildResult
	example: func(Shape) map[string]any {
		return map[string]any{"status": string(ResultStatusSupportedArea), "timedPopulationDensityData": []any{}}
	},
})

// buildResult builds the AsyncResult of a body without envelope that holds
// one, and returns nil for any other body.
func buildResult(w *wire.Event, env *Envelope) Event {
	for _, r := range resultAPIs {
		if !r.present(&w.Result) {
			continue
		}
		env.ID, env.Type, env.Shape = string(w.Result.OperationID), r.api, ShapeResult
		ev := newEvent(specOf(KindAsyncResult), env, nil, typeNames{}).(*AsyncResult)
		ev.OperationID, ev.Status, ev.StatusInfo = env.ID, ResultStatus(w.Result.Status), string(w.Result.StatusInfo)
		return ev
	}
	return nil
}
