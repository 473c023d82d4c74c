import signal
import unittest

from runphase import outcome
from runphase.errors import HarnessFailure


def exited(code):
    return code << 8


def killed(sig):
    return int(sig)


class StatusTest(unittest.TestCase):
    def test_the_keepers_report(self):
        self.assertEqual(outcome.keeper_status(b"exit 3\n", None), (3, None))
        self.assertEqual(outcome.keeper_status(b"signal 15\n", None), (None, "SIGTERM"))
        self.assertEqual(outcome.keeper_status(b"exit 0\n", "timeout"), (0, None), "it ended as the limit struck")

    def test_no_report_is_a_kill_at_the_limit_or_a_failure(self):
        self.assertEqual(outcome.keeper_status(b"", "pids"), (None, "SIGKILL"))
        with self.assertRaisesRegex(HarnessFailure, r"keeper ended without saying how the script did \(b'exit'\)"):
            outcome.keeper_status(b"exit", None)

    def test_the_launchers_wait_status(self):
        self.assertEqual(outcome.launcher_status(exited(2)), (2, None))
        self.assertEqual(outcome.launcher_status(killed(signal.SIGKILL)), (None, "SIGKILL"))
        self.assertEqual(outcome.launcher_status(None), (None, None))


class RecordTest(unittest.TestCase):
    def test_strace(self):
        self.assertEqual(outcome.strace_record(["strace"], exited(0), None, []),
                         {"argv": ["strace"], "exitCode": 0, "uid": 61000})
        self.assertEqual(outcome.strace_record(["strace"], killed(signal.SIGKILL), "held 3", ["strace: x"]),
                         {"argv": ["strace"], "exitCode": -9, "uid": 61000, "stuck": "held 3", "messages": ["strace: x"]})
        self.assertIsNone(outcome.strace_record(["strace"], None, "gone", [])["exitCode"])

    def test_finished_means_it_ended_before_any_limit(self):
        base = dict(wall_s=0.01234, leftovers=[], killed=None, strace=None, argv=["nsenter"])
        done = outcome.phase_outcome(0, None, None, **base)
        self.assertTrue(done["finished"])
        self.assertEqual(done["phaseWallMs"], 12.3)
        self.assertFalse(outcome.phase_outcome(None, "SIGKILL", "timeout", **base)["finished"])
        self.assertFalse(outcome.phase_outcome(None, None, None, **base)["finished"], "no status at all")
        self.assertEqual(list(done), ["exitCode", "signal", "finished", "limitHit", "phaseWallMs", "leftovers",
                                      "killedAtLimit", "strace", "argv"])
