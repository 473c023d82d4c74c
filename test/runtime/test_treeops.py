"""runsession.treeops: changes to a tree, every path resolved inside it."""
import os
import tempfile
import unittest

from runsession import treeops


class Beneath(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        os.makedirs(self.root + "/opt/real")
        os.symlink("/opt/real", self.root + "/opt/link")
        os.symlink("../../..", self.root + "/opt/real/up")
        os.symlink("/", self.root + "/opt/top")

    def tearDown(self):
        self.tmp.cleanup()

    def test_plain_path(self):
        self.assertEqual(treeops.beneath(self.root, "/opt/real/x"), self.root + "/opt/real/x")

    def test_absolute_link_starts_at_the_root(self):
        self.assertEqual(treeops.beneath(self.root, "/opt/link/x"), self.root + "/opt/real/x")

    def test_dot_dot_stops_at_the_root(self):
        self.assertEqual(treeops.beneath(self.root, "/opt/real/up/etc/passwd"), self.root + "/etc/passwd")
        self.assertEqual(treeops.beneath(self.root, "/../../etc"), self.root + "/etc")

    def test_a_link_to_slash_stays_inside(self):
        self.assertEqual(treeops.beneath(self.root, "/opt/top/etc/x"), self.root + "/etc/x")

    def test_the_last_link_is_left_unless_followed(self):
        self.assertEqual(treeops.beneath(self.root, "/opt/link"), self.root + "/opt/link")
        self.assertEqual(treeops.beneath(self.root, "/opt/link", follow_last=True), self.root + "/opt/real")

    def test_a_link_loop_is_an_error(self):
        os.symlink("/loop", self.root + "/loop")
        with self.assertRaises(treeops.TreeOpError):
            treeops.beneath(self.root, "/loop/x")


class Apply(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name + "/tree"
        os.makedirs(self.root + "/etc")
        with open(self.root + "/etc/passwd", "w") as f:
            f.write("root:x:0:3::/:/sbin/sh\nbin:x:2:2::/usr/bin:\n")
        with open(self.root + "/etc/group", "w") as f:
            f.write("root::0:root\nbin::2:root,bin\n")
        self.src = self.tmp.name + "/src"
        with open(self.src, "wb") as f:
            f.write(b"#!/sbin/sh\n")

    def tearDown(self):
        self.tmp.cleanup()

    def apply(self, *ops):
        return treeops.apply_all(self.root, list(ops))

    def test_a_file_gets_its_mode_and_owner_by_name_from_the_tree(self):
        self.assertEqual(self.apply({"op": "file", "path": "/opt/p/bin/tool", "source": self.src, "mode": 0o4555, "owner": "bin", "group": "bin"}), ["done"])
        st = os.stat(self.root + "/opt/p/bin/tool")
        self.assertEqual((st.st_mode & 0o7777, st.st_uid, st.st_gid), (0o4555, 2, 2))

    def test_a_write_through_a_link_out_of_the_tree_lands_inside(self):
        os.symlink("/", self.root + "/escape")
        self.apply({"op": "text", "path": "/escape/etc/motd", "text": "hi\n"})
        self.assertTrue(os.path.isfile(self.root + "/etc/motd"))
        self.assertFalse(os.path.exists(self.tmp.name + "/etc/motd"))

    def test_remove_keeps_a_directory_that_is_not_empty(self):
        self.apply({"op": "text", "path": "/d/f", "text": ""})
        self.assertEqual(self.apply({"op": "remove", "path": "/d"}, {"op": "remove", "path": "/d/f"}, {"op": "remove", "path": "/d"}, {"op": "remove", "path": "/d"}),
                         ["kept", "done", "done", "absent"])

    def test_remove_tree_if_only(self):
        self.apply({"op": "text", "path": "/p/pfiles/INDEX", "text": ""}, {"op": "text", "path": "/p/F/INDEX", "text": ""})
        self.assertEqual(self.apply({"op": "remove-tree", "path": "/p", "ifOnly": ["pfiles"]}), ["kept"])
        self.apply({"op": "remove-tree", "path": "/p/F"})
        self.assertEqual(self.apply({"op": "remove-tree", "path": "/p", "ifOnly": ["pfiles"]}), ["done"])

    def test_copy_unless_a_marker_exists(self):
        self.apply({"op": "text", "path": "/opt/x", "text": "orig"})
        self.assertEqual(self.apply({"op": "copy", "path": "/opt/x", "to": "/save/opt/x", "unless": "/nosave"}), ["done"])
        self.assertEqual(self.apply({"op": "copy", "path": "/opt/none", "to": "/save/none"}), ["absent"])
        self.apply({"op": "text", "path": "/nosave", "text": ""})
        self.assertEqual(self.apply({"op": "copy", "path": "/opt/x", "to": "/save2", "unless": "/nosave"}), ["skipped"])

    def test_set_attributes_replaces_and_removes_lines(self):
        self.apply({"op": "text", "path": "/INDEX", "text": "fileset\ntag F\npatch_state applied\nsuperseded_by X\n"})
        self.assertEqual(self.apply({"op": "set-attributes", "path": "/INDEX", "set": {"patch_state": "superseded", "superseded_by": ""}}), ["done"])
        with open(self.root + "/INDEX") as f:
            self.assertEqual(f.read(), "fileset\ntag F\npatch_state superseded\n")
        self.assertEqual(self.apply({"op": "set-attributes", "path": "/NONE", "set": {"a": "b"}}), ["absent"])

    def test_links_and_append(self):
        self.apply({"op": "symlink", "path": "/sbin/rc3.d/S900x", "target": "/sbin/init.d/x"}, {"op": "append", "path": "/log", "text": "a\n"}, {"op": "append", "path": "/log", "text": "b\n"})
        self.assertEqual(os.readlink(self.root + "/sbin/rc3.d/S900x"), "/sbin/init.d/x")
        with open(self.root + "/log") as f:
            self.assertEqual(f.read(), "a\nb\n")


class Ids(unittest.TestCase):
    def test_parse_ids(self):
        self.assertEqual(treeops.parse_ids("root:x:0:3::/:\nbin:x:2:2::/:\nbad\n"), {"root": 0, "bin": 2})


if __name__ == "__main__":
    unittest.main()
