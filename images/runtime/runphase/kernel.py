"""The few kernel calls Python's standard library lacks, through libc: mount
and lazy unmount, prctl (die with the parent, be the subreaper of orphans),
the OOM score, a process's I/O priority."""
import ctypes
import os
import signal

from .errors import HarnessFailure

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
MS_BIND, MS_REC, MNT_DETACH = 4096, 16384, 2
SYS_IOPRIO_GET = 252  # x86_64
IOPRIO_WHO_PROCESS = 1


def mount(source, target, fstype, flags, data):
    enc = lambda s: s.encode() if s is not None else None
    if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        e = ctypes.get_errno()
        raise HarnessFailure(f"mount {source} on {target}: {os.strerror(e)}")


def umount_lazy(target):
    libc.umount2(target.encode(), MNT_DETACH)


def die_with_parent():
    """In a child before exec: SIGKILL when run-phase goes."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper():
    """Orphans of run-phase's children are re-parented to it, not to the container's init."""
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def set_oom(pid, value):
    """Sets /proc/<pid>/oom_score_adj; False when not allowed (-1000 needs CAP_SYS_RESOURCE)."""
    try:
        with open(f"/proc/{pid}/oom_score_adj", "w") as f:
            f.write(str(value))
        return True
    except OSError:
        return False


def io_priority(pid):
    """ioprio_get(2) of a process, or None when it cannot be read."""
    io = libc.syscall(SYS_IOPRIO_GET, IOPRIO_WHO_PROCESS, pid)
    return io if io >= 0 else None
