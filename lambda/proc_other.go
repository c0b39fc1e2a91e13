//go:build !unix

package lambda

import (
	"os"
	"os/exec"
)

// setProcessGroup does nothing where process groups do not exist.
func setProcessGroup(cmd *exec.Cmd) {}

// killProcessGroup kills cmd's process.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

// peakMemoryMB is unknown here.
func peakMemoryMB(pid int) int { return 0 }

// exitedPeakMemoryMB is unknown here.
func exitedPeakMemoryMB(ps *os.ProcessState) int { return 0 }
