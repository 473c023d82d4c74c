import unittest
from types import SimpleNamespace

from runphase import tracer

REQ = {"untraced": False, "traceAll": False, "stringLimit": 4096, "traceSyscalls": ["execve", "kill", "write"]}
PLAN = SimpleNamespace(root="/images/inactive", script="/var/adm/sw/products/P/f/preinstall")


class CommandTest(unittest.TestCase):
    def test_traced_strace_between_nsenter_and_the_keeper(self):
        cmd = tracer.command(REQ, PLAN, 2817, 4, 6, "/drdsafe/out/trace.txt")
        self.assertTrue(cmd.traced)
        self.assertEqual(cmd.argv[:cmd.enter], ["nsenter", "--target", "2817", "--pid", "--"])
        self.assertEqual(cmd.argv[cmd.enter:], [
            "/opt/drdsafe/bin/tracer-exec", "61000",
            "/opt/drdsafe/libexec/strace", "-f", "-ttt", "--decode-fds=path,socket,pidfd", "-s", "4096", "-E", "TZ",
            "--seccomp-bpf", "-e", "trace=execve,kill,write", "-e", "raw=write", "-e", "write=2",
            "-o", "/drdsafe/out/trace.txt", "--",
            "/opt/drdsafe/bin/jail-exec", "--status-fd", "4", "--stderr-fd", "6",
            "/images/inactive", "/sbin/sh", "-x", "/var/adm/sw/products/P/f/preinstall"])

    def test_trace_all_has_durations_and_no_filter(self):
        options = tracer.strace_options({**REQ, "traceAll": True, "stringLimit": 64}, "/t")
        self.assertEqual(options, ["/opt/drdsafe/libexec/strace", "-f", "-ttt", "--decode-fds=path,socket,pidfd",
                                   "-s", "64", "-E", "TZ", "-T", "-o", "/t", "--"])

    def test_untraced_is_the_jail_alone(self):
        cmd = tracer.command({**REQ, "untraced": True}, PLAN, 15, None, 6, "/t")
        self.assertFalse(cmd.traced)
        self.assertEqual(cmd.argv, ["nsenter", "--target", "15", "--pid", "--", "/opt/drdsafe/bin/jail-exec",
                                    "/images/inactive", "/sbin/sh", "-x", "/var/adm/sw/products/P/f/preinstall"])


class MessagesTest(unittest.TestCase):
    def test_lines_that_say_something_at_most_fifty(self):
        self.assertEqual(tracer.summarize_messages(""), [])
        self.assertEqual(tracer.summarize_messages("strace: x\n\n  \nstrace: y\n"), ["strace: x", "strace: y"])
        many = tracer.summarize_messages("".join(f"line {i}\n" for i in range(53)))
        self.assertEqual(len(many), 51)
        self.assertEqual(many[-1], "... 3 more lines in tracer.log")

    def test_no_log_no_messages(self):
        self.assertEqual(tracer.messages("/nonexistent/tracer.log"), [])
