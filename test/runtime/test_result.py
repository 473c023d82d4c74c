import json
import os
import tempfile
import unittest

from runphase import result


class DaemonEntryTest(unittest.TestCase):
    def test_pids_as_strace_saw_them_states_when_read(self):
        d = {"name": "inetd", "pid": 2830, "nsPid": 11, "endpoints": ["tcp:127.0.0.1:2323"], "startTime": 5,
             "aliveBefore": True, "aliveAfter": False, "schedBefore": {"nice": 0}, "schedAfter": None}
        self.assertEqual(result.daemon_entry(d), {
            "name": "inetd", "pid": 11, "nsPid": 11, "containerPid": 2830, "endpoints": ["tcp:127.0.0.1:2323"],
            "aliveBefore": True, "aliveAfter": False, "schedBefore": {"nice": 0}})


class WriteTest(unittest.TestCase):
    def test_whole_or_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "result.json")
            result.write_result(path, {"schemaVersion": 1})
            self.assertEqual(os.listdir(d), ["result.json"])
            with open(path) as f:
                self.assertEqual(json.load(f), {"schemaVersion": 1})
