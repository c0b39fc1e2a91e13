package bolt_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
)

const crashARN = "arn:aws:states:us-east-1:123456789012:execution:crash:w"

// The subprocess half of TestKilledWriter: 8 goroutines append history to
// their own execution as fast as they can and print each acknowledged
// event ID, until killed.
func init() {
	path := os.Getenv("STEPCTL_BOLT_TEST_WRITE")
	if path == "" {
		return
	}
	s, err := bolt.Open(path, nil)
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			arn := crashARN + strconv.Itoa(w)
			err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: arn}) })
			if err != nil {
				fmt.Println("create failed:", err)
				os.Exit(1)
			}
			for id := int64(1); ; id++ {
				err := s.Update(ctx, func(tx store.Tx) error {
					if err := tx.PutFrame(arn, "root", []byte(strconv.FormatInt(id, 10))); err != nil {
						return err
					}
					return tx.AppendHistory(arn, []store.HistoryEvent{{ID: id, Type: "T"}})
				})
				if err != nil {
					fmt.Println("update failed:", err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Println(w, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestKilledWriter kills a process in the middle of durable Updates and
// checks that the file opens and holds everything that was acknowledged,
// with frames and history consistent (each Update's writes all or none).
func TestKilledWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STEPCTL_BOLT_TEST_WRITE="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := make(map[int]int64)
	sc := bufio.NewScanner(stdout)
	deadline := time.Now().Add(20 * time.Second)
	lines := 0
	for lines < 400 && time.Now().Before(deadline) && sc.Scan() {
		var w int
		var id int64
		if _, err := fmt.Sscan(sc.Text(), &w, &id); err != nil {
			t.Fatalf("writer said %q", sc.Text())
		}
		acked[w] = id
		lines++
	}
	cmd.Process.Kill()
	cmd.Wait()
	if lines < 400 {
		t.Fatalf("writer acknowledged only %d Updates", lines)
	}
	s, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatalf("reopening after kill -9: %v", err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx store.Tx) error {
		for w := range 8 {
			arn := crashARN + strconv.Itoa(w)
			last, err := tx.LastHistoryID(arn)
			if err != nil {
				return err
			}
			if last < acked[w] {
				return fmt.Errorf("writer %d: last event %d, but %d was acknowledged", w, last, acked[w])
			}
			frame, err := tx.GetFrame(arn, "root")
			if err != nil && last > 0 {
				return err
			}
			if last > 0 && string(frame) != strconv.FormatInt(last, 10) {
				return fmt.Errorf("writer %d: frame %q with last event %d: an Update was torn", w, frame, last)
			}
			h, err := tx.History(arn, 0, 0, false)
			if err != nil {
				return err
			}
			if int64(len(h)) != last {
				return fmt.Errorf("writer %d: %d events, last ID %d", w, len(h), last)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
