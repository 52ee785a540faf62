package receiver

import "log/slog"

// Rule is a row of the outcome table, exported for TestStatusContract.
type Rule struct {
	Status int // StatusSuccess for Config.SuccessStatus
	Retry  bool
	Level  slog.Level
}

// StatusSuccess stands for Config.SuccessStatus in a Rule.
const StatusSuccess = statusSuccess

// OutcomeRules returns a copy of the outcome table.
func OutcomeRules() map[Outcome]Rule {
	m := make(map[Outcome]Rule, len(outcomes))
	for o, r := range outcomes {
		m[o] = Rule{Status: r.status, Retry: r.retry, Level: r.level}
	}
	return m
}
