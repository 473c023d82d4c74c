"""One control script run in the jail, start to end (images/README.md, steps
4 and 5): its output files and the keeper's status pipe, the launcher started
(tracer.command), strace and the keeper found, the watchdog until the script
ends or a limit stops it, the jail emptied (and strace killed when it holds
tracees that outlive SIGKILL), the launcher waited for; outcome.py says how
it went. A phase writes into its own Outputs, so several phases can run on
one clone in turn (SD package sessions), each from its own JailPlan."""
import os
import select
import signal
import subprocess
import time

from . import kernel, outcome, tracer
from .errors import HarnessFailure
from .jail import JailProcesses
from .layout import BOOTED, INACTIVE, Outputs
from .procs import send, wait_exit
from .terminal import Terminal
from .tracer import STRACE_EXIT_TIMEOUT_S
from .watchdog import Watchdog


class Streams:
    """The launcher's files. They are opened in this order, with nothing else
    open: their fd numbers are jail-exec's arguments, and so in every trace."""

    def __init__(self, req, outputs):
        # Under strace the script is not our child, and strace outlives it while
        # leftovers run: jail-exec's keeper writes on this pipe when and how the
        # script ended (jail-exec.c), and closes it when it exits.
        self.status_r, self.status_w = (None, None) if req["untraced"] else os.pipe()
        self.terminal = Terminal(outputs.stdout) if req["interactive"] else None
        self.stdout = self.terminal.slave if self.terminal else open(outputs.stdout, "wb")
        self.stderr = open(outputs.stderr, "wb")
        # Under strace, strace (and nsenter, tracer-exec) write to tracer.log and the
        # script to stderr.txt (jail-exec --stderr-fd): what strace says about its
        # tracing is read on its own, and a script cannot forge it.
        self.launcher_err = self.stderr if req["untraced"] else open(outputs.tracer_log, "wb")

    def popen_args(self):
        return {"stdin": self.terminal.slave if self.terminal else subprocess.DEVNULL, "stdout": self.stdout,
                "stderr": self.launcher_err,
                "pass_fds": () if self.status_w is None else (self.status_w, self.stderr.fileno())}

    def launched(self):
        """The launcher has its copies: run-phase lets its own go (the terminal's
        output ends when the jail's last holder does)."""
        if self.terminal:
            self.terminal.started()
        else:
            self.stdout.close()
        self.stderr.close()
        self.launcher_err.close()
        if self.status_w is not None:
            os.close(self.status_w)


def _child_setup():
    # The jail is the first to go when memory runs out; strace is lowered again (tracer.attach).
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")
    kernel.die_with_parent()


def read_line(fd, have, limit_s):
    """What `fd` gives until a newline ends `have` + it, EOF, or `limit_s` pass."""
    out = b""
    deadline = time.monotonic() + limit_s
    while not (have + out).endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        out += chunk
    return out


