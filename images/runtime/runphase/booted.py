"""The booted system running: /sbin/init of the booted tree as PID 1 of a
new PID namespace (unshare, chroot), holding the witness log as fd 9; the
wait until /sbin/rc is done and every daemon is ready; its /proc mounted in
both trees; the map from its pids to the container's; and its end, the whole
namespace (jail included) killed."""
import os
import signal
import subprocess
import time

from . import daemons, kernel, witness
from .errors import HarnessFailure
from .layout import BOOTED, CONSOLE, JAIL_PATH, WITNESS
from .procs import all_pids, children_of, ns_inode, proc_status, read_text, send

BOOT_TIMEOUT_S = 10.0
# What a fresh proc mount lacks of the masks Docker puts on the container's own /proc.
MASKED_PROC_FILES = ("sysrq-trigger", "kcore", "kmsg", "timer_list", "keys")


class BootedSystem:
    """init (PID 1 of its own PID namespace) and, once booted, its daemons."""

    def __init__(self, witness_fd, console_fd):
        self.unshare = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--kill-child", "chroot", BOOTED, "/sbin/init"],
            stdin=subprocess.DEVNULL, stdout=console_fd, stderr=console_fd,
            pass_fds=(witness_fd,), env={"PATH": JAIL_PATH, "HOME": "/", "LANG": "C"},
            preexec_fn=kernel.die_with_parent, cwd="/")
        self.init_pid = self._find_init(time.monotonic() + BOOT_TIMEOUT_S)
        self.ns = ns_inode(self.init_pid)

    def _find_init(self, deadline):
        """unshare's child that is PID 1 of its namespace with the booted tree as its root."""
        while True:
            for c in children_of(self.unshare.pid):
                st = proc_status(c)
                if st and st.get("NSpid", "").split()[-1:] == ["1"]:
                    try:
                        if os.readlink(f"/proc/{c}/root") == BOOTED:
                            return c
                    except OSError:
                        pass
            if self.unshare.poll() is not None:
                raise HarnessFailure(f"the booted system's init exited at once (status {self.unshare.returncode}); "
                                     f"see {CONSOLE}")
            if time.monotonic() > deadline:
                raise HarnessFailure("the booted system's init did not start")
            time.sleep(0.001)

    def mount_proc(self, *dirs):
        """Mount /proc of the booted namespace on each dir (done by a process inside it)."""
        # A fresh proc mount lacks the masks Docker puts on the container's own
        # /proc: without them a root script could write kernel tunables of the
        # host (/proc/sys) or trigger sysrq. Make /proc/sys read-only and hide
        # the dangerous files, as Docker does; the attempt still shows in the trace.
        steps = []
        for d in dirs:
            steps.append(f"mount -t proc -o nosuid,nodev,noexec proc {d}")
            steps.append(f"mount --bind {d}/sys {d}/sys && mount -o remount,bind,ro,nosuid,nodev,noexec {d}/sys")
            for masked in MASKED_PROC_FILES:
                steps.append(f"{{ [ ! -e {d}/{masked} ] || mount --bind /dev/null {d}/{masked}; }}")
        script = " && ".join(steps)
        r = subprocess.run(["nsenter", "--target", str(self.init_pid), "--pid", "--", "/bin/sh", "-c", script],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise HarnessFailure(f"cannot mount the booted system's /proc: {r.stderr.strip()}")

    def ns_pid_map(self):
        """ns pid -> container pid for every process of the booted namespace."""
        out = {}
        for pid in all_pids():
            st = proc_status(pid)
            if not st:
                continue
            ids = st.get("NSpid", "").split()
            if len(ids) >= 2 and ns_inode(pid) == self.ns:
                out[int(ids[-1])] = pid
        return out

    def wait_booted(self, specs=daemons.DAEMONS):
        """Waits for init's `booted` line, then for every started daemon's pid
        file and endpoints (BOOT_TIMEOUT_S in all); the daemons, ready."""
        deadline = time.monotonic() + BOOT_TIMEOUT_S
        while not witness.has_booted(read_text(WITNESS)):
            if self.unshare.poll() is not None:
                raise HarnessFailure("the booted system's init died during boot; /etc/rc.log:\n"
                                     + read_text(BOOTED + "/etc/rc.log"))
            if time.monotonic() > deadline:
                raise HarnessFailure(f"the booted system did not finish /sbin/rc within {BOOT_TIMEOUT_S:.0f} s; "
                                     "/etc/rc.log:\n" + read_text(BOOTED + "/etc/rc.log"))
            time.sleep(0.002)
        rclog = read_text(BOOTED + "/etc/rc.log")
        if " ... FAIL" in rclog:
            raise HarnessFailure("a start script of the booted system failed; /etc/rc.log:\n" + rclog)
        return daemons.wait_ready(self, deadline, rclog, specs)

    def stop(self):
        # unshare first (--kill-child takes init with it), then init itself: the
        # namespace and everything in it, jail included, goes.
        for pid in (self.unshare.pid, self.init_pid):
            send(pid, signal.SIGKILL)
        try:
            self.unshare.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.unshare.kill()
            self.unshare.wait()


def start():
    """Step 2: the booted system running, with the witness log and console it writes."""
    witness_fd, console = witness.open_logs()
    try:
        return BootedSystem(witness_fd, console)
    finally:
        os.close(witness_fd)
        os.close(console)
