import os
import unittest

from runphase import ipc

# /proc/sysvipc/msg as the kernel writes it (comsec's queue, key "COMS").
MSG = """       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime
1129270611          0   600           0          0     0     0     0     0     0     0          0          0 1700000000
         0          1   600           8          1    44     0     0     0     0     0 1700000001          0 1700000001
"""


class IpcTest(unittest.TestCase):
    def test_rows_of_a_sysvipc_file(self):
        self.assertEqual(ipc.parse_sysvipc(MSG), [{"key": 1129270611, "id": 0}, {"key": 0, "id": 1}])
        self.assertEqual(ipc.parse_sysvipc(MSG.splitlines()[0]), [])
        with self.assertRaises(ValueError):
            ipc.parse_sysvipc("header\nnot numbers\n")

    def test_a_keyed_queue_is_an_endpoint_a_private_one_is_not(self):
        snap = {"msg": ipc.parse_sysvipc(MSG), "sem": [], "shm": [], "mqueue": []}
        self.assertEqual(ipc.endpoints_of(snap), {"msg:0x434f4d53"})
        self.assertEqual(ipc.endpoints_of(None), set())

    def test_a_snapshot_of_this_machine(self):
        snap = ipc.snapshot()
        if not os.path.isdir(ipc.MQUEUE_DIR):
            self.assertIsNone(snap, "no /dev/mqueue: nothing is known")
            return
        self.assertEqual(sorted(snap), ["mqueue", "msg", "sem", "shm"])
        self.assertTrue(all(name.startswith("/") for name in snap["mqueue"]))
