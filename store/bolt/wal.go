package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// The write-ahead log, "<database>.wal". Each group commit appends one
// record holding the redo records of its Updates (redo.go) and syncs the
// file once; the bbolt file itself is written only at checkpoints. A
// record is
//
//	crc32c(the rest) | uint32 payload length | uint64 epoch | uint64 seq | payload
//
// (integers big-endian). The epoch names one checkpoint interval: a
// checkpoint commits the bbolt transaction holding everything logged so
// far together with meta "walEpoch" = epoch+1, then writes the new epoch's
// records from offset 0 with seq 1, 2, …. Recovery replays the records of
// the epoch bbolt names, from offset 0, while their seq continues and their
// checksum holds; whatever follows (a torn write, zeros, an older epoch's
// records) is ignored. Every record that was acknowledged was synced before
// its acknowledgement, so recovery finds it.
//
// The file is extended in zero-filled chunks ahead of the records and then
// rewritten in place, so that a sync flushes data pages only, not the
// file's size (on ext4 that halves the cost of a sync).
const (
	walHeaderLen  = 24
	walMinChunk   = 1 << 20
	walMaxChunk   = 16 << 20
	walSuffix     = ".wal"
	metaWALEpoch  = "walEpoch"
	maxWALPayload = 1<<32 - 1
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// wal is the write-ahead log file. Only the committer appends; the syncer
// calls sync concurrently.
type wal struct {
	f      *os.File
	path   string
	noSync bool
	epoch  uint64
	seq    uint64 // seq of the last record of this epoch
	off    int64  // where the next record goes
	size   int64  // the file's size (zero-filled beyond off)
	buf    []byte
}

func openWAL(path string, noSync bool) (*wal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &wal{f: f, path: path, noSync: noSync, size: st.Size()}, nil
}

// replay calls fn with the payload of each record of epoch, in order.
func (w *wal) replay(epoch uint64, fn func(payload []byte) error) (records int, err error) {
	data, err := io.ReadAll(io.NewSectionReader(w.f, 0, w.size))
	if err != nil {
		return 0, err
	}
	for seq := uint64(1); len(data) >= walHeaderLen; seq++ {
		n := int64(binary.BigEndian.Uint32(data[4:]))
		if binary.BigEndian.Uint64(data[8:]) != epoch || binary.BigEndian.Uint64(data[16:]) != seq || int64(len(data)-walHeaderLen) < n {
			break
		}
		rec := data[:walHeaderLen+n]
		if crc32.Checksum(rec[4:], crcTable) != binary.BigEndian.Uint32(rec) {
			break
		}
		if err := fn(rec[walHeaderLen:]); err != nil {
			return records, fmt.Errorf("record %d of epoch %d: %w", seq, epoch, err)
		}
		records++
		data = data[len(rec):]
	}
	return records, nil
}

// reset starts epoch at the beginning of the file.
func (w *wal) reset(epoch uint64) {
	w.epoch, w.seq, w.off = epoch, 0, 0
}

var errWALRecordTooLarge = errors.New("store/bolt: one commit's changes exceed 4 GiB")

// append writes the segments of payload as the next record (not synced).
func (w *wal) append(payload [][]byte) error {
	size := 0
	for _, seg := range payload {
		size += len(seg)
	}
	if int64(size) > maxWALPayload {
		return errWALRecordTooLarge
	}
	n := int64(walHeaderLen + size)
	if w.off+n > w.size {
		if err := w.grow(w.off + n); err != nil {
			return err
		}
	}
	w.buf = append(w.buf[:0], make([]byte, walHeaderLen)...)
	binary.BigEndian.PutUint32(w.buf[4:], uint32(size))
	binary.BigEndian.PutUint64(w.buf[8:], w.epoch)
	binary.BigEndian.PutUint64(w.buf[16:], w.seq+1)
	for _, seg := range payload {
		w.buf = append(w.buf, seg...)
	}
	binary.BigEndian.PutUint32(w.buf, crc32.Checksum(w.buf[4:], crcTable))
	if _, err := w.f.WriteAt(w.buf, w.off); err != nil {
		return err
	}
	w.seq++
	w.off += n
	if cap(w.buf) > walMaxChunk {
		w.buf = nil
	}
	return nil
}

// grow zero-fills the file up to at least end, in chunks that double up to
// walMaxChunk, and syncs the new size.
func (w *wal) grow(end int64) error {
	chunk := min(max(w.size, walMinChunk), walMaxChunk)
	newSize := w.size + chunk
	for newSize < end {
		newSize += chunk
	}
	zeros := make([]byte, min(newSize-w.size, walMaxChunk))
	for off := w.size; off < newSize; off += int64(len(zeros)) {
		if _, err := w.f.WriteAt(zeros[:min(int64(len(zeros)), newSize-off)], off); err != nil {
			return err
		}
	}
	w.size = newSize
	if w.noSync {
		return nil
	}
	return w.f.Sync()
}

// sync makes every record written so far durable.
func (w *wal) sync() error {
	if w.noSync {
		return nil
	}
	return fdatasync(w.f)
}

func (w *wal) close() error { return w.f.Close() }
