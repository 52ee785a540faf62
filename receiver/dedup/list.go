package dedup

// list is an intrusive, circular doubly linked list of entries with a
// sentinel, so that every operation is O(1) and allocation-free. Unlike
// container/list it needs no extra node per entry.
type list struct {
	root entry // root.next is the front, root.prev the back
}

// init makes l empty. It must be called before use.
func (l *list) init() {
	l.root.next = &l.root
	l.root.prev = &l.root
}

// front returns the first entry, or nil if l is empty.
func (l *list) front() *entry {
	if l.root.next == &l.root {
		return nil
	}
	return l.root.next
}

// pushBack appends e, which must not be in l.
func (l *list) pushBack(e *entry) {
	last := l.root.prev
	e.prev = last
	e.next = &l.root
	last.next = e
	l.root.prev = e
}

// unlink removes e, which must be in l.
func (l *list) unlink(e *entry) {
	e.prev.next = e.next
	e.next.prev = e.prev
	e.prev = nil
	e.next = nil
}

// moveToBack moves e, which must be in l, to the back.
func (l *list) moveToBack(e *entry) {
	if l.root.prev == e {
		return
	}
	l.unlink(e)
	l.pushBack(e)
}
