"""The script's terminal in an interactive run: a pseudo-terminal joined to
run-phase's own stdin and stdout, what the script writes kept in stdout.txt."""
import os
import termios
import threading
import time


class Terminal:
    """The script's terminal in an interactive run (`drdsafe run --interactive`,
    as `drd runcmd kctune` at a terminal): a pseudo-terminal is its stdin and
    stdout, and its other side is run-phase's own stdin and stdout, which the
    engine's exec stream joins to the user's terminal. What the script writes
    is kept in stdout.txt too. The user's terminal echoes what they type and
    turns newlines into CRLF, so this one does neither (stdout.txt stays plain)."""

    def __init__(self, out_path):
        self.master, self.slave = os.openpty()
        attrs = termios.tcgetattr(self.slave)
        attrs[1] &= ~termios.ONLCR
        attrs[3] &= ~(termios.ECHO | termios.ECHONL)
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        self.out = open(out_path, "wb")
        self.output = threading.Thread(target=self._copy_output, daemon=True)
        self.output.start()
        threading.Thread(target=self._copy_input, daemon=True).start()

    def _copy_output(self):
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return  # EIO: no process holds the terminal any more
            if not chunk:
                return
            self.out.write(chunk)
            self.out.flush()
            try:
                os.write(1, chunk)
            except OSError:
                pass  # the user's side went away; stdout.txt still gets it all

    def _copy_input(self):
        while True:
            try:
                chunk = os.read(0, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                break
            try:
                os.write(self.master, chunk)
            except OSError:
                return
        # The user's input ended: every read of the script's from now on ends its file. A terminal's
        # end of file (VEOF at the start of a line) ends one read, so one is sent every 50 ms (the
        # terminal queues them; when its buffer is full this write waits, and the thread with it).
        while True:
            try:
                os.write(self.master, b"\x04")
            except OSError:
                return
            time.sleep(0.05)

    def started(self):
        """The jail has the terminal: run-phase lets its own copy go, so the output ends when the jail's last holder does."""
        os.close(self.slave)

    def close(self):
        """After the jail is empty: what it wrote last is copied, then the terminal goes."""
        self.output.join(5)
        os.close(self.master)
        self.out.close()
