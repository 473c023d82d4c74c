import json
import os
import tempfile
import unittest

from runphase.errors import HarnessFailure
from runphase.request import check_request, load_request


def problems(req):
    try:
        check_request(req, "r.json")
    except HarnessFailure as e:
        return str(e)
    raise AssertionError(f"accepted: {req}")


class CheckRequestTest(unittest.TestCase):
    def test_only_the_phase_and_something_to_trace_are_needed(self):
        self.assertEqual(check_request({"phase": "preinstall", "traceSyscalls": ["kill"]}, "r.json"), {
            "phase": "preinstall", "scriptName": "script",
            "controlDirectory": "/var/adm/sw/products/DRDSAFE-TEST/payload/",
            "softwareSpec": "DRDSAFE-TEST.payload,r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/",
            "timeoutSeconds": 60, "traceSyscalls": ["kill"], "traceAll": False, "stringLimit": 4096,
            "shared": [], "maxTraceBytes": 256 * 1024 * 1024, "bootedArchive": False, "untraced": False,
            "interactive": False, "maxOutputBytes": 64 * 1024 * 1024, "treeBytes": 256 * 1024 * 1024,
            "outsideDrd": False, "variant": None})

    def test_a_variant_is_checked_with_every_problem_named(self):
        text = problems({"phase": "preinstall", "traceSyscalls": ["kill"],
                         "variant": {"files": [{"path": "rel", "content": "x", "mode": 420}], "directories": [],
                                     "daemons": [{"name": "-x", "pidFile": "/var/run/x.pid", "program": "/opt/x"}],
                                     "pidFiles": []}})
        self.assertIn("variant.files[0]: expected path (absolute), content and mode", text)
        self.assertIn("variant.daemons[0]: expected name, pidFile and program", text)

    def test_every_problem_at_once(self):
        text = problems({"phase": "pre install", "timeoutSeconds": -1, "shared": ["relative"], "traceSyscalls": [],
                         "stringLimit": True, "scriptName": "../x", "treeBytes": 1024})
        self.assertTrue(text.startswith("invalid request r.json:\n  "))
        for line in ('phase: expected a control script tag, got "pre install"',
                     "timeoutSeconds: expected a positive number, got -1",
                     'shared: expected a list of absolute paths, got ["relative"]',
                     "stringLimit: expected a positive integer, got true",
                     'scriptName: expected a file name in /drdsafe/in, got "../x"',
                     "treeBytes: expected at least 16 MiB, got 1024"):
            self.assertIn("\n  " + line, text)
        # Nothing to trace is named only when the rest is right.
        self.assertNotIn("traceSyscalls", text)

    def test_nothing_to_trace_unless_everything_or_nothing_is(self):
        self.assertIn("traceSyscalls: must not be empty unless traceAll or untraced", problems({"phase": "preinstall"}))
        self.assertTrue(check_request({"phase": "preinstall", "traceAll": True}, "r")["traceAll"])
        self.assertTrue(check_request({"phase": "preinstall", "untraced": True}, "r")["untraced"])

    def test_phase_is_required_and_a_request_is_an_object(self):
        self.assertIn("phase: required", problems({"traceAll": True}))
        self.assertEqual(problems([1]), "r.json: expected a JSON object")

    def test_paths_are_normalised(self):
        r = check_request({"phase": "postinstall", "traceAll": True, "controlDirectory": "/var/adm/sw/x",
                           "shared": ["/var/opt/shared/", "/a//b"]}, "r")
        self.assertEqual(r["controlDirectory"], "/var/adm/sw/x/")
        self.assertEqual(r["shared"], ["/var/opt/shared", "/a/b"])
        self.assertIn("shared", problems({"phase": "preinstall", "traceAll": True, "shared": ["/a/../b"]}))
        self.assertIn("shared", problems({"phase": "preinstall", "traceAll": True, "shared": ["/"]}))
        self.assertIn("controlDirectory", problems({"phase": "preinstall", "traceAll": True, "controlDirectory": "/a/../b/"}))


class LoadRequestTest(unittest.TestCase):
    def test_a_file_that_is_missing_or_no_json_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                f.write("{")
            with self.assertRaisesRegex(HarnessFailure, f"^cannot read the request {bad}: "):
                load_request(bad)
            with self.assertRaisesRegex(HarnessFailure, "No such file"):
                load_request(os.path.join(d, "none.json"))
            good = os.path.join(d, "good.json")
            with open(good, "w") as f:
                json.dump({"phase": "configure", "untraced": True}, f)
            self.assertEqual(load_request(good)["phase"], "configure")
