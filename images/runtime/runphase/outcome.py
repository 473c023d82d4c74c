"""How one phase went, as result.json tells it: the script's exit code or
signal (from the keeper's report under strace, from the launcher's wait
status untraced), whether it finished, what strace did, the wall time. All
pure: phase.py gathers the facts, this turns them into result.json's fields."""
import os
import re
import signal

from .errors import HarnessFailure
from .layout import TRACER_UID

KEEPER_REPORT = re.compile(rb"(exit|signal) (\d+)\n")


def ms(seconds):
    return round(seconds * 1000.0, 1)


def keeper_status(report, limit):
    """(exit code, signal name) from jail-exec's keeper's report (`exit N` or
    `signal N`). Without one the script was killed at the limit with the rest
    of the jail; with neither, the harness failed."""
    m = KEEPER_REPORT.fullmatch(report)
    if m is None and limit is None:
        raise HarnessFailure(f"the jail's keeper ended without saying how the script did ({report!r})")
    if m is None:
        return None, "SIGKILL"
    if m.group(1) == b"exit":
        return int(m.group(2)), None
    return None, signal.Signals(int(m.group(2))).name


def launcher_status(status):
    """(exit code, signal name) from a raw wait status (None: none)."""
    if status is not None:
        if os.WIFEXITED(status):
            return os.WEXITSTATUS(status), None
        if os.WIFSIGNALED(status):
            return None, signal.Signals(os.WTERMSIG(status)).name
    return None, None


def strace_record(argv, status, stuck, messages):
    """result.json's `strace`: its argv, its own exit code (it passes on the
    keeper's, which is the script's, unless strace itself failed), its user,
    what it still held when it had to be killed, what it wrote on its stderr."""
    info = {"argv": argv, "exitCode": None if status is None else os.waitstatus_to_exitcode(status), "uid": TRACER_UID}
    if stuck is not None:
        info["stuck"] = stuck
    if messages:
        info["messages"] = messages
    return info


def phase_outcome(exit_code, sig, limit, wall_s, leftovers, killed, strace, argv):
    """The phase's part of result.json (argv is its `command`)."""
    return {
        "exitCode": exit_code,
        "signal": sig,
        "finished": limit is None and (exit_code is not None or sig is not None),
        "limitHit": limit,
        "phaseWallMs": ms(wall_s),
        "leftovers": leftovers,
        "killedAtLimit": killed,
        "strace": strace,
        "argv": argv,
    }
