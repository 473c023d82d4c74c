import time
import unittest

from runphase import run
from runphase.errors import HarnessFailure


class RunTest(unittest.TestCase):
    def test_usage(self):
        with self.assertRaisesRegex(HarnessFailure, r"^usage: run-phase /drdsafe/in/request.json$"):
            run.main(["run-phase"])

    def test_process_start_is_before_now_within_this_processs_life(self):
        start = run.process_start()
        self.assertLessEqual(start, time.monotonic())
        self.assertGreater(start, time.monotonic() - 3600)
