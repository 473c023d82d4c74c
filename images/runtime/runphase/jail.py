"""The runcmd jail: where the control script runs and as what. `JailPlan`
is the script installed in a root (the clone) beside its session_options,
with the environment SD gives a control script under drd runcmd and a PS4
that ties every xtrace line to its file and line. `JailProcesses` finds the
jail's processes (leftovers, what a limit kills) and kills them all.
`ps4_for` and `jail_env` are pure.

The plug points of what comes next:
- a comparison run (the script on the booted tree itself, as without DRD):
  a JailPlan whose root is BOOTED and whose environment has no
  SW_SESSION_IS_DRD; JailProcesses then cannot tell the jail by its root
  and must go by descent from the keeper and by tracee;
- SD package sessions: several JailPlans on one clone, one per control
  script in turn, each with SD's environment for that script (jail_env)."""
import os
import re
import signal
import time
from collections import namedtuple

from .errors import HarnessFailure
from .layout import BOOTED, IN_DIR, INACTIVE, JAIL_PATH
from .procs import all_pids, cmdline, is_dead, ns_inode, proc_status, send

XTRACE_MARKER = "+drdsafe["
# The control script's own path is written as XTRACE_SCRIPT_ALIAS in its xtrace
# lines (see ps4_for): that path took most of every line, and every line is
# copied to the trace as a hex dump, the largest part of a file-heavy trace.
XTRACE_SCRIPT_ALIAS = "@"
# A jail path this plain can go into a ksh pattern as it is, slashes escaped.
PLAIN_JAIL_PATH = re.compile(r"^/[A-Za-z0-9/._-]+$")
KILL_LOOP_TIMEOUT_S = 20.0

SESSION_OPTIONS = """admin_directory=/var/adm/sw
autoreboot=false
autorecover_product=false
autoselect_dependencies=true
enforce_dependencies=true
enforce_scripts=true
installed_software_catalog=products
logfile=/var/adm/sw/swagent.log
loglevel=1
run_scripts=true
targets=/
software={spec}
"""


def ps4_for(jail_script):
    """PS4 of the jail's shell, and the alias it writes for the control script
    (None: none). `${.sh.file/#PATH/@}` turns the script's own path into `@`
    and a file whose path starts with it into `@REST`; .sh.file is absolute
    for every file ksh93 reads (empty under `ksh -c`), so a name starting with
    `@` is never a real one and the model maps it back (xtrace-reader.ts)."""
    if not PLAIN_JAIL_PATH.match(jail_script):
        return XTRACE_MARKER + "${.sh.file}:${LINENO}] ", None
    pattern = jail_script.replace("/", "\\/")
    return XTRACE_MARKER + "${.sh.file/#" + pattern + "/" + XTRACE_SCRIPT_ALIAS + "}:${LINENO}] ", XTRACE_SCRIPT_ALIAS


def jail_env(req, jail_script, options):
    """The script's whole environment: SD's for a control script in a DRD
    session; without SW_SESSION_IS_DRD for the comparison run (outsideDrd),
    as the script runs outside DRD."""
    env = sd_env(req, jail_script, options)
    if req.get("outsideDrd"):
        del env["SW_SESSION_IS_DRD"]
    return env


def sd_env(req, jail_script, options):
    return {
        "PATH": JAIL_PATH,
        "HOME": "/",
        "LANG": "C",
        "PS4": ps4_for(jail_script)[0],
        "SW_SESSION_IS_DRD": "1",
        "SW_ROOT_DIRECTORY": "/",
        "SW_PATH": "/sbin:/usr/bin",
        "SW_CONTROL_TAG": req["phase"],
        "SW_CONTROL_DIRECTORY": req["controlDirectory"],
        "SW_LOCATION": "/",
        "SW_SOFTWARE_SPEC": req["softwareSpec"],
        "SW_CATALOG": "var/adm/sw/products",
        "SW_SESSION_OPTIONS": options,
        "SW_SYSTEM_FILE_PATH": "/stand/system",
        "SW_KERNEL_PATH": "/stand/vmunix",
    }


