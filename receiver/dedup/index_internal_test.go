package dedup

import (
	"math/rand/v2"
	"testing"
)

// TestSlotIndex holds the index to a map through random inserts and
// removes, with digests drawn from few homes (so that clusters form, wrap
// around the table's end and are shifted back on removal) and from many.
func TestSlotIndex(t *testing.T) {
	for _, tc := range []struct {
		name  string
		homes uint64 // distinct low words; 0: any
		steps int
	}{{"clustered", 8, 3_000}, {"spread", 0, 20_000}} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var x slotIndex
			slots := []slot{{}} // the sentinel
			want := map[digest]uint32{}
			var live []digest
			for step := range tc.steps {
				if len(live) > 0 && rng.IntN(3) == 0 {
					k := rng.IntN(len(live))
					d := live[k]
					live[k] = live[len(live)-1]
					live = live[:len(live)-1]
					x.remove(d, want[d])
					delete(want, d)
				} else {
					d := digest{rng.Uint64(), rng.Uint64()}
					if tc.homes != 0 {
						d[0] = d[0]&^0xffffffff | rng.Uint64N(tc.homes)*0x9e37 // same tag, or a few tags
					}
					if _, dup := want[d]; dup {
						continue
					}
					slots = append(slots, slot{key: d})
					pos := uint32(len(slots) - 1)
					x.insert(d, pos)
					want[d] = pos
					live = append(live, d)
				}
				if x.len() != len(want) {
					t.Fatalf("step %d: len %d, want %d", step, x.len(), len(want))
				}
				if step%97 == 0 {
					for d, pos := range want {
						if got := x.find(d, slots); got != pos {
							t.Fatalf("step %d: find = %d, want %d", step, got, pos)
						}
					}
					if got := x.find(digest{rng.Uint64(), 1}, slots); got != 0 {
						t.Fatalf("step %d: find of an absent digest = %d, want 0", step, got)
					}
				}
			}
		})
	}
}
