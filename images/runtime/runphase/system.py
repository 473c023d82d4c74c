"""The booted system and its clone, made once and then used by one phase (a
run) or by several in turn (SD package sessions): images/README.md, steps 1
to 3. `prepare` clears what an earlier run left and makes the booted tree;
booted.start() boots it; `bring_up` waits for its daemons, clones it, mounts
its /proc in both trees, binds the shared file systems and takes the booted
tree's hash that the first phase's diff starts from.

Branch exploration runs several systems in one container, one after the
other, each from `prepare` (which clears the one before): a variant's
changes to the booted tree go into trees.prepare_booted, its extra stand-in
daemons into the specs given to `bring_up`; its comparison run installs the
script in the booted tree itself (jail.install with root BOOTED)."""
import time

from . import daemons as daemon_table
from . import ipc, trees, variant
from .errors import HarnessFailure
from .layout import BOOTED, INACTIVE, OUT_DIR
from .outcome import ms
from .treehash import hash_tree


class System:
    """A booted system running beside its clone."""

    def __init__(self, booted, daemons, shared, tree_hash, setup):
        self.booted = booted
        # The daemons that were ready, as result.json lists them (before any phase's state).
        self.daemons = daemons
        # result.json's trees.shared.
        self.shared = shared
        # The booted tree's hash the next phase's booted diff starts from (groundtruth.after moves it on).
        self.tree_hash = tree_hash
        # result.json's setup timings (bootMs, cloneMs, hashMs, bootedFiles).
        self.setup = setup


def clear_previous(out_dir=OUT_DIR):
    """Whatever an earlier run in this container left: processes in the trees,
    IPC objects, mounts, output files."""
    trees.kill_tree_processes()
    ipc.remove_all()
    trees.unmount_own()
    trees.clear_outputs(out_dir)


def prepare(req):
    """Step 1: a clean slate and the booted tree, ready to boot."""
    clear_previous()
    trees.prepare_booted(req)


def bring_up(req, booted, specs=None, before_hash=None):
    """Steps 2 (the wait) and 3: the daemons ready (the table's, and a
    variant's stand-ins, whose pid files then name them), the clone taken
    while they run, /proc in both trees, the shared file systems, the booted
    tree's hash. `before_hash`: called just before the hash (the comparison
    run installs its script in the booted tree there, so it is no change the
    script made)."""
    t_boot0 = time.monotonic()
    if specs is None:
        specs = tuple(daemon_table.DAEMONS) + tuple(variant.specs(req.get("variant")))
    daemons = booted.wait_booted(specs)
    try:
        variant.write_pid_files(req.get("variant"), daemons, BOOTED)
    except (OSError, variant.VariantError) as e:
        raise HarnessFailure(f"cannot make the variant's pid files: {e}")
    t_booted = time.monotonic()
    trees.clone()
    booted.mount_proc(BOOTED + "/proc", INACTIVE + "/proc")
    shared = trees.bind_shared(req["shared"])
    if before_hash is not None:
        before_hash()
    t_cloned = time.monotonic()
    tree_hash = hash_tree(BOOTED)
    t_hashed = time.monotonic()
    setup = {"bootMs": ms(t_booted - t_boot0), "cloneMs": ms(t_cloned - t_booted), "hashMs": ms(t_hashed - t_cloned),
             "bootedFiles": len(tree_hash)}
    return System(booted, daemons, shared, tree_hash, setup)