class JailPlan(namedtuple("JailPlan", "root script options env")):
    """One control script ready to run: the root it is chrooted onto, its path
    there (<controlDirectory><phase>), session_options beside it, its environment."""

    __slots__ = ()

    @property
    def ps4(self):
        return self.env["PS4"]

    @property
    def script_alias(self):
        return ps4_for(self.script)[1]


def install(req, root=INACTIVE):
    """Installs /drdsafe/in/<scriptName> as <controlDirectory><phase> (mode 0755)
    and session_options in `root`; the plan to run it."""
    src = f"{IN_DIR}/{req['scriptName']}"
    if not os.path.isfile(src):
        raise HarnessFailure(f"no control script: {src} is missing")
    jail_dir = req["controlDirectory"]
    os.makedirs(root + jail_dir, exist_ok=True)
    jail_script = jail_dir + req["phase"]
    with open(src, "rb") as f:
        data = f.read()
    with open(root + jail_script, "wb") as f:
        f.write(data)
    os.chmod(root + jail_script, 0o755)
    options = jail_dir + "session_options"
    with open(root + options, "w") as f:
        f.write(SESSION_OPTIONS.format(spec=req["softwareSpec"]))
    return JailPlan(root, jail_script, options, jail_env(req, jail_script, options))


class JailProcesses:
    """The processes of the runcmd jail: everything of the booted namespace that is
    not the booted system (its root is not the booted tree), and every tracee."""

    def __init__(self, booted, exclude, root=INACTIVE):
        self.booted = booted
        self.exclude = set(exclude)
        self.root = root
        self.strace_pid = None

    def _member(self, pid):
        """(whether pid is a jail process, its proc_status when read); None when it is gone."""
        try:
            root = os.readlink(f"/proc/{pid}/root")
        except OSError:
            root = None  # a zombie, or gone
        if root is not None and (root == self.root or root.startswith(self.root + "/")):
            return True, None
        st = proc_status(pid)
        if not st:
            return None
        if self.strace_pid and st.get("TracerPid") == str(self.strace_pid):
            return True, st
        # Left the jail's chroot, still in the booted namespace.
        return root is not None and root != BOOTED and ns_inode(pid) == self.booted.ns, st

    def pids(self, with_zombies=False):
        out = []
        for pid in all_pids():
            if pid in self.exclude or pid == self.booted.init_pid:
                continue
            member = self._member(pid)
            if member is None or not member[0]:
                continue
            if not with_zombies and is_dead(member[1] or proc_status(pid)):
                continue
            out.append(pid)
        return out

    def describe(self, pids):
        out = []
        for pid in pids:
            st = proc_status(pid)
            if not st:
                continue
            ids = st.get("NSpid", "").split()
            if len(ids) < 2:
                continue  # not in the booted namespace: not a jail process
            # `pid` as strace (in the booted namespace) and the jail see it.
            out.append({"pid": int(ids[-1]), "nsPid": int(ids[-1]), "containerPid": pid, "argv": cmdline(pid)})
        return out

    def kill_all(self):
        """SIGSTOP then SIGKILL every jail process until none is left. No fork here:
        this must win against a fork bomb. Under strace SIGKILL alone: a stop
        goes through the tracer (group-stop, PTRACE_LISTEN), races with the kill,
        and strace reports the ptrace errors; a tracee that is killed forks no more."""
        sigs = (signal.SIGKILL,) if self.strace_pid else (signal.SIGSTOP, signal.SIGKILL)
        deadline = time.monotonic() + KILL_LOOP_TIMEOUT_S
        rounds = 0
        while True:
            pids = self.pids()
            if not pids:
                return rounds
            rounds += 1
            for sig in sigs:
                for pid in pids:
                    send(pid, sig)
            if time.monotonic() > deadline:
                raise HarnessFailure(f"jail processes survive SIGKILL: {pids[:20]}")