class Launch:
    """The script's launcher once started: nsenter (run-phase's child, which
    ends when strace, or the untraced jail, does), the jail's processes, strace."""

    def __init__(self, req, booted, plan, outputs):
        self.req = req
        self.outputs = outputs
        self.streams = Streams(req, outputs)
        self.cmd = tracer.command(req, plan, booted.init_pid, self.streams.status_w, self.streams.stderr.fileno(),
                                  outputs.trace)
        # Made here so that its size can be watched from the start (strace opens it to write, and truncates it).
        open(outputs.trace, "w").close()
        self.watchdog = Watchdog(req, outputs)
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd.argv, env=plan.env, cwd="/", preexec_fn=_child_setup,
                                     start_new_session=True, **self.streams.popen_args())
        self.watchdog.start(self.t0)
        self.streams.launched()
        # The comparison run's script runs on the booted tree, where the booted
        # daemons are too: its processes are then told by being traced alone.
        jail_root = INACTIVE if plan.root == BOOTED else plan.root
        self.jail = JailProcesses(booted, exclude={os.getpid(), self.proc.pid, booted.unshare.pid}, root=jail_root)
        self.strace_pid = tracer.attach(self.proc, self.jail, outputs.tracer_log) if self.cmd.traced else None
        # Why strace was killed, when it had to be (kill_jail, wait_launcher).
        self.stuck = None

    def kill_jail(self):
        """Empties the jail. Under strace, a tracee held in a ptrace stop by a
        strace that no longer runs outlives SIGKILL: then strace is killed too
        (its tracees are let go and die) and what it held is recorded."""
        try:
            self.jail.kill_all()
        except HarnessFailure as e:
            if not self.strace_pid:
                raise
            self.stuck = f"{e}{tracer.describe_stuck(self.strace_pid)}; strace was killed"
            # nsenter stops itself when its child stops (job control): it must run to reap strace.
            send(self.strace_pid, signal.SIGKILL)
            send(self.proc.pid, signal.SIGCONT)
            self.jail.kill_all()

    def stop_at_limit(self):
        """Kills the jail at a limit; result.json's killedAtLimit."""
        at_limit = self.jail.pids()
        killed = {"count": len(at_limit), "processes": self.jail.describe(at_limit[:20])}
        self.kill_jail()
        return killed

    def wait_script(self):
        """Until the script's end: nsenter's exit, untraced; under strace, the
        keeper's report (None: it all ended before strace was seen; the report
        is in the pipe). Returns (report, limit, killed, end time)."""
        watch = self.streams.status_r if self.cmd.traced else os.pidfd_open(self.proc.pid)
        report, limit, killed = self.watchdog.wait(watch, self.streams.status_r, self.stop_at_limit)
        t_end = time.monotonic()
        if self.cmd.traced:
            # Killed at a limit: the keeper still reports how the script ended.
            report += read_line(watch, report, STRACE_EXIT_TIMEOUT_S)
        os.close(watch)
        if limit is None and self.watchdog.oom_struck():
            limit = "memory"  # the OOM killer was faster than the 95% check
        return report, limit, killed, t_end

    def wait_launcher(self):
        """With the jail empty strace ends, passing the script's status on, and
        nsenter after it: its raw status. A launcher that does not end is killed
        (under strace the trace so far is kept, and self.stuck says why)."""
        status = wait_exit(self.proc.pid, STRACE_EXIT_TIMEOUT_S)
        if self.streams.terminal:
            self.streams.terminal.close()
        if status is not None:
            return status
        held = tracer.describe_stuck(self.strace_pid) if self.strace_pid else ""
        for pid in (self.strace_pid, self.proc.pid):
            send(pid, signal.SIGKILL)
        status = wait_exit(self.proc.pid, 5)
        what = "strace" if self.cmd.traced else "the jail's launcher"
        late = f"{what} did not finish within {STRACE_EXIT_TIMEOUT_S:.0f} s after the jail was emptied and was killed{held}"
        self.stuck = late if self.stuck is None else f"{self.stuck}; then {late}"
        if not self.cmd.traced:
            raise HarnessFailure(self.stuck)
        return status


def run_script(req, booted, plan, outputs=Outputs()):
    """Runs the plan's script in the jail; (its outcome, the monotonic time it ended)."""
    launch = Launch(req, booted, plan, outputs)
    report, limit, killed, t_end = launch.wait_script()
    leftovers = launch.jail.describe(launch.jail.pids())
    launch.kill_jail()
    status = launch.wait_launcher()
    if launch.stuck is not None:
        # The trace strace wrote so far is kept and analysed; the run counts as stopped at a limit
        # (result.json's strace.stuck says what it was holding).
        limit = limit or "tracer"
    argv = launch.cmd.argv
    if not launch.cmd.traced:
        return outcome.phase_outcome(*outcome.launcher_status(status), limit, t_end - launch.t0, leftovers, killed,
                                     None, argv), t_end
    strace = outcome.strace_record(argv[launch.cmd.enter:], status, launch.stuck, tracer.messages(outputs.tracer_log))
    # The keeper's report: nsenter's status is strace's, which may differ
    # (strace exits 1 on a ptrace error of its own).
    exit_code, sig = outcome.keeper_status(report, limit)
    return outcome.phase_outcome(exit_code, sig, limit, t_end - launch.t0, leftovers, killed, strace, argv), t_end
