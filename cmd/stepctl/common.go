package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// memoryDB is the --db value that selects the in-memory store: nothing is
// kept after the command exits.
const memoryDB = ":memory:"

// engineFlags are the flags of every verb that opens the engine.
type engineFlags struct {
	db        string
	output    string
	waitScale float64
}

func (f *engineFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.db, "db", "", "database file (default $STEPCTL_DB, else stepctl.db in the user data directory); "+memoryDB+" keeps nothing")
	cmd.Flags().StringVar(&f.output, "output", "json", "output format: json, table or text")
	cmd.Flags().Float64Var(&f.waitScale, "wait-scale", 1, "multiply Wait states and retry delays by this factor (0 runs them instantly)")
}

// dbPath resolves the database file: --db, $STEPCTL_DB, or the default in
// the user's data directory ($XDG_DATA_HOME/stepctl/stepctl.db, else
// ~/.local/share/stepctl/stepctl.db).
func (f *engineFlags) dbPath() (string, error) {
	if f.db != "" {
		return f.db, nil
	}
	if env := os.Getenv("STEPCTL_DB"); env != "" {
		return env, nil
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "stepctl", "stepctl.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", badInput("cannot find the home directory for the default database (%v): pass --db FILE or set STEPCTL_DB", err)
	}
	return filepath.Join(home, ".local", "share", "stepctl", "stepctl.db"), nil
}

func (f *engineFlags) checkOutput() error {
	switch f.output {
	case "json", "table", "text":
		return nil
	}
	return badInput("--output %q is not one of json, table, text", f.output)
}

// openStore opens the store the flags select.
func (f *engineFlags) openStore(memoryOnly bool) (store.Store, error) {
	if memoryOnly {
		return memory.New(), nil
	}
	path, err := f.dbPath()
	if err != nil {
		return nil, err
	}
	if path == memoryDB {
		return memory.New(), nil
	}
	st, err := bolt.Open(path, nil)
	if err != nil {
		return nil, usageError{err}
	}
	return st, nil
}

// session is an open engine over a store.
type session struct {
	eng   *engine.Engine
	store store.Store
}

func (s *session) close() {
	s.eng.Close()
	s.store.Close()
}

// openSession opens the engine over the flags' store.
func (f *engineFlags) openSession(ctx context.Context, memoryOnly bool, reg *tasks.Registry, onEvent func(string, engine.HistoryEvent)) (*session, error) {
	if err := f.checkOutput(); err != nil {
		return nil, err
	}
	st, err := f.openStore(memoryOnly)
	if err != nil {
		return nil, err
	}
	eng, err := engine.Open(ctx, engine.Options{Store: st, Tasks: reg, WaitScale: f.waitScale, SkipWaits: f.waitScale <= 0, OnEvent: onEvent})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &session{eng: eng, store: st}, nil
}

// withEngine opens the engine over the flags' store, calls fn and closes
// the engine again: the body of each verb that only reads or changes the
// database.
func (f *engineFlags) withEngine(cmd *cobra.Command, fn func(ctx context.Context, eng *engine.Engine) error) error {
	s, err := f.openSession(cmd.Context(), false, nil, nil)
	if err != nil {
		return err
	}
	defer s.close()
	return fn(cmd.Context(), s.eng)
}

// listPageSize is how many items each List call asks the engine for.
const listPageSize = 1000

// allPages gathers a paginated list: it calls page with each next token
// until the last page, or until it holds limit items (0: no limit).
func allPages[T any](limit int, page func(token string) ([]T, string, error)) ([]T, error) {
	var all []T
	token := ""
	for {
		items, next, err := page(token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if limit > 0 && len(all) >= limit {
			return all[:limit], nil
		}
		if next == "" {
			return all, nil
		}
		token = next
	}
}

// readDocument reads a value given on the command line: "file://PATH" (or
// "fileb://PATH") reads the file, anything else is the text itself.
func readDocument(flag, value string) (string, error) {
	for _, prefix := range []string{"file://", "fileb://"} {
		if path, ok := strings.CutPrefix(value, prefix); ok {
			data, err := os.ReadFile(path)
			if err != nil {
				return "", badInput("--%s: %v", flag, err)
			}
			return string(data), nil
		}
	}
	return value, nil
}

// readJSON reads a JSON document given on the command line and checks it.
func readJSON(flag, value string) (string, error) {
	text, err := readDocument(flag, value)
	if err != nil {
		return "", err
	}
	if _, err := jsonv.ParseString(text); err != nil {
		return "", badInput("--%s is not valid JSON: %v", flag, err)
	}
	return text, nil
}

// apiError turns engine errors about the user's input into exit-status-2
// errors with one clear line.
func apiError(err error) error {
	var ee *engine.Error
	if errors.As(err, &ee) {
		return usageError{fmt.Errorf("%s: %s", ee.Code, ee.Message)}
	}
	return err
}

// formatTime prints a time the way the AWS CLI prints timestamps.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// printJSON prints v indented, as the AWS CLI does.
func printJSON(w io.Writer, v any) {
	w.Write(jsonv.MarshalIndent(v, "    "))
	fmt.Fprintln(w)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
