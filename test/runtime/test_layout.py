import unittest

from runphase.layout import OUT_DIR, Outputs


class OutputsTest(unittest.TestCase):
    def test_a_phases_files_in_its_folder(self):
        self.assertEqual(Outputs().trace, OUT_DIR + "/trace.txt")
        out = Outputs("/drdsafe/out/2-postinstall")
        self.assertEqual([out.trace, out.stdout, out.stderr, out.tracer_log, out.booted_diff, out.result], [
            "/drdsafe/out/2-postinstall/" + name for name in
            ("trace.txt", "stdout.txt", "stderr.txt", "tracer.log", "booted-diff.json", "result.json")])
