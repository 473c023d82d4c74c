import os
import signal
import subprocess
import time
import unittest

from runphase import procs

STATUS = """Name:\tsleep
State:\tS (sleeping)
Tgid:\t44
PPid:\t1
TracerPid:\t0
NSpid:\t2817\t44
SigPnd:\t0000000000000000
ShdPnd:\t0000000000000100
"""


class ParseTest(unittest.TestCase):
    def test_status_keeps_the_fields_it_needs(self):
        self.assertEqual(procs.parse_status(STATUS), {
            "State": "S (sleeping)", "PPid": "1", "TracerPid": "0", "NSpid": "2817\t44",
            "SigPnd": "0000000000000000", "ShdPnd": "0000000000000100"})

    def test_dead_is_gone_zombie_or_dead(self):
        self.assertTrue(procs.is_dead(None))
        self.assertTrue(procs.is_dead({}))
        self.assertTrue(procs.is_dead({"State": "Z (zombie)"}))
        self.assertTrue(procs.is_dead({"State": "X (dead)"}))
        self.assertFalse(procs.is_dead({"State": "S (sleeping)"}))

    def test_start_time_past_a_command_name_with_spaces_and_parentheses(self):
        fields = " ".join(str(n) for n in range(3, 53))
        text = f"44 (a) b (c)) {fields}\n"
        self.assertEqual(procs.stat_fields(text)[0], "3")
        self.assertEqual(procs.parse_start_time(text), 22)
        self.assertIsNone(procs.parse_start_time(""))
        self.assertIsNone(procs.parse_start_time("44 (x) S 1"))

    def test_cmdline(self):
        self.assertEqual(procs.parse_cmdline("/sbin/sh\0-x\0/tmp/a b\0"), ["/sbin/sh", "-x", "/tmp/a b"])
        self.assertEqual(procs.parse_cmdline(""), [])


class LiveTest(unittest.TestCase):
    """The same readers on this machine's own processes."""

    def test_a_child_is_found_described_and_signalled(self):
        child = subprocess.Popen(["sleep", "30"])
        try:
            # Popen returns once the exec has begun; the new argv is there when the program runs.
            deadline = time.monotonic() + 5
            while not procs.proc_status(child.pid)["State"].startswith("S") and time.monotonic() < deadline:
                time.sleep(0.001)
            self.assertIn(child.pid, procs.children_of(os.getpid()))
            self.assertIn(child.pid, procs.all_pids())
            self.assertEqual(procs.cmdline(child.pid), ["sleep", "30"])
            self.assertEqual(procs.proc_status(child.pid)["PPid"], str(os.getpid()))
            self.assertIsInstance(procs.start_time(child.pid), int)
            self.assertEqual(procs.ns_inode(child.pid), procs.ns_inode(os.getpid()))
            procs.send(child.pid, signal.SIGKILL)
            self.assertEqual(child.wait(5), -signal.SIGKILL)
            procs.send(child.pid, signal.SIGKILL)  # gone: no error
            procs.send(None, signal.SIGKILL)
            procs.send(0, signal.SIGKILL)  # never the process group
        finally:
            child.kill()
            child.wait()
        self.assertIsNone(procs.proc_status(child.pid))
        self.assertIsNone(procs.start_time(child.pid))
        self.assertEqual(procs.cmdline(child.pid), [])
        self.assertEqual(procs.read_text("/nonexistent/x", "none"), "none")


class ChildrenTest(unittest.TestCase):
    def test_wait_find_and_exited(self):
        child = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
        try:
            grandchild = procs.find_child(child.pid, child.pid, "sleep")
            self.assertIsNotNone(grandchild)
            self.assertFalse(procs.has_exited(child.pid))
            self.assertIsNone(procs.wait_exit(child.pid, 0.05), "still running")
            os.kill(grandchild, signal.SIGKILL)
            status = procs.wait_exit(child.pid, 5)
            self.assertTrue(os.WIFEXITED(status))
            self.assertTrue(procs.has_exited(child.pid), "reaped: no child of ours any more")
            self.assertIsNone(procs.wait_exit(child.pid, 0.05))
            self.assertIsNone(procs.find_child(child.pid, child.pid), "it ended: nothing to find")
        finally:
            child.kill()
