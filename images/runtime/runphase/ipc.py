"""The IPC objects of the container's IPC namespace (System V message queues,
semaphores and shared memory from /proc/sysvipc, POSIX queues from
/dev/mqueue). chroot does not separate them: the jail shares them with the
booted system, so what exists before the script is the booted system's
(result.json `ipc`), a daemon's queue is one of its endpoints (comsec's
`msg:0x434f4d53`), and what an earlier run's script made is removed before
the next booted system starts. `parse_sysvipc` and `endpoints_of` are pure."""
import os
import subprocess

SYSV_IPC_KINDS = ("msg", "sem", "shm")
MQUEUE_DIR = "/dev/mqueue"
IPCRM_FLAGS = {"msg": "-q", "sem": "-s", "shm": "-m"}


def parse_sysvipc(text):
    """[{key, id}] of a /proc/sysvipc/<kind> text (a header line, then `key id ...` rows)."""
    rows = []
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            rows.append({"key": int(parts[0]), "id": int(parts[1])})
    return rows


def snapshot():
    """{msg, sem, shm: [{key, id}], mqueue: ["/name"]}, or None when something
    cannot be read: the analysis then knows nothing of them."""
    snap = {}
    try:
        for kind in SYSV_IPC_KINDS:
            with open(f"/proc/sysvipc/{kind}") as f:
                snap[kind] = parse_sysvipc(f.read())
        snap["mqueue"] = sorted("/" + name for name in os.listdir(MQUEUE_DIR))
    except (OSError, ValueError):
        return None
    return snap


def endpoints_of(snap):
    """The System V message queues of a snapshot, as daemon endpoints (`msg:0x434f4d53`)."""
    return {f"msg:0x{o['key']:08x}" for o in (snap or {}).get("msg", []) if o["key"] > 0}


def endpoints():
    return endpoints_of(snapshot())


def remove_all():
    """Removes every IPC object there is (ipcrm; POSIX queues unlinked)."""
    snap = snapshot() or {}
    for kind in SYSV_IPC_KINDS:
        for o in snap.get(kind, []):
            subprocess.run(["ipcrm", IPCRM_FLAGS[kind], str(o["id"])], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    for name in snap.get("mqueue", []):
        try:
            os.unlink(MQUEUE_DIR + name)
        except OSError:
            pass
