package memory

import "github.com/stepctl/stepctl/store"

// eventChunk is how many events an eventLog keeps per chunk: appending never
// copies more than one chunk, however long the history grows.
const eventChunk = 256

// eventLog is an execution's history; event i (0-based) has ID i+1.
type eventLog struct {
	chunks [][]store.HistoryEvent
	n      int
}

func (l *eventLog) len() int { return l.n }

func (l *eventLog) at(i int) store.HistoryEvent { return l.chunks[i/eventChunk][i%eventChunk] }

func (l *eventLog) append(ev store.HistoryEvent) {
	if l.n%eventChunk == 0 {
		l.chunks = append(l.chunks, make([]store.HistoryEvent, 0, eventChunk))
	}
	last := len(l.chunks) - 1
	l.chunks[last] = append(l.chunks[last], ev)
	l.n++
}

// truncate drops the events from index n on.
func (l *eventLog) truncate(n int) {
	for l.n > n {
		last := len(l.chunks) - 1
		c := l.chunks[last]
		keep := max(n-last*eventChunk, 0)
		clear(c[keep:])
		l.chunks[last] = c[:keep]
		l.n -= len(c) - keep
		if keep == 0 {
			l.chunks[last] = nil
			l.chunks = l.chunks[:last]
		}
	}
}
