package bolt

import (
	"bytes"
	"fmt"

	"github.com/stepctl/stepctl/store"
)

// activity decodes the stored activity arn; ErrNotFound when there is none.
func (t *tx) activity(arn string) (*store.Activity, error) {
	v := t.acts().Get([]byte(arn))
	if v == nil {
		return nil, notFound("activity %q", arn)
	}
	a, err := decodeActivity(arn, v)
	if err != nil {
		return nil, corrupt("activity "+arn, err)
	}
	return a, nil
}

func (t *tx) PutActivity(a *store.Activity) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckARN("activity", a.ARN); err != nil {
		return err
	}
	key, v := []byte(a.ARN), encodeActivity(a)
	indexed := false
	if old := t.acts().Get(key); old != nil {
		if bytes.Equal(old, v) {
			return nil // unchanged: leave the page clean
		}
		prev, err := decodeActivity(a.ARN, old)
		if err != nil {
			return corrupt("activity "+a.ARN, err)
		}
		if indexed = prev.CreationDate.Equal(a.CreationDate); !indexed {
			if err := t.ixActs().Delete(activityIndexKey(a.ARN, prev.CreationDate)); err != nil {
				return err
			}
		}
	}
	if !indexed {
		if err := t.ixActs().Put(activityIndexKey(a.ARN, a.CreationDate), []byte{}); err != nil {
			return err
		}
	}
	return t.acts().Put(key, v)
}

func (t *tx) GetActivity(arn string) (*store.Activity, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.activity(arn)
}

func (t *tx) DeleteActivity(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	a, err := t.activity(arn)
	if err != nil {
		return err
	}
	if err := t.ixActs().Delete(activityIndexKey(arn, a.CreationDate)); err != nil {
		return err
	}
	if err := t.acts().Delete([]byte(arn)); err != nil {
		return err
	}
	return deletePrefix(t.actTasks(), activityTaskKey(arn, ""), nil)
}

func (t *tx) ListActivities(after string, limit int) ([]*store.Activity, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var seek []byte
	if after != "" {
		a, err := t.activity(after)
		if err != nil {
			return nil, err
		}
		seek = append(activityIndexKey(after, a.CreationDate), 0) // the smallest key after after's
	}
	var out []*store.Activity
	c := t.ixActs().Cursor()
	for k, _ := c.Seek(seek); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		if len(k) <= timeKeyLen {
			return nil, corrupt("activity index", errCorrupt)
		}
		arn := string(k[timeKeyLen:])
		a, err := t.activity(arn)
		if err != nil {
			return nil, corrupt("activity index", fmt.Errorf("store/bolt: the index names activity %q: %w", arn, err))
		}
		out = append(out, a)
	}
	return out, nil
}

func (t *tx) PutActivityTask(activityARN, key string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	if t.acts().Get([]byte(activityARN)) == nil {
		return notFound("activity %q", activityARN)
	}
	if data == nil {
		data = []byte{}
	}
	return t.actTasks().Put(activityTaskKey(activityARN, key), data)
}

func (t *tx) DeleteActivityTask(activityARN, key string) error {
	if err := t.check(true); err != nil {
		return err
	}
	return t.actTasks().Delete(activityTaskKey(activityARN, key))
}

// activityTasksChunk is how many entries ActivityTasks reads before calling
// fn on them; fn may modify the bucket, so the cursor is re-positioned
// after each chunk.
const activityTasksChunk = 128

func (t *tx) ActivityTasks(activityARN string, fn func(key string, data []byte) bool) error {
	if err := t.check(false); err != nil {
		return err
	}
	if t.acts().Get([]byte(activityARN)) == nil {
		return notFound("activity %q", activityARN)
	}
	prefix := activityTaskKey(activityARN, "")
	seek := prefix
	type entry struct {
		key  string
		data []byte
	}
	chunk := make([]entry, 0, activityTasksChunk)
	for {
		chunk = chunk[:0]
		c := t.actTasks().Cursor()
		for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix) && len(chunk) < activityTasksChunk; k, v = c.Next() {
			chunk = append(chunk, entry{string(k[len(prefix):]), bytes.Clone(v)})
		}
		for _, e := range chunk {
			if !fn(e.key, e.data) {
				return nil
			}
		}
		if len(chunk) < activityTasksChunk {
			return nil
		}
		seek = append(activityTaskKey(activityARN, chunk[len(chunk)-1].key), 0)
	}
}
