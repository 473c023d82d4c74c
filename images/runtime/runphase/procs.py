"""The container's processes as /proc shows them (status fields, start time,
argv, children, PID namespace), signals to them, and waits on run-phase's
own children. The parse_* functions are pure: they take the text of a /proc
file."""
import os
import time

STATUS_FIELDS = ("State", "NSpid", "TracerPid", "SigPnd", "ShdPnd", "PPid")


def read_text(path, default=""):
    try:
        with open(path, "r", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def parse_status(text):
    """The fields of /proc/<pid>/status run-phase uses (STATUS_FIELDS), as strings."""
    out = {}
    for line in text.splitlines():
        k, _, v = line.partition(":")
        if k in STATUS_FIELDS:
            out[k] = v.strip()
    return out


def proc_status(pid):
    """parse_status of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            data = f.read().decode(errors="replace")
    except OSError:
        return None
    return parse_status(data)


def is_dead(status):
    """Gone, a zombie or dead, from a proc_status (None: gone)."""
    return not status or status.get("State", "Z").startswith(("Z", "X"))


def stat_fields(stat_text):
    """The fields of /proc/<pid>/stat after the command name (which may hold
    spaces and parentheses): field 3 (state) is [0]."""
    return stat_text[stat_text.rindex(")") + 2:].split()


def parse_start_time(stat_text):
    """The start time (field 22, clock ticks after boot) of a /proc/<pid>/stat text, or None."""
    try:
        return int(stat_fields(stat_text)[19])
    except (ValueError, IndexError):
        return None


def start_time(pid):
    return parse_start_time(read_text(f"/proc/{pid}/stat"))


def send(pid, sig):
    """Signals `pid` (none when it is None or 0) unless it is already gone."""
    if not pid:
        return
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def parse_cmdline(raw):
    """argv from a /proc/<pid>/cmdline text (NUL-terminated arguments)."""
    return [a for a in raw.split("\0")][:-1] if raw else []


def cmdline(pid):
    return parse_cmdline(read_text(f"/proc/{pid}/cmdline"))


def all_pids():
    return [int(n) for n in os.listdir("/proc") if n.isdigit()]


def children_of(pid):
    pids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            pids += [int(x) for x in read_text(f"/proc/{pid}/task/{tid}/children").split()]
    except OSError:
        pass
    return pids


def ns_inode(pid):
    """The inode of a process's PID namespace (two processes share a namespace when equal)."""
    try:
        return os.stat(f"/proc/{pid}/ns/pid").st_ino
    except OSError:
        return None


# ---------------------------------------------------------------- run-phase's own children


def wait_exit(pid, limit_s):
    """waitpid with a time limit; the raw status or None."""
    deadline = time.monotonic() + limit_s
    while True:
        try:
            p, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if p == pid:
            return status
        if time.monotonic() > deadline:
            return None
        time.sleep(0.001)


def has_exited(child):
    """Whether our child `child` has ended, without reaping it (wait_exit still can)."""
    try:
        return os.waitid(os.P_PID, child, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def find_child(parent, until, comm=None):
    """The first child of `parent` (with that comm when given), or None once
    our child `until` has ended or 5 s have passed."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for c in children_of(parent):
            if comm is None or read_text(f"/proc/{c}/comm").strip() == comm:
                return c
        if has_exited(until):
            return None
        time.sleep(0.0005)
    return None
