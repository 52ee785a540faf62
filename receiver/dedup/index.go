package dedup

// slotIndex maps a digest to its slot's position. It is an open-addressing
// table with linear probing rather than a map[digest]uint32: under load a
// store larger than the caches costs a cache miss for every line a lookup
// touches, and a cell here holds what a probe needs (a 32-bit tag and the
// position) in 8 bytes, so a lookup of an absent digest, and the deletion
// of an evicted one, touch one line of the table and no slot, where the
// map touches its control word and then its key. The tag is the low half
// of the digest's first word, so a cell's home can be recomputed from the
// cell alone when the table grows or a deletion shifts cells back.
type slotIndex struct {
	cells []uint64 // tag<<32 | position; 0 is empty (position 0, the sentinel, is never indexed)
	n     int
	mask  uint32
}

// minIndexCells is the table's size once the first digest is inserted.
const minIndexCells = 64

func (x *slotIndex) len() int { return x.n }

// find returns the position of d, or 0 if d is absent. slots resolves a
// tag that matches: the digest decides.
func (x *slotIndex) find(d digest, slots []slot) uint32 {
	if x.n == 0 {
		return 0
	}
	tag := uint32(d[0])
	for i := tag & x.mask; ; i = (i + 1) & x.mask {
		c := x.cells[i]
		if c == 0 {
			return 0
		}
		if uint32(c>>32) == tag && slots[uint32(c)].key == d {
			return uint32(c)
		}
	}
}

// insert indexes position pos under d, which must be absent.
func (x *slotIndex) insert(d digest, pos uint32) {
	if 2*(x.n+1) > len(x.cells) {
		x.grow()
	}
	x.place(uint64(uint32(d[0]))<<32 | uint64(pos))
	x.n++
}

// place puts cell c in the first empty cell from its home.
func (x *slotIndex) place(c uint64) {
	i := uint32(c>>32) & x.mask
	for x.cells[i] != 0 {
		i = (i + 1) & x.mask
	}
	x.cells[i] = c
}

// grow doubles the table (at most half full after it) and re-places every
// cell.
func (x *slotIndex) grow() {
	old := x.cells
	x.cells = make([]uint64, max(2*len(old), minIndexCells))
	x.mask = uint32(len(x.cells) - 1)
	for _, c := range old {
		if c != 0 {
			x.place(c)
		}
	}
}

// remove drops position pos, indexed under d, and shifts back the cells
// after it that its removal would cut off from their home (backward-shift
// deletion: no tombstones, so probes stay short).
func (x *slotIndex) remove(d digest, pos uint32) {
	i := uint32(d[0]) & x.mask
	for uint32(x.cells[i]) != pos {
		if x.cells[i] == 0 {
			panic("dedup: removing a position the index does not hold")
		}
		i = (i + 1) & x.mask
	}
	for j := (i + 1) & x.mask; x.cells[j] != 0; j = (j + 1) & x.mask {
		home := uint32(x.cells[j]>>32) & x.mask
		// Move the cell at j into the hole at i unless its home lies
		// cyclically in (i, j], where a probe from home would reach j
		// without passing i.
		if (j-home)&x.mask >= (j-i)&x.mask {
			x.cells[i] = x.cells[j]
			i = j
		}
	}
	x.cells[i] = 0
	x.n--
}
