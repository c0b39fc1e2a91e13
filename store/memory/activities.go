package memory

import (
	"fmt"
	"maps"
	"slices"

	"github.com/stepctl/stepctl/store"
)

// copyActivity copies a record; no tags come back as nil Tags, as from
// the other backends.
func copyActivity(a *store.Activity) *store.Activity {
	c := *a
	c.Tags = nil
	if len(a.Tags) > 0 {
		c.Tags = maps.Clone(a.Tags)
	}
	return &c
}

func (t *tx) activity(arn string) (*activity, error) {
	a := t.s.activities[arn]
	if a == nil {
		return nil, fmt.Errorf("activity %q: %w", arn, store.ErrNotFound)
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
	arn, rec := a.ARN, *copyActivity(a)
	newKey := creationOrderKey(&rec)
	if old := t.s.activities[arn]; old != nil {
		oldRec, oldKey := old.rec, creationOrderKey(&old.rec)
		old.rec = rec
		t.s.byCreation.delete(oldKey)
		t.s.byCreation.insert(newKey)
		t.undo = append(t.undo, func() {
			old.rec = oldRec
			t.s.byCreation.delete(newKey)
			t.s.byCreation.insert(oldKey)
		})
		return nil
	}
	t.s.activities[arn] = &activity{rec: rec, tasks: make(map[string][]byte)}
	t.s.byCreation.insert(newKey)
	t.undo = append(t.undo, func() {
		delete(t.s.activities, arn)
		t.s.byCreation.delete(newKey)
	})
	return nil
}

func (t *tx) GetActivity(arn string) (*store.Activity, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	a, err := t.activity(arn)
	if err != nil {
		return nil, err
	}
	return copyActivity(&a.rec), nil
}

func (t *tx) DeleteActivity(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	a, err := t.activity(arn)
	if err != nil {
		return err
	}
	key := creationOrderKey(&a.rec)
	delete(t.s.activities, arn)
	t.s.byCreation.delete(key)
	t.undo = append(t.undo, func() {
		t.s.activities[arn] = a
		t.s.byCreation.insert(key)
	})
	return nil
}

func (t *tx) ListActivities(after string, limit int) ([]*store.Activity, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	from := ""
	if after != "" {
		a, err := t.activity(after)
		if err != nil {
			return nil, err
		}
		from = creationOrderKey(&a.rec)
	}
	var out []*store.Activity
	t.s.byCreation.ascend(from, func(k string) bool {
		if k == from {
			return true
		}
		out = append(out, copyActivity(&t.s.activities[k[timeKeyLen:]].rec))
		return limit <= 0 || len(out) < limit
	})
	return out, nil
}

func (t *tx) PutActivityTask(activityARN, key string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	a, err := t.activity(activityARN)
	if err != nil {
		return err
	}
	old, had := a.tasks[key]
	a.tasks[key] = append(make([]byte, 0, len(data)), data...)
	t.undo = append(t.undo, func() {
		if had {
			a.tasks[key] = old
		} else {
			delete(a.tasks, key)
		}
	})
	return nil
}

func (t *tx) DeleteActivityTask(activityARN, key string) error {
	if err := t.check(true); err != nil {
		return err
	}
	a := t.s.activities[activityARN]
	if a == nil {
		return nil
	}
	old, had := a.tasks[key]
	if !had {
		return nil
	}
	delete(a.tasks, key)
	t.undo = append(t.undo, func() { a.tasks[key] = old })
	return nil
}

func (t *tx) ActivityTasks(activityARN string, fn func(key string, data []byte) bool) error {
	if err := t.check(false); err != nil {
		return err
	}
	a, err := t.activity(activityARN)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(a.tasks)) {
		data, ok := a.tasks[k]
		if !ok {
			continue // deleted by fn during the iteration
		}
		if !fn(k, append(make([]byte, 0, len(data)), data...)) {
			break
		}
	}
	return nil
}
