"""The two trees: each a tmpfs of its own (/images/booted, /images/inactive),
the booted tree made from the template (and booted.tar over it), device
nodes, the clone taken while the booted system runs, the shared file
systems bound into it; and, before a run, what an earlier run left there
(processes, mounts, outputs). `own_mounts_in` is pure.

Branch exploration's variant changes (extra files, a stand-in program
recording its argv) belong in `prepare_booted`, after the template and the
archive and before the system boots, so the clone carries them too."""
import os
import shutil
import signal
import stat
import subprocess
import time

from . import kernel, variant
from .errors import HarnessFailure
from .layout import BOOTED, INACTIVE, IN_DIR, RUNTIME_FILES, TEMPLATE, TREE_SOURCE
from .procs import all_pids, read_text, send

DEV_NODES = [("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)]
DEV_LINKS = [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
             ("stderr", "/proc/self/fd/2")]


def run_quiet(argv, what):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        raise HarnessFailure(f"{what} failed: {(r.stderr or r.stdout).strip()}")


# ---------------------------------------------------------------- before a run


def own_mounts_in(mountinfo, trees=(BOOTED, INACTIVE)):
    """Mount points of a /proc/self/mountinfo text that run-phase made: its
    trees' tmpfs (source TREE_SOURCE) and everything mounted below them."""
    out = []
    for line in mountinfo.splitlines():
        fields = line.split()
        sep = fields.index("-")
        mp, source = fields[4].replace("\\040", " "), fields[sep + 2]
        if mp in trees:
            if source == TREE_SOURCE:
                out.append(mp)
        elif any(mp.startswith(t + "/") for t in trees):
            out.append(mp)
    return out


def kill_tree_processes():
    """SIGKILL every process whose root is in /images/ until none is left (at most 50 rounds)."""
    for _ in range(50):
        victims = []
        for pid in all_pids():
            if pid == os.getpid():
                continue
            try:
                root = os.readlink(f"/proc/{pid}/root")
            except OSError:
                continue
            if root.startswith("/images/"):
                victims.append(pid)
        if not victims:
            break
        for pid in victims:
            send(pid, signal.SIGKILL)
        time.sleep(0.01)


def unmount_own():
    """Unmounts what own_mounts_in finds, deepest first (three passes: a lazy unmount can uncover another)."""
    for _ in range(3):
        mps = own_mounts_in(read_text("/proc/self/mountinfo"))
        if not mps:
            break
        for mp in sorted(mps, key=len, reverse=True):
            kernel.umount_lazy(mp)


def clear_outputs(out_dir):
    """Removes the files (not folders) an earlier run wrote in out_dir."""
    for name in os.listdir(out_dir) if os.path.isdir(out_dir) else []:
        p = os.path.join(out_dir, name)
        if os.path.isfile(p) or os.path.islink(p):
            os.unlink(p)


# ---------------------------------------------------------------- the booted tree


def mount_trees(tree_bytes):
    for root in (BOOTED, INACTIVE):
        os.makedirs(root, exist_ok=True)
        kernel.mount(TREE_SOURCE, root, "tmpfs", 0, f"size={tree_bytes},mode=0755")


def overlay_archive(archive):
    """booted.tar over the template; then the template's executables (userland,
    libraries, stand-ins) are put back, so the booted system still boots and the
    jail still has its shell and commands."""
    if not os.path.isfile(archive):
        raise HarnessFailure(f"bootedArchive is set but {archive} is missing")
    run_quiet(["tar", "-x", "-f", archive, "-C", BOOTED], "extracting booted.tar")
    for rel in read_text(RUNTIME_FILES).split():
        src, dest = os.path.join(TEMPLATE, rel), os.path.join(BOOTED, rel)
        if os.path.lexists(dest):
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
            else:
                os.unlink(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(src, dest, follow_symlinks=False)


def make_dev(root):
    dev = root + "/dev"
    os.makedirs(dev, exist_ok=True)
    for name, major, minor in DEV_NODES:
        p = f"{dev}/{name}"
        if not os.path.exists(p):
            os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
            os.chmod(p, 0o666)
    for name, target in DEV_LINKS:
        if not os.path.lexists(f"{dev}/{name}"):
            os.symlink(target, f"{dev}/{name}")


def prepare_booted(req):
    """Step 1: both trees' tmpfs, the booted tree from the template, booted.tar
    over it when the request has one, a variant's changes (branch
    exploration), its /dev."""
    mount_trees(req["treeBytes"])
    run_quiet(["cp", "-a", TEMPLATE + "/.", BOOTED + "/"], "copying the booted tree")
    if req["bootedArchive"]:
        overlay_archive(IN_DIR + "/booted.tar")
    if req.get("variant") is not None:
        try:
            variant.prepare(req["variant"], BOOTED)
        except (OSError, variant.VariantError) as e:
            raise HarnessFailure(f"cannot make the variant's changes to the booted tree: {e}")
    make_dev(BOOTED)


# ---------------------------------------------------------------- the clone


def clone():
    """The inactive image: a copy of the booted tree taken while its daemons run
    (pid files and the /dev/log socket node included), as DRD clones it."""
    run_quiet(["cp", "-a", "--one-file-system", BOOTED + "/.", INACTIVE + "/"], "cloning the booted tree")


def bind_shared(shared):
    """Binds each shared path of the booted tree onto the same path of the
    clone (made in both when missing); result.json's trees.shared."""
    layout = []
    for jail_path in shared:
        b, i = BOOTED + jail_path, INACTIVE + jail_path
        if os.path.isfile(b):
            os.makedirs(os.path.dirname(i), exist_ok=True)
            if not os.path.exists(i):
                open(i, "a").close()
        else:
            os.makedirs(b, exist_ok=True)
            os.makedirs(i, exist_ok=True)
        kernel.mount(b, i, None, kernel.MS_BIND | kernel.MS_REC, None)
        layout.append({"jailPath": jail_path, "inactivePath": i, "bootedPath": b})
    return layout
