import os
import stat
import tempfile
import unittest

from runphase import trees
from runphase.errors import HarnessFailure

# /proc/self/mountinfo lines: the trees' own tmpfs, a tmpfs the engine put there, mounts inside, others.
MOUNTINFO = """\
100 90 0:50 / /images/booted rw,relatime - tmpfs drdsafe-tree rw,size=262144k
101 90 0:51 / /images/inactive rw,relatime - tmpfs drdsafe-tree rw,size=262144k
102 100 0:52 / /images/booted/proc rw - proc proc rw
103 101 0:50 /var/opt/shared /images/inactive/var/opt/shared rw - tmpfs drdsafe-tree rw
104 101 0:53 / /images/inactive/var/a\\040b rw - tmpfs x rw
80 70 0:40 / /images/booted rw,nosuid - tmpfs tmpfs rw,size=262144k
81 70 0:41 / /images/other rw - tmpfs tmpfs rw
82 70 0:42 / /drdsafe rw shared:1 - tmpfs tmpfs rw
"""


class OwnMountsTest(unittest.TestCase):
    def test_the_trees_own_tmpfs_and_everything_below_the_trees(self):
        self.assertEqual(trees.own_mounts_in(MOUNTINFO), [
            "/images/booted", "/images/inactive", "/images/booted/proc", "/images/inactive/var/opt/shared",
            "/images/inactive/var/a b"])


class OutputsTest(unittest.TestCase):
    def test_files_go_folders_stay(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("trace.txt", "result.json"):
                open(os.path.join(d, name), "w").close()
            os.symlink("/nonexistent", os.path.join(d, "link"))
            os.mkdir(os.path.join(d, "keep"))
            trees.clear_outputs(d)
            self.assertEqual(os.listdir(d), ["keep"])
            trees.clear_outputs(os.path.join(d, "none"))  # no folder: nothing to do


class DevTest(unittest.TestCase):
    def test_device_nodes_and_links(self):
        with tempfile.TemporaryDirectory() as root:
            trees.make_dev(root)
            trees.make_dev(root)  # again: what is there stays
            st = os.stat(root + "/dev/null")
            self.assertTrue(stat.S_ISCHR(st.st_mode))
            self.assertEqual((os.major(st.st_rdev), os.minor(st.st_rdev)), (1, 3))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o666)
            self.assertEqual(os.readlink(root + "/dev/stderr"), "/proc/self/fd/2")
            self.assertEqual(sorted(os.listdir(root + "/dev")), sorted(
                [n for n, _, _ in trees.DEV_NODES] + [n for n, _ in trees.DEV_LINKS]))


class FailureTest(unittest.TestCase):
    def test_a_missing_archive_and_a_failed_command_are_named(self):
        with self.assertRaisesRegex(HarnessFailure, "^bootedArchive is set but /nonexistent/booted.tar is missing$"):
            trees.overlay_archive("/nonexistent/booted.tar")
        with self.assertRaisesRegex(HarnessFailure, "^copying x failed: .*No such file"):
            trees.run_quiet(["cp", "/nonexistent/a", "/nonexistent/b"], "copying x")
