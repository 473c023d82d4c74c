"""The booted tree's content hash and its diff: the ground truth of what the
script changed on the booted system (booted-diff.json, whose one definition
is BootedDiff in harness/contract/booted-diff.ts). Each path maps to a digest
of its type, mode, owner, mtime and contents (or link target, or device
number). `diff_trees` is pure."""
import hashlib
import json
import os
import stat


def _entry(e, root_dev, by_inode):
    """The digest of one directory entry, and whether to descend into it; None when it is gone or elsewhere."""
    try:
        st = e.stat(follow_symlinks=False)
    except OSError:
        return None, False
    mode = st.st_mode
    meta = f"{stat.S_IFMT(mode):o}:{stat.S_IMODE(mode):o}:{st.st_uid}:{st.st_gid}"
    if stat.S_ISDIR(mode):
        if st.st_dev != root_dev:
            return None, False
        return f"d:{meta}:{st.st_mtime_ns}", True
    if stat.S_ISREG(mode):
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        digest = by_inode.get(key)
        if digest is None:
            try:
                with open(e.path, "rb") as f:
                    digest = hashlib.file_digest(f, "sha256").hexdigest()
            except OSError:
                digest = "unreadable"
            by_inode[key] = digest
        return f"f:{meta}:{st.st_mtime_ns}:{digest}", False
    if stat.S_ISLNK(mode):
        return f"l:{meta}:{os.readlink(e.path)}", False
    return f"s:{meta}:{st.st_rdev}", False


def hash_tree(root):
    """path (relative to root, leading /) -> its digest. Other file systems
    mounted inside (proc) are left out; shared bind mounts live in root itself.
    A file with several names is read once."""
    root_dev = os.lstat(root).st_dev
    out = {}
    by_inode = {}
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            digest, descend = _entry(e, root_dev, by_inode)
            if digest is None:
                continue
            out[e.path[len(root):]] = digest
            if descend:
                stack.append(e.path)
    return out


def diff_trees(before, after):
    return {
        "added": sorted(p for p in after if p not in before),
        "modified": sorted(p for p in after if p in before and before[p] != after[p]),
        "deleted": sorted(p for p in before if p not in after),
    }


def write_diff(path, diff):
    with open(path, "w") as f:
        json.dump(diff, f, indent=1)
