"""Where things are in the sandbox container (images/README.md, "Inside the
container"): the template, the two trees, what the harness sends in and takes
out, and the programs run-phase starts. `Outputs` names the files one phase
writes; the booted system's own files (witness, console) are `WITNESS` and
`CONSOLE`, one per booted system."""
TEMPLATE = "/opt/drdsafe/booted"
RUNTIME_FILES = "/opt/drdsafe/booted.runtime-files"
BOOTED = "/images/booted"
INACTIVE = "/images/inactive"
IN_DIR = "/drdsafe/in"
OUT_DIR = "/drdsafe/out"
SANDBOX_PATHS = ["/drdsafe", "/opt/drdsafe"]
WITNESS = OUT_DIR + "/witness.jsonl"
CONSOLE = OUT_DIR + "/console.txt"
# The source name of the trees' tmpfs mounts: how a later run finds them to unmount.
TREE_SOURCE = "drdsafe-tree"
# PATH of the booted system's init and of the jail's shell.
JAIL_PATH = "/sbin:/usr/sbin:/usr/bin"

JAIL_EXEC = "/opt/drdsafe/bin/jail-exec"
# strace with the cwd cache (images/strace/build-strace.sh): the same output as
# Debian's /usr/bin/strace, one readlink of /proc/PID/cwd fewer per AT_FDCWD.
STRACE = "/opt/drdsafe/libexec/strace"
TRACER_EXEC = "/opt/drdsafe/bin/tracer-exec"
# strace's user: not root, and no user of the trees, so the jail cannot signal it (tracer-exec.c).
TRACER_UID = 61000


def _file(name, doc=None):
    return property(lambda self: f"{self.dir}/{name}", doc=doc)


class Outputs:
    """The files one phase writes into `dir`: a run has one phase and writes
    them in /drdsafe/out; several phases on one clone would each get their own."""

    def __init__(self, dir=OUT_DIR):
        self.dir = dir

    trace = _file("trace.txt")
    stdout = _file("stdout.txt")
    stderr = _file("stderr.txt")
    tracer_log = _file("tracer.log", "strace's own stderr (and its launchers'), apart from the script's.")
    booted_diff = _file("booted-diff.json")
    result = _file("result.json")
