package memory

import (
	"testing"

	"github.com/stepctl/stepctl/store"
)

func TestEventLogTruncateAcrossChunks(t *testing.T) {
	var l eventLog
	for _, tc := range []struct{ grow, truncate int }{
		{600, 300}, {300, 256}, {256, 255}, {10, 0}, {eventChunk, eventChunk}, {1, 1}, {3 * eventChunk, 2},
	} {
		for l.len() < tc.grow {
			l.append(store.HistoryEvent{ID: int64(l.len() + 1)})
		}
		l.truncate(tc.truncate)
		if l.len() != tc.truncate {
			t.Fatalf("len %d after truncate(%d)", l.len(), tc.truncate)
		}
		if want := (tc.truncate + eventChunk - 1) / eventChunk; len(l.chunks) != want {
			t.Fatalf("%d chunks holding %d events, want %d", len(l.chunks), l.len(), want)
		}
		for i := range l.len() {
			if ev := l.at(i); ev.ID != int64(i+1) {
				t.Fatalf("event %d has ID %d", i, ev.ID)
			}
		}
		l.append(store.HistoryEvent{ID: int64(l.len() + 1)}) // appending continues the sequence
		if ev := l.at(l.len() - 1); ev.ID != int64(l.len()) {
			t.Fatalf("appended event has ID %d at %d", ev.ID, l.len())
		}
		l.truncate(l.len() - 1)
	}
}
