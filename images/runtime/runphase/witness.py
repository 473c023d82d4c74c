"""The witness log (/drdsafe/out/witness.jsonl, one JSON object a line, whose
one definition is WitnessLine in harness/contract/witness.ts): run-phase
opens it as fd 9 for the booted system, whose init and daemons inherit it
and write what they experience; it reads init's `booted` line from it; and
after the script it lets the booted processes take every signal sent to
them (settle), so the log is complete before result.json is written.
`has_booted` and `is_busy` are pure."""
import os
import time

from .layout import CONSOLE, WITNESS
from .procs import proc_status

# The fd every booted process inherits and appends its witness lines to.
WITNESS_FD = 9
BOOTED_LINE = '"daemon":"init","pid":1,"event":"booted"'
SETTLE_S = 0.5


def open_logs():
    """The witness log as fd 9 and the booted system's console, both O_APPEND,
    emptied; the caller closes them once the booted system has them."""
    witness = os.open(WITNESS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    if witness != WITNESS_FD:
        os.dup2(witness, WITNESS_FD)
        os.close(witness)
    console = os.open(CONSOLE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    return WITNESS_FD, console


def has_booted(witness_text):
    """Whether init wrote its `booted` line: the `wait` entries of inittab (/sbin/rc) are done."""
    return BOOTED_LINE in witness_text


def is_busy(status):
    """A booted process (its proc_status) that has not yet taken every signal
    sent to it: one pending, or not back asleep. A gone or dead one is not."""
    if not status or status.get("State", "").startswith(("Z", "X")):
        return False
    return bool(int(status.get("SigPnd", "0"), 16) or int(status.get("ShdPnd", "0"), 16)
                or not status.get("State", "").startswith("S"))


def settle(pids, limit_s=SETTLE_S):
    """Give the booted processes the time to take every signal already sent to them
    (nothing pending, back asleep), so the witness log is complete."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if not any(is_busy(proc_status(pid)) for pid in pids):
            return
        time.sleep(0.002)
