import os
import tempfile
import unittest

from runphase.treehash import diff_trees, hash_tree


class HashTreeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name
        os.makedirs(self.root + "/etc/rc.config.d")
        self.write("/etc/rc.config.d/cron", "CRON=1\n")
        os.link(self.root + "/etc/rc.config.d/cron", self.root + "/etc/cron.hardlink")
        os.symlink("usr/bin", self.root + "/bin")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, rel, text):
        with open(self.root + rel, "w") as f:
            f.write(text)

    def test_every_path_with_its_type(self):
        h = hash_tree(self.root)
        self.assertEqual(sorted(h), ["/bin", "/etc", "/etc/cron.hardlink", "/etc/rc.config.d", "/etc/rc.config.d/cron"])
        self.assertTrue(h["/etc"].startswith("d:40000:755:"))
        self.assertTrue(h["/bin"].endswith(":usr/bin"))
        self.assertTrue(h["/etc/rc.config.d/cron"].startswith("f:100000:"))
        self.assertEqual(h["/etc/rc.config.d/cron"], h["/etc/cron.hardlink"], "one file, two names")

    def test_content_mode_and_a_new_file_show_in_the_diff(self):
        before = hash_tree(self.root)
        self.write("/etc/rc.config.d/cron", "CRON=0\n")
        os.chmod(self.root + "/etc/cron.hardlink", 0o600)
        self.write("/etc/motd", "hi\n")
        os.unlink(self.root + "/bin")
        self.assertEqual(diff_trees(before, hash_tree(self.root)), {
            "added": ["/etc/motd"],
            # The directory's mtime changed with the new file.
            "modified": ["/etc", "/etc/cron.hardlink", "/etc/rc.config.d/cron"],
            "deleted": ["/bin"],
        })

    def test_nothing_changed_nothing_to_say(self):
        self.assertEqual(diff_trees(hash_tree(self.root), hash_tree(self.root)),
                         {"added": [], "modified": [], "deleted": []})
