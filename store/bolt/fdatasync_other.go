//go:build !linux

package bolt

import "os"

// fdatasync flushes f (where the system has no fdatasync, with fsync).
func fdatasync(f *os.File) error { return f.Sync() }
