"""The booted system's daemons: which there are (DAEMONS: name, endpoints,
pid file, on/off variable, at their HP-UX names), whether the booted tree
starts each, when each is ready (pid file, process, endpoints bound), and
what the script may change in one without a signal (sched_state) or whether
it died (alive). The parse_* functions are pure.

The daemons are started by the booted tree's own /sbin/rc (init scripts,
rc.config.d). Branch exploration's extra stand-in daemons plug in at two
places: an init script in the booted tree (trees.prepare_booted) that starts
them, and a DaemonSpec each in the list given to wait_ready, so the run waits
for them and result.json lists them."""
import os
import re
import time
from collections import namedtuple

from . import ipc, kernel
from .errors import HarnessFailure
from .layout import BOOTED
from .procs import is_dead, proc_status, read_text, start_time, stat_fields

# pidfile: where the daemon writes its pid (images/README.md, "pid files");
# rc_var: the /etc/rc.config.d/<name> variable that turns it on (None: its
# init script starts it whenever it is there: syslogd's has no on/off variable).
DaemonSpec = namedtuple("DaemonSpec", "name endpoints pidfile rc_var")

# rc_var of a daemon started whatever the tree's rc.config.d says (branch
# exploration's stand-in daemons, started by the variant's own rc script).
ALWAYS = "*always*"

DAEMONS = (
    DaemonSpec("syslogd", ["unix:/dev/log"], "/var/run/syslog.pid", None),
    DaemonSpec("inetd", ["tcp:127.0.0.1:2323"], "/var/run/inetd.pid", "INETD"),
    DaemonSpec("swagentd", ["tcp:127.0.0.1:2121"], "/var/run/swagentd.pid", "SWAGENTD"),
    # comsec holds a System V message queue (key "COMS", images/standins/standin.h).
    DaemonSpec("comsec", ["msg:0x434f4d53"], "/var/run/comsec.pid", "COMSEC"),
    DaemonSpec("vxconfigd", ["unix:@vxconfigd"], "/var/run/vxconfigd.pid", "VXCONFIGD"),
    DaemonSpec("tftpd", ["udp:127.0.0.1:69"], "/var/run/tftpd.pid", "TFTPD"),
    DaemonSpec("cron", [], "/var/run/cron.pid", "CRON"),
)

# ---------------------------------------------------------------- readiness


def parse_net(tcp, udp, unix):
    """Endpoints bound, from the texts of /proc/net/tcp, udp and unix: tcp ports
    listening and udp ports bound (`tcp:127.0.0.1:2323`), unix socket paths
    (`unix:/dev/log`, abstract ones `unix:@vxconfigd`)."""
    found = set()
    for proto, text, want_state in (("tcp", tcp, "0A"), ("udp", udp, "07")):
        for line in text.splitlines()[1:]:
            f = line.split()
            if len(f) > 3 and f[3] == want_state:
                addr, port = f[1].split(":")
                ip = ".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0))
                found.add(f"{proto}:{ip}:{int(port, 16)}")
    for line in unix.splitlines()[1:]:
        f = line.split()
        if len(f) >= 8:
            found.add("unix:" + f[7])
    return found


def listening():
    """Endpoints the container's network namespace has bound (read from /proc,
    so the check is no request and leaves no witness line)."""
    return parse_net(read_text("/proc/net/tcp"), read_text("/proc/net/udp"), read_text("/proc/net/unix"))


def rc_enabled(rc_config, var):
    """Whether an /etc/rc.config.d file sets `var=1` (None: no variable, always on)."""
    if var is None:
        return True
    return re.search(rf"^\s*{var}=1\s*$", rc_config, re.M) is not None


def enabled(spec):
    """Whether the booted tree starts this daemon: its init script, and its variable =1 in /etc/rc.config.d/NAME."""
    if spec.rc_var == ALWAYS:
        return True
    if not os.path.exists(f"{BOOTED}/sbin/init.d/{spec.name}"):
        return False
    if spec.rc_var is None:
        return True
    return rc_enabled(read_text(f"{BOOTED}/etc/rc.config.d/{spec.name}"), spec.rc_var)


def ready_state(spec, nsmap, bound):
    """(the daemon as result.json lists it, None) once it is ready; (None,
    what is missing) while it is not; (None, None) when the tree does not start it."""
    pidfile = BOOTED + spec.pidfile
    if not os.path.exists(pidfile):
        return None, (f"{spec.name}: no {pidfile}" if enabled(spec) else None)
    try:
        ns_pid = int(read_text(pidfile).strip())
    except ValueError:
        return None, f"{spec.name}: {pidfile} holds no pid"
    pid = nsmap.get(ns_pid)
    if pid is None:
        return None, f"{spec.name}: pid {ns_pid} from {pidfile} is not running"
    missing = [e for e in spec.endpoints if e not in bound]
    if missing:
        return None, f"{spec.name}: {', '.join(missing)} not bound"
    return {"name": spec.name, "pid": pid, "nsPid": ns_pid, "endpoints": spec.endpoints,
            "startTime": start_time(pid)}, None


def wait_ready(booted, deadline, rclog, specs=DAEMONS):
    """Waits until every daemon the booted tree starts is ready; the ready ones, in `specs` order."""
    while True:
        nsmap = booted.ns_pid_map()
        bound = listening() | ipc.endpoints()
        daemons, pending = [], []
        for spec in specs:
            daemon, missing = ready_state(spec, nsmap, bound)
            if daemon:
                daemons.append(daemon)
            elif missing:
                pending.append(missing)
        if not pending:
            return daemons
        if time.monotonic() > deadline:
            raise HarnessFailure("the booted system's daemons are not ready: " + "; ".join(pending)
                                 + "\n/etc/rc.log:\n" + rclog)
        time.sleep(0.002)


# ---------------------------------------------------------------- ground truth


def alive(d):
    """The same process as when it was found ready: running, not a zombie, same start time."""
    return not is_dead(proc_status(d["pid"])) and start_time(d["pid"]) == d["startTime"]


def parse_sched(stat_text, limits_text, status_text):
    """nice, rtPriority, policy (from /proc/<pid>/stat), cpus (Cpus_allowed_list
    of status) and limits ("soft hard" by name, from limits)."""
    fields = stat_fields(stat_text)
    st = {"nice": int(fields[16]), "rtPriority": int(fields[37]), "policy": int(fields[38])}
    cpus = None
    for line in status_text.splitlines():
        if line.startswith("Cpus_allowed_list:"):
            cpus = line.split(":", 1)[1].strip()
    st["cpus"] = cpus
    # "Max open files            1024                 1048576              files": soft and hard.
    limits = {}
    for line in limits_text.splitlines()[1:]:
        name, soft, hard = line[:26].strip(), line[26:47].strip(), line[47:68].strip()
        if name:
            limits[name] = f"{soft} {hard}"
    return st, limits


def sched_state(pid):
    """What a process change (renice, chrt, taskset, ionice, prlimit) alters in
    a booted process without signalling it: nice, scheduling policy and
    real-time priority, CPU affinity, I/O priority, resource limits. None when
    the process is gone. Compared before and after the script, a difference is
    ground truth for the process-change rule (DaemonState in
    harness/contract/daemon-state.ts)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat_text = f.read()
        with open(f"/proc/{pid}/limits") as f:
            limits_text = f.read()
        with open(f"/proc/{pid}/status") as f:
            status_text = f.read()
    except OSError:
        return None
    st, limits = parse_sched(stat_text, limits_text, status_text)
    st["ioPriority"] = kernel.io_priority(pid)
    st["limits"] = limits
    return st
