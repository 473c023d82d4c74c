import os
import tempfile
import unittest
from unittest import mock

from runphase import jail, layout
from runphase.errors import HarnessFailure

REQ = {"phase": "preinstall", "scriptName": "script", "controlDirectory": "/var/adm/sw/products/P/f/",
       "softwareSpec": "P.f,r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/"}


class Ps4Test(unittest.TestCase):
    def test_a_plain_path_becomes_the_alias(self):
        ps4, alias = jail.ps4_for("/var/adm/sw/products/P/f/preinstall")
        self.assertEqual(ps4, "+drdsafe[${.sh.file/#\\/var\\/adm\\/sw\\/products\\/P\\/f\\/preinstall/@}:${LINENO}] ")
        self.assertEqual(alias, "@")
        self.assertTrue(ps4.startswith(jail.XTRACE_MARKER))

    def test_other_characters_keep_the_plain_file_name(self):
        for path in ("/var/adm/sw/products/A B/x/preinstall", "/a/$(x)/p", "relative/p", "/a/*/p"):
            self.assertEqual(jail.ps4_for(path), ("+drdsafe[${.sh.file}:${LINENO}] ", None), path)


class EnvTest(unittest.TestCase):
    def test_sd_environment_of_a_control_script_under_drd(self):
        env = jail.jail_env(REQ, "/var/adm/sw/products/P/f/preinstall", "/var/adm/sw/products/P/f/session_options")
        self.assertEqual(env["SW_SESSION_IS_DRD"], "1")
        self.assertEqual(env["SW_CONTROL_TAG"], "preinstall")
        self.assertEqual(env["SW_CONTROL_DIRECTORY"], "/var/adm/sw/products/P/f/")
        self.assertEqual(env["SW_SESSION_OPTIONS"], "/var/adm/sw/products/P/f/session_options")
        self.assertEqual(env["SW_SOFTWARE_SPEC"], REQ["softwareSpec"])
        self.assertEqual(env["PATH"], "/sbin:/usr/sbin:/usr/bin")
        self.assertEqual(env["PS4"], jail.ps4_for("/var/adm/sw/products/P/f/preinstall")[0])
        self.assertEqual(sorted(k for k in env if not k.startswith("SW_")), ["HOME", "LANG", "PATH", "PS4"])


class InstallTest(unittest.TestCase):
    def test_the_script_and_session_options_in_the_root(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(d + "/in")
            os.makedirs(d + "/root")
            with open(d + "/in/script", "w") as f:
                f.write("#!/sbin/sh\nexit 0\n")
            with mock.patch.object(jail, "IN_DIR", d + "/in"):
                plan = jail.install(REQ, root=d + "/root")
            self.assertEqual(plan.script, "/var/adm/sw/products/P/f/preinstall")
            self.assertEqual(plan.options, "/var/adm/sw/products/P/f/session_options")
            self.assertEqual(plan.root, d + "/root")
            self.assertEqual(plan.script_alias, "@")
            self.assertEqual(os.stat(d + "/root" + plan.script).st_mode & 0o777, 0o755)
            with open(d + "/root" + plan.options) as f:
                options = f.read()
            self.assertIn("\nsoftware=P.f,r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/\n", options)
            self.assertIn("\nlogfile=/var/adm/sw/swagent.log\n", options)
            self.assertEqual(plan.env, jail.jail_env(REQ, plan.script, plan.options))

    def test_a_missing_script_is_named(self):
        with self.assertRaisesRegex(HarnessFailure, "^no control script: /drdsafe/in/nothere is missing$"):
            jail.install({**REQ, "scriptName": "nothere"}, root="/nonexistent")

    def test_the_default_root_is_the_clone(self):
        self.assertEqual(jail.install.__defaults__, (layout.INACTIVE,))
