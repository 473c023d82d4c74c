"""strace and its launch: the command that runs the jail (nsenter into the
booted PID namespace, tracer-exec making strace its own user, strace with
drdsafe's options, jail-exec and its keeper), strace and the keeper found
once started, what strace wrote on its own stderr (tracer.log), and what a
strace that does not end still holds. `strace_options` and `command` are pure."""
from collections import namedtuple

from . import kernel
from .errors import HarnessFailure
from .layout import JAIL_EXEC, STRACE, TRACER_EXEC, TRACER_UID
from .procs import all_pids, find_child, has_exited, proc_status, read_text, wait_exit

MAX_TRACER_LOG_BYTES = 64 * 1024
MAX_TRACER_MESSAGES = 50
# How long strace (or the untraced launcher) gets to end once the jail is empty.
STRACE_EXIT_TIMEOUT_S = 20.0

# argv: the launcher's whole argv; enter: how many of its first words are
# nsenter's (the rest is result.json's strace.argv); traced: strace runs.
Command = namedtuple("Command", "argv enter traced")


def strace_options(req, trace_path):
    """strace and its options, up to `--`."""
    # --decode-fds is -yy less `dev` (device numbers of device files), which nothing reads.
    argv = [STRACE, "-f", "-ttt", "--decode-fds=path,socket,pidfd", "-s", str(req["stringLimit"]),
            "-E", "TZ"]  # tracer-exec sets TZ for strace alone (tracer-exec.c)
    if req["traceAll"]:
        # Call durations (-T) for the reviewer who asked for everything; no rule
        # reads them, and they cost two clock reads and a field per call.
        argv += ["-T"]
    else:
        argv += ["--seccomp-bpf", "-e", "trace=" + ",".join(req["traceSyscalls"])]
        # write is traced for the shell's xtrace lines on fd 2 alone: printed raw, it
        # costs no fd decoration (strace reads /proc/PID/fd/N for each, the largest
        # cost left on file-heavy scripts), and its text comes as a hex dump.
        argv += ["-e", "raw=write", "-e", "write=2"]
    return argv + ["-o", trace_path, "--"]


def command(req, plan, init_pid, status_fd, stderr_fd, trace_path):
    """The launcher's argv: untraced, nsenter and jail-exec; traced, strace
    between them, and jail-exec's keeper reporting the script's end on
    `status_fd` and giving the script `stderr_fd` as its stderr."""
    enter = ["nsenter", "--target", str(init_pid), "--pid", "--"]
    shell = [plan.root, "/sbin/sh", "-x", plan.script]
    if req["untraced"]:
        return Command(enter + [JAIL_EXEC] + shell, len(enter), False)
    # strace runs inside the booted namespace, where the jail's processes
    # are: the pids it prints are the ones they use, with no translation
    # (--decode-pids=pidns scans /proc for every new process). It runs as
    # TRACER_UID (tracer-exec), so the jail, root without CAP_KILL or
    # CAP_SETUID (jail-exec), cannot signal it.
    keeper = [JAIL_EXEC, "--status-fd", str(status_fd), "--stderr-fd", str(stderr_fd)]
    return Command(enter + [TRACER_EXEC, str(TRACER_UID)] + strace_options(req, trace_path) + keeper + shell,
                   len(enter), True)


def attach(launcher, jail, tracer_log):
    """strace (the launcher's child) once it runs: shielded from the OOM
    killer, and it and the keeper left out of the jail's processes. None when
    it all ended before it was seen (the keeper's report is in the pipe);
    HarnessFailure when strace did not start."""
    strace_pid = find_child(launcher.pid, launcher.pid, "strace")
    if strace_pid is None and not has_exited(launcher.pid):
        launcher.kill()
        wait_exit(launcher.pid, 5)
        raise HarnessFailure("strace did not start: " + (" | ".join(messages(tracer_log)) or "it wrote nothing"))
    if strace_pid is not None:
        # -1000 needs CAP_SYS_RESOURCE; without it, back to 0 (below the jail's 1000).
        kernel.set_oom(strace_pid, -1000) or kernel.set_oom(strace_pid, 0)
        jail.strace_pid = strace_pid
        jail.exclude.add(strace_pid)
        # The keeper is no jail process (strace's own test children at start keep strace's name).
        keeper = find_child(strace_pid, launcher.pid, "jail-exec")
        if keeper is not None:
            jail.exclude.add(keeper)
    return strace_pid


def summarize_messages(text):
    """tracer.log's non-empty lines, at most MAX_TRACER_MESSAGES, then how many more."""
    lines = [l for l in text.splitlines() if l.strip()]
    more = len(lines) - MAX_TRACER_MESSAGES
    return lines[:MAX_TRACER_MESSAGES] + ([f"... {more} more lines in tracer.log"] if more > 0 else [])


def messages(tracer_log):
    """What strace (or nsenter, tracer-exec) wrote on its stderr: nothing in a
    run that went well; anything else is about the tracing itself."""
    try:
        with open(tracer_log, "rb") as f:
            text = f.read(MAX_TRACER_LOG_BYTES).decode("utf-8", "replace")
    except FileNotFoundError:
        return []
    return summarize_messages(text)


def describe_stuck(strace_pid):
    """What strace waits on when it does not end: its own state and wait channel,
    and every process it still traces (pid, state, name), for the failure message."""
    def state(pid):
        st = proc_status(pid) or {}
        wchan = read_text(f"/proc/{pid}/wchan").strip() or "-"
        return f"{pid} {st.get('State', 'gone')} {read_text(f'/proc/{pid}/comm').strip() or '?'} wchan={wchan}"
    traced = [pid for pid in all_pids() if (proc_status(pid) or {}).get("TracerPid") == str(strace_pid)]
    more = f" (and {len(traced) - 10} more)" if len(traced) > 10 else ""
    return f" (strace: {state(strace_pid)}; still traced: {', '.join(state(p) for p in traced[:10]) or 'none'}{more})"
