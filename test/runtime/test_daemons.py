import os
import unittest

from runphase import daemons

# /proc/net/tcp, udp and unix as the kernel writes them (trimmed columns are kept).
TCP = """  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0913 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1
   1: 0100007F:084D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1
   2: 0100007F:D3B8 0100007F:084D 01 00000000:00000000 00:00000000 00000000     0        0 1003 1
"""
UDP = """   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 0100007F:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1004 2 0000000000000000 0
"""
UNIX = """Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00000000 0002 01 1005 /dev/log
0000000000000000: 00000002 00000000 00010000 0001 01 1006 @vxconfigd
0000000000000000: 00000003 00000000 00000000 0001 03 1007
"""

STAT_FIELDS = ["S"] + [str(n) for n in range(4, 53)]


def stat_text(nice, rt, policy):
    f = list(STAT_FIELDS)
    f[16], f[37], f[38] = str(nice), str(rt), str(policy)
    return "12 (sys logd) " + " ".join(f) + "\n"


LIMITS = """Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max open files            64                   1048576              files     
"""


class EndpointsTest(unittest.TestCase):
    def test_listening_tcp_bound_udp_and_unix_paths(self):
        self.assertEqual(daemons.parse_net(TCP, UDP, UNIX), {
            "tcp:127.0.0.1:2323", "tcp:127.0.0.1:2125", "udp:127.0.0.1:69", "unix:/dev/log", "unix:@vxconfigd"})
        self.assertEqual(daemons.parse_net("", "", ""), set())

    def test_this_machines_endpoints_read(self):
        self.assertIsInstance(daemons.listening(), set)


class TableTest(unittest.TestCase):
    def test_every_daemon_at_its_hp_ux_names(self):
        names = [d.name for d in daemons.DAEMONS]
        self.assertEqual(names, ["syslogd", "inetd", "swagentd", "comsec", "vxconfigd", "tftpd", "cron"])
        for d in daemons.DAEMONS:
            self.assertTrue(d.pidfile.startswith("/var/run/") and d.pidfile.endswith(".pid"), d)

    def test_the_booted_tree_template_starts_each(self):
        """The template in images/booted has an init script for every daemon of the table."""
        template = os.path.join(os.path.dirname(daemons.__file__), "..", "..", "booted")
        for d in daemons.DAEMONS:
            self.assertTrue(os.path.isfile(os.path.join(template, "sbin", "init.d", d.name)), d.name)
            if d.rc_var:
                with open(os.path.join(template, "etc", "rc.config.d", d.name)) as f:
                    self.assertTrue(daemons.rc_enabled(f.read(), d.rc_var), d.name)

    def test_on_off_variable(self):
        self.assertTrue(daemons.rc_enabled("# cron\n  CRON=1  \n", "CRON"))
        self.assertFalse(daemons.rc_enabled("CRON=0\n", "CRON"))
        self.assertFalse(daemons.rc_enabled("XCRON=1\n", "CRON"))
        self.assertFalse(daemons.rc_enabled("#CRON=1\n", "CRON"))
        self.assertTrue(daemons.rc_enabled("", None))


class SchedTest(unittest.TestCase):
    def test_nice_policy_cpus_and_limits(self):
        st, limits = daemons.parse_sched(stat_text(-5, 10, 1), LIMITS, "Name:\tx\nCpus_allowed_list:\t0-1\n")
        self.assertEqual(st, {"nice": -5, "rtPriority": 10, "policy": 1, "cpus": "0-1"})
        self.assertEqual(limits, {"Max cpu time": "unlimited unlimited", "Max open files": "64 1048576"})

    def test_this_process(self):
        st = daemons.sched_state(os.getpid())
        self.assertEqual(sorted(st), ["cpus", "ioPriority", "limits", "nice", "policy", "rtPriority"])
        self.assertEqual(st["nice"], os.getpriority(os.PRIO_PROCESS, 0))
        self.assertEqual(st["limits"]["Max open files"].split()[0], str(__import__("resource").getrlimit(7)[0]))
        self.assertIsNone(daemons.sched_state(2 ** 22 + 1))
