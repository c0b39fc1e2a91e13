//go:build unix

package lambda

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// setProcessGroup starts cmd in its own process group, so that a timeout
// stops the programs it starts too.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcessGroup kills cmd's process group.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		cmd.Process.Kill()
	}
}

// peakMemoryMB is the peak resident memory of a running process in MB
// (VmHWM from /proc), 0 where it cannot be read.
func peakMemoryMB(pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0
			}
			return (kb + 1023) / 1024
		}
	}
	return 0
}

// exitedPeakMemoryMB is the peak resident memory in MB of a process that
// has exited (Linux reports ru_maxrss in kB), 0 where unknown.
func exitedPeakMemoryMB(ps *os.ProcessState) int {
	if runtime.GOOS != "linux" || ps == nil {
		return 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return int((ru.Maxrss + 1023) / 1024)
}
