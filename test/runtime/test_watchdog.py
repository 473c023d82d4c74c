import os
import tempfile
import time
import unittest
from unittest import mock

from runphase import watchdog
from runphase.layout import Outputs


class CgroupTest(unittest.TestCase):
    def test_values(self):
        self.assertEqual(watchdog.parse_value("512\n"), 512)
        self.assertIsNone(watchdog.parse_value("max\n"))
        self.assertIsNone(watchdog.parse_value(""))
        self.assertIsNone(watchdog.parse_value("lots"))
        stat = "cache 10\ntotal_inactive_file 4096\ninactive_file 7\n"
        self.assertEqual(watchdog.parse_key(stat, "total_inactive_file"), 4096)
        self.assertEqual(watchdog.parse_key(stat, "inactive_file"), 7)
        self.assertIsNone(watchdog.parse_key(stat, "oom_kill"))
        self.assertEqual(watchdog.parse_key("low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n", "oom_kill"), 2)

    def test_pids_within_eight_of_the_limit(self):
        self.assertFalse(watchdog.pids_hit(503, 512))
        self.assertTrue(watchdog.pids_hit(504, 512))

    def test_memory_is_the_working_set_at_95_percent_of_a_real_limit(self):
        gib = 1 << 30
        self.assertTrue(watchdog.memory_hit(int(0.96 * gib), gib, None))
        self.assertFalse(watchdog.memory_hit(int(0.96 * gib), gib, int(0.1 * gib)), "page cache is not used memory")
        self.assertFalse(watchdog.memory_hit(int(0.94 * gib), gib, 0))
        self.assertFalse(watchdog.memory_hit(1 << 62, (1 << 63) - 4096, 0), "v1 writes a huge limit for none")

    def test_every_limit_is_named(self):
        self.assertEqual(watchdog.LIMITS, ("timeout", "trace-size", "output-size", "disk", "pids", "memory", "tracer"))


class WatchdogTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = Outputs(self.dir.name)
        for path in (self.out.trace, self.out.stdout, self.out.stderr):
            open(path, "w").close()
        patch = mock.patch.object(watchdog, "INACTIVE", self.dir.name)
        patch.start()
        self.addCleanup(patch.stop)
        self.addCleanup(self.dir.cleanup)
        self.req = {"timeoutSeconds": 30, "untraced": False, "maxTraceBytes": 100, "maxOutputBytes": 50}

    def grow(self, path, size):
        with open(path, "ab") as f:
            f.write(b"x" * size)

    def test_the_sizes_then_the_timeout(self):
        dog = watchdog.Watchdog(self.req, self.out)
        dog.start(time.monotonic())
        self.assertIn(dog.limit_hit(), (None, "pids", "memory"))  # this machine's own cgroups may be near theirs
        self.grow(self.out.stderr, 50)
        self.assertEqual(dog.limit_hit(), "output-size")
        self.grow(self.out.trace, 100)
        self.assertEqual(dog.limit_hit(), "trace-size")
        dog.start(time.monotonic() - 31)
        self.assertEqual(dog.limit_hit(), "timeout")

    def test_untraced_has_no_trace_to_measure(self):
        dog = watchdog.Watchdog({**self.req, "untraced": True}, self.out)
        dog.start(time.monotonic())
        self.grow(self.out.trace, 1000)
        self.assertNotEqual(dog.limit_hit(), "trace-size")

    def test_wait_ends_at_the_keepers_line_or_at_a_limit(self):
        dog = watchdog.Watchdog(self.req, self.out)
        dog.start(time.monotonic())
        r, w = os.pipe()
        try:
            os.write(w, b"exit ")
            os.write(w, b"3\n")
            self.assertEqual(dog.wait(r, r, lambda: self.fail("no limit")), (b"exit 3\n", None, None))
            self.grow(self.out.stdout, 60)
            self.assertEqual(dog.wait(r, r, lambda: {"count": 0, "processes": []}),
                             (b"", "output-size", {"count": 0, "processes": []}))
        finally:
            os.close(r)
            os.close(w)



class LimitNamesTest(unittest.TestCase):
    def test_the_limits_the_code_sets_are_the_ones_listed(self):
        """Every limit name watchdog.py returns and phase.py sets is in LIMITS, and every one listed is set."""
        import re
        from runphase import phase
        with open(watchdog.__file__) as f:
            found = set(re.findall(r'return "([a-z-]+)"', f.read()))
        with open(phase.__file__) as f:
            found |= set(re.findall(r'limit(?: =| or) "([a-z-]+)"', f.read()))
        self.assertEqual(found, set(watchdog.LIMITS))
