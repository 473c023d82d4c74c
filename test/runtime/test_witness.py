import os
import signal
import subprocess
import time
import unittest

from runphase import witness


class WitnessTest(unittest.TestCase):
    def test_the_booted_line(self):
        self.assertTrue(witness.has_booted('{"t":1.0,"daemon":"init","pid":1,"event":"start"}\n'
                                           '{"t":1.2,"daemon":"init","pid":1,"event":"booted"}\n'))
        self.assertFalse(witness.has_booted('{"t":1.0,"daemon":"init","pid":1,"event":"start"}\n'))

    def test_busy_is_a_signal_pending_or_not_asleep(self):
        asleep = {"State": "S (sleeping)", "SigPnd": "0000000000000000", "ShdPnd": "0000000000000000"}
        self.assertFalse(witness.is_busy(asleep))
        self.assertTrue(witness.is_busy({**asleep, "ShdPnd": "0000000000004000"}))
        self.assertTrue(witness.is_busy({**asleep, "SigPnd": "0000000000000001"}))
        self.assertTrue(witness.is_busy({**asleep, "State": "R (running)"}))
        self.assertFalse(witness.is_busy({**asleep, "State": "Z (zombie)"}))
        self.assertFalse(witness.is_busy(None))

    def test_settle_returns_once_a_process_sleeps_and_gives_up_on_one_that_never_does(self):
        sleeper = subprocess.Popen(["sleep", "30"])
        spinner = subprocess.Popen(["sh", "-c", "while :; do :; done"])
        try:
            t0 = time.monotonic()
            witness.settle([sleeper.pid], limit_s=5)
            self.assertLess(time.monotonic() - t0, 4)
            t0 = time.monotonic()
            witness.settle([spinner.pid], limit_s=0.2)
            self.assertGreaterEqual(time.monotonic() - t0, 0.2)
        finally:
            for p in (sleeper, spinner):
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
