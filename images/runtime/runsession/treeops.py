"""Changes to one tree (the booted tree before it boots, or the inactive
image between phases): the `apply` message's ops, whose one definition is
TreeOp in harness/contract/session-protocol.ts. Paths are the tree's own
(`/opt/acme/bin/acmed`); every one is resolved inside the tree, symbolic
links included, so a link a script left in the image cannot send a write
outside it. Owners are names resolved in the tree's own /etc/passwd and
/etc/group (numbers when the package gives them and the name is unknown).
`beneath` and `parse_ids` are pure."""
import os
import shutil

MAX_LINK_HOPS = 40


class TreeOpError(Exception):
    pass


def beneath(root, path, follow_last=False):
    """The real path of `path` inside `root`, links resolved as the tree's own
    root would resolve them (an absolute link target starts at `root`, `..`
    stops at it). The last component is left as it is unless follow_last."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    cur = root
    hops = 0
    i = 0
    while i < len(parts):
        part = parts[i]
        if part == "..":
            cur = os.path.dirname(cur) if cur != root else root
            i += 1
            continue
        nxt = cur + "/" + part
        last = i == len(parts) - 1
        if os.path.islink(nxt) and (follow_last or not last):
            hops += 1
            if hops > MAX_LINK_HOPS:
                raise TreeOpError(f"{path}: too many symbolic links")
            target = os.readlink(nxt)
            rest = parts[i + 1:]
            if target.startswith("/"):
                cur = root
            parts = [p for p in target.split("/") if p not in ("", ".")] + rest
            i = 0
            continue
        cur = nxt
        i += 1
    return cur


def parse_ids(text):
    """name -> number from the text of /etc/passwd or /etc/group."""
    ids = {}
    for line in text.splitlines():
        f = line.split(":")
        if len(f) >= 3 and f[2].isdigit():
            ids.setdefault(f[0], int(f[2]))
    return ids


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


class Tree:
    """One tree to change."""

    def __init__(self, root):
        self.root = root
        self.users = parse_ids(_read(root + "/etc/passwd"))
        self.groups = parse_ids(_read(root + "/etc/group"))

    def path(self, p, follow_last=False):
        return beneath(self.root, p, follow_last)

    def ids(self, op):
        uid = self.users.get(op.get("owner", ""), op.get("uid", 0))
        gid = self.groups.get(op.get("group", ""), op.get("gid", 0))
        return uid, gid

    def parent(self, real):
        os.makedirs(os.path.dirname(real), exist_ok=True)

    def _replace(self, real, data, op, mode):
        """Writes data to real through a new file renamed over it (a running
        program's file is replaced, not rewritten), then owner and mode."""
        self.parent(real)
        if os.path.isdir(real) and not os.path.islink(real):
            shutil.rmtree(real)
        tmp = real + ".drdsafe-new"
        with open(tmp, "wb") as f:
            f.write(data)
        uid, gid = self.ids(op)
        os.chown(tmp, uid, gid)
        # chmod after chown: chown clears setuid and setgid bits.
        os.chmod(tmp, mode)
        os.rename(tmp, real)

    def apply(self, op):
        kind = op["op"]
        if kind == "file":
            with open(op["source"], "rb") as f:
                data = f.read()
            self._replace(self.path(op["path"]), data, op, op["mode"])
            return "done"
        if kind == "text":
            self._replace(self.path(op["path"]), op["text"].encode(), op, op.get("mode", 0o644))
            return "done"
        if kind == "append":
            real = self.path(op["path"], follow_last=True)
            self.parent(real)
            with open(real, "a") as f:
                f.write(op["text"])
            return "done"
        if kind == "dir":
            real = self.path(op["path"])
            if os.path.islink(real) or (os.path.lexists(real) and not os.path.isdir(real)):
                os.unlink(real)
            os.makedirs(real, exist_ok=True)
            uid, gid = self.ids(op)
            os.chown(real, uid, gid)
            os.chmod(real, op["mode"])
            return "done"
        if kind in ("symlink", "hardlink"):
            real = self.path(op["path"])
            self.parent(real)
            if os.path.lexists(real) and not (os.path.isdir(real) and not os.path.islink(real)):
                os.unlink(real)
            if kind == "symlink":
                os.symlink(op["target"], real)
            else:
                os.link(self.path(op["target"]), real)
            return "done"
        if kind == "remove":
            real = self.path(op["path"])
            if not os.path.lexists(real):
                return "absent"
            if os.path.isdir(real) and not os.path.islink(real):
                if os.listdir(real):
                    return "kept"
                os.rmdir(real)
            else:
                os.unlink(real)
            return "done"
        if kind == "remove-tree":
            real = self.path(op["path"])
            if not os.path.lexists(real):
                return "absent"
            if os.path.islink(real) or not os.path.isdir(real):
                os.unlink(real)
                return "done"
            only = op.get("ifOnly")
            if only is not None and set(os.listdir(real)) - set(only):
                return "kept"
            shutil.rmtree(real)
            return "done"
        if kind == "copy":
            unless = op.get("unless")
            if unless is not None and os.path.lexists(self.path(unless)):
                return "skipped"
            src = self.path(op["path"], follow_last=True)
            if not os.path.isfile(src):
                return "absent"
            dest = self.path(op["to"])
            self.parent(dest)
            if os.path.lexists(dest) and not os.path.isdir(dest):
                os.unlink(dest)
            shutil.copy2(src, dest)
            st = os.stat(src)
            os.chown(dest, st.st_uid, st.st_gid)
            os.chmod(dest, st.st_mode & 0o7777)
            return "done"
        if kind == "set-attributes":
            real = self.path(op["path"], follow_last=True)
            if not os.path.isfile(real):
                return "absent"
            with open(real) as f:
                lines = f.read().splitlines()
            keys = set(op["set"])
            kept = [l for l in lines if l.split(None, 1)[0:1] == [] or l.split(None, 1)[0] not in keys]
            kept += [f"{k} {v}" for k, v in op["set"].items() if v != ""]
            with open(real, "w") as f:
                f.write("\n".join(kept) + "\n")
            return "done"
        raise TreeOpError(f"unknown op {kind!r}")


def apply_all(root, ops):
    """Applies ops in order; one result per op."""
    tree = Tree(root)
    results = []
    for op in ops:
        try:
            results.append(tree.apply(op))
        except (OSError, KeyError, TreeOpError) as e:
            raise TreeOpError(f"{op.get('op')} {op.get('path')}: {e}") from e
    return results
