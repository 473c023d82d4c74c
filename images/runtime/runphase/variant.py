"""Branch exploration's changes to the booted system: request.json's
`variant` (harness/contract/run-request.ts, BootedVariant), made before the
clone is taken so the inactive image has them too, as a clone of a system
where the product is installed would.

- `prepare(variant, root)`, after the template and booted.tar, before boot:
  the directories and files (stand-in init scripts and programs, config
  files), each stand-in daemon's program (a hard link of the stand-in
  multi-call program under the daemon's name), and an rc script that
  starts the stand-in daemons at boot, last (/sbin/rc3.d/S999), with their
  pid file in DRDSAFE_STANDIN_PIDFILE: they inherit the witness log from
  init like the booted daemons, and record every signal they get.
- `specs(variant)`: the stand-in daemons to wait for and list in
  result.json, as DaemonSpecs started whatever rc.config.d says.
- `write_pid_files(variant, daemons, root)`, once the daemons are ready:
  each pid file that names a daemon the booted system runs gets its pid.

Pure but for the files it writes; it knows nothing of the rest of run-phase
but the daemon table's DaemonSpec."""
import os

from .daemons import ALWAYS, DaemonSpec

# The stand-in multi-call program in the booted tree (images/standins/names).
STANDIN = "/sbin/init"
RC_SCRIPT = "/sbin/init.d/drdsafe.variant"
RC_LINK = "/sbin/rc3.d/S999drdsafe.variant"
PIDFILE_ENV = "DRDSAFE_STANDIN_PIDFILE"


class VariantError(Exception):
    pass


def check(variant):
    """Problems of a request's `variant` (a list of strings; empty when it is good)."""
    problems = []
    if not isinstance(variant, dict):
        return ["variant: expected an object"]
    for key in ("files", "directories", "daemons", "pidFiles"):
        if not isinstance(variant.get(key), list):
            problems.append(f"variant.{key}: expected a list")
    if problems:
        return problems
    for i, f in enumerate(variant["files"]):
        if not (isinstance(f, dict) and _absolute(f.get("path")) and isinstance(f.get("content"), str)
                and isinstance(f.get("mode"), int)):
            problems.append(f"variant.files[{i}]: expected path (absolute), content and mode")
    for i, d in enumerate(variant["directories"]):
        if not _absolute(d):
            problems.append(f"variant.directories[{i}]: expected an absolute path")
    for i, d in enumerate(variant["daemons"]):
        if not (isinstance(d, dict) and _name(d.get("name")) and _absolute(d.get("pidFile"))
                and _absolute(d.get("program"))):
            problems.append(f"variant.daemons[{i}]: expected name, pidFile and program")
    for i, p in enumerate(variant["pidFiles"]):
        if not (isinstance(p, dict) and _absolute(p.get("path")) and _name(p.get("daemon"))):
            problems.append(f"variant.pidFiles[{i}]: expected path and daemon")
    return problems


def _absolute(p):
    return isinstance(p, str) and p.startswith("/") and ".." not in p.split("/") and p != "/"


def _name(n):
    return isinstance(n, str) and n != "" and all(c.isalnum() or c in "_.+-" for c in n) and n[0] not in ".-+"


def inside(root, path):
    """`path` of the tree at `root`, refused when a symlink of the tree leads it out."""
    real = os.path.realpath(root + path)
    if real != root and not real.startswith(root + "/"):
        raise VariantError(f"variant path {path} leads outside the booted tree")
    return real


def rc_script(daemons):
    """The rc script that starts the stand-in daemons at boot (start), as /sbin/rc runs it."""
    lines = [
        "#!/sbin/sh",
        "# Branch exploration (drdsafe run --explore): the stand-in daemons of this",
        "# variant, started at boot like the product's would be.",
        "PATH=/sbin:/usr/sbin:/usr/bin",
        "export PATH",
        '[ "$1" = start ] || exit 0',
        "status=0",
    ]
    for d in daemons:
        lines.append(f"{PIDFILE_ENV}={d['pidFile']} {d['program']} || status=1")
    lines.append("exit $status")
    return "\n".join(lines) + "\n"


def _write(path, data, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path) and not os.path.isdir(path):
        os.unlink(path)
    with open(path, "w") as f:
        f.write(data)
    os.chmod(path, mode)


def prepare(variant, root):
    """The variant's directories, files, daemon programs and start-up script in the booted tree at `root`."""
    for d in variant["directories"]:
        os.makedirs(inside(root, d), exist_ok=True)
    for f in variant["files"]:
        _write(inside(root, f["path"]), f["content"], f["mode"])
    daemons = variant["daemons"]
    for d in daemons:
        program = inside(root, d["program"])
        os.makedirs(os.path.dirname(program), exist_ok=True)
        if os.path.lexists(program):
            os.unlink(program)
        os.link(root + STANDIN, program)
        os.makedirs(os.path.dirname(inside(root, d["pidFile"])), exist_ok=True)
    if daemons:
        _write(root + RC_SCRIPT, rc_script(daemons), 0o755)
        link = root + RC_LINK
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(RC_SCRIPT, link)


def specs(variant):
    """A DaemonSpec of each stand-in daemon: the run waits for it like a booted daemon's."""
    if not variant:
        return []
    return [DaemonSpec(d["name"], [], d["pidFile"], ALWAYS) for d in variant["daemons"]]


def write_pid_files(variant, daemons, root):
    """Each pid file naming a daemon the booted system runs gets its pid (`daemons`: the ready ones, with nsPid)."""
    if not variant:
        return
    by_name = {d["name"]: d for d in daemons}
    for p in variant["pidFiles"]:
        d = by_name.get(p["daemon"])
        if d is None:
            raise VariantError(f"variant pid file {p['path']}: no daemon {p['daemon']} runs in the booted system")
        _write(inside(root, p["path"]), f"{d['nsPid']}\n", 0o644)
