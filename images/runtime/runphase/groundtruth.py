"""What the booted system experienced in one phase, taken outside the trace:
each daemon's liveness and scheduling state before and after the script,
the IPC objects there before it, the booted tree's diff (booted-diff.json),
whether init survived. `after` also moves the system's tree hash on, so a
next phase on the same clone diffs from where this one left the tree."""
import time

from . import ipc, treehash, witness
from .daemons import alive, sched_state
from .layout import BOOTED
from .outcome import ms
from .procs import proc_status


def before(system):
    """Just before the script: the daemons (copies, with aliveBefore and
    schedBefore) and the IPC snapshot (None when it could not be read)."""
    daemons = []
    for d in system.daemons:
        d = dict(d)
        d["aliveBefore"] = alive(d)
        d["schedBefore"] = sched_state(d["pid"])
        daemons.append(d)
    return daemons, ipc.snapshot()


def after(system, daemons, outputs, t_end):
    """After the script ended (at t_end): the booted processes settled (the
    witness log complete), the booted tree hashed again and its diff written,
    each daemon's state after. Returns result.json's collect timings and
    whether init is alive."""
    t_c0 = time.monotonic()
    witness.settle([system.booted.init_pid] + [d["pid"] for d in daemons])
    t_c1 = time.monotonic()
    tree_hash = treehash.hash_tree(BOOTED)
    t_c2 = time.monotonic()
    treehash.write_diff(outputs.booted_diff, treehash.diff_trees(system.tree_hash, tree_hash))
    system.tree_hash = tree_hash
    for d in daemons:
        d["aliveAfter"] = alive(d)
        d["schedAfter"] = sched_state(d["pid"]) if d["aliveAfter"] else None
    collect = {"jailMs": ms(t_c0 - t_end), "settleMs": ms(t_c1 - t_c0), "hashMs": ms(t_c2 - t_c1)}
    return collect, proc_status(system.booted.init_pid) is not None
