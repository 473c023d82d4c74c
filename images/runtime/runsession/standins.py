"""Stand-ins for a product's daemons whose programs cannot run here (HP-UX
binaries): before the booted system boots, the stand-in program takes each
such file's place in the booted tree and learns the daemon's pid file
(/usr/lib/drdsafe/standin-daemons/NAME, which the stand-in reads:
images/standins/daemon.c), so when the system starts the daemon, by its
init script at boot or by configure, a daemon of that name runs, writes
that pid file and records every signal it gets in the witness log. After
the clone the inactive image gets the real file back, as `drd clone` would
have copied it, and loses the stand-in's configuration."""
import os
import shutil

from runphase.layout import BOOTED, INACTIVE

from .treeops import beneath

CONFIG_DIR = "/usr/lib/drdsafe/standin-daemons"
# Any name the stand-in program is installed under in the booted tree (images/standins/names).
PROGRAM = "/usr/sbin/swlist"
KEEP_DIR = "/drdsafe/standin-originals"


def install(s, n, real, tree=BOOTED):
    """Puts the stand-in program at `real` (the booted tree's path of s["path"],
    resolved inside the tree), keeping the real file aside as number n:
    "done", or "absent" when there is no such file."""
    if not os.path.isfile(real) or os.path.islink(real):
        return "absent"
    os.makedirs(tree + CONFIG_DIR, exist_ok=True)
    os.makedirs(KEEP_DIR, exist_ok=True)
    shutil.copy2(real, f"{KEEP_DIR}/{n}")
    st = os.stat(real)
    os.unlink(real)
    shutil.copy2(tree + PROGRAM, real)
    os.chown(real, st.st_uid, st.st_gid)
    os.chmod(real, st.st_mode & 0o7777)
    with open(f"{tree}{CONFIG_DIR}/{s['name']}", "w") as f:
        f.write(s["pidFile"] + "\n")
    return "done"


def restore(standins, tree=INACTIVE):
    """The clone gets the real files back (each s as install kept it, number s["n"]) and loses the stand-ins' configuration."""
    for s in standins:
        kept = f"{KEEP_DIR}/{s['n']}"
        if not os.path.isfile(kept):
            continue
        real = beneath(tree, s["path"])
        st = os.stat(real) if os.path.exists(real) else None
        if os.path.lexists(real):
            os.unlink(real)
        shutil.copy2(kept, real)
        if st is not None:
            os.chown(real, st.st_uid, st.st_gid)
            os.chmod(real, st.st_mode & 0o7777)
    shutil.rmtree(tree + CONFIG_DIR, ignore_errors=True)
    try:
        os.rmdir(os.path.dirname(tree + CONFIG_DIR))  # /usr/lib/drdsafe keeps getconf: this only goes when empty
    except OSError:
        pass
