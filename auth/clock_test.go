package auth_test

import "time"

// fixedNow is the time of the fake clock used by tests.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return fixedNow }
