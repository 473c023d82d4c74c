"""The limits of a run and the wait for the script's end. While the script
runs, every POLL_S: its timeout, the trace's and outputs' sizes, the clone's
free space, the container's pids and memory cgroups; after it, whether the
OOM killer struck. LIMITS names every limit result.json's limitHit can hold
(`tracer` is set by phase.py when strace had to be killed). The parse_* and
*_hit functions are pure."""
import os
import select
import time

from .layout import INACTIVE
from .procs import read_text

LIMITS = ("timeout", "trace-size", "output-size", "disk", "pids", "memory", "tracer")
POLL_S = 0.02
PIDS_MARGIN = 8
MEMORY_SHARE = 0.95
# cgroup v1 and v2 files: (current, max) of pids; (usage, limit, stat, inactive page cache key) of memory.
PIDS_FILES = (("/sys/fs/cgroup/pids/pids.current", "/sys/fs/cgroup/pids/pids.max"),
              ("/sys/fs/cgroup/pids.current", "/sys/fs/cgroup/pids.max"))
MEMORY_FILES = (("/sys/fs/cgroup/memory/memory.usage_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                 "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file"),
                ("/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.max",
                 "/sys/fs/cgroup/memory.stat", "inactive_file"))
OOM_FILES = (("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"), ("/sys/fs/cgroup/memory.events", "oom_kill"))


def parse_value(text):
    """A cgroup file's number; None for "max", nothing or no number."""
    try:
        v = text.strip()
        return None if v in ("", "max") else int(v)
    except ValueError:
        return None


def parse_key(text, key):
    """The number after `key ` in a cgroup key-value file (memory.stat, memory.events), or None."""
    for line in text.splitlines():
        k, _, v = line.partition(" ")
        if k == key and v.strip().isdigit():
            return int(v)
    return None


def pids_hit(current, maximum):
    return current >= maximum - PIDS_MARGIN


def memory_hit(usage, limit, inactive_file):
    """The working set (usage less inactive page cache), as docker stats counts
    it (the trace and outputs sit in page cache the kernel reclaims), at 95% of
    a real limit (v1 writes a huge number for none)."""
    working_set = usage - (inactive_file or 0)
    return limit < (1 << 60) and working_set >= limit * MEMORY_SHARE


def cgroup_limit_hit():
    """'pids' or 'memory' when the container is about to hit its cgroup limit."""
    for cur, mx in PIDS_FILES:
        c, m = parse_value(read_text(cur)), parse_value(read_text(mx))
        if c is not None and m is not None:
            if pids_hit(c, m):
                return "pids"
            break
    for cur, mx, st, key in MEMORY_FILES:
        c, m = parse_value(read_text(cur)), parse_value(read_text(mx))
        if c is not None and m is not None:
            if memory_hit(c, m, parse_key(read_text(st), key)):
                return "memory"
            break
    return None


def oom_kills():
    """How many processes the OOM killer has killed in the container's memory cgroup."""
    for path, key in OOM_FILES:
        n = parse_key(read_text(path), key)
        if n is not None:
            return n
    return 0


def inactive_free():
    """Bytes free in the inactive image's file system, and the least to keep free
    (1 MiB or 0.5% of it)."""
    st = os.statvfs(INACTIVE)
    return st.f_bavail * st.f_frsize, max(1 << 20, st.f_blocks * st.f_frsize // 200)


def inactive_full(free_at_start):
    """The script filled the inactive image: less than the least is free, and less
    than when the script started (a clone that starts nearly full is not its doing).
    What it does from here on runs on write errors."""
    free, least = inactive_free()
    return free < least and free < free_at_start


class Watchdog:
    """One script's limits, from its request; what they are measured against
    is taken when it is made, just before the script starts."""

    def __init__(self, req, outputs):
        self.req = req
        self.outputs = outputs
        self.ooms = oom_kills()
        self.free_at_start, _ = inactive_free()
        self.deadline = None

    def start(self, t0):
        self.deadline = t0 + self.req["timeoutSeconds"]

    def limit_hit(self):
        """The first limit reached, or None."""
        if time.monotonic() >= self.deadline:
            return "timeout"
        if not self.req["untraced"] and os.path.getsize(self.outputs.trace) >= self.req["maxTraceBytes"]:
            return "trace-size"
        if max(os.path.getsize(self.outputs.stdout), os.path.getsize(self.outputs.stderr)) >= self.req["maxOutputBytes"]:
            return "output-size"
        if inactive_full(self.free_at_start):
            return "disk"
        return cgroup_limit_hit()

    def oom_struck(self):
        """The OOM killer killed something since the script started (faster than the 95% check)."""
        return oom_kills() > self.ooms

    def wait(self, watch, report_pipe, stop_at_limit):
        """Waits for the script's end: `watch` readable (the launcher's pidfd,
        or `report_pipe`, the keeper's status pipe, which is read until its
        line ends). At a limit, `stop_at_limit()` empties the jail and says
        what it killed. Returns (what the pipe gave, the limit, what was killed)."""
        report = b""
        while True:
            if select.select([watch], [], [], POLL_S)[0]:
                if watch != report_pipe:
                    return report, None, None
                chunk = os.read(report_pipe, 64)
                report += chunk
                if not chunk or report.endswith(b"\n"):
                    return report, None, None
                continue
            limit = self.limit_hit()
            if limit:
                return report, limit, stop_at_limit()
