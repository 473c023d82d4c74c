/**
 * The sandbox's strace (images/strace/build-strace.sh): Debian's strace 6.1
 * with a cache of the cwd AT_FDCWD's decoration prints. Its trace must be
 * the one Debian's /usr/bin/strace writes, through every way a cwd or its
 * path changes (chdir, a subshell's, a rename of a directory above it, its
 * removal, chroot), and it must read /proc/PID/cwd less often.
 */
import t from 'tap';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { TestSession } from '../fixtures/sandbox/test-session.js';

const skip = await dockerSkipReason();

const SCRIPT = `
mkdir -p /tmp/t/a/b /tmp/t/x
cd /tmp/t/a
cat f 2>/dev/null
cd b
cat f 2>/dev/null
( cd /tmp/t/x; cat f 2>/dev/null )
cat f 2>/dev/null
mv /tmp/t/a /tmp/t/c
cat f 2>/dev/null
cd /
cat f 2>/dev/null
cd /tmp/t/c/b
rmdir /tmp/t/c/b
cat f 2>/dev/null
cd /tmp/t/x
chroot / /usr/bin/cat f 2>/dev/null
true
`;

/** One trace with `strace` and the options the sandbox uses for decorations, normalised for comparison. */
function traceWith(strace: string, out: string): string {
  return `rm -rf /tmp/t; ${strace} -f --decode-fds=path,socket,pidfd --seccomp-bpf -e trace=openat,chdir,fchdir,chroot,rename,renameat,renameat2,rmdir,unlinkat,execve -o ${out} ksh -c '${SCRIPT.replace(/'/g, "'\\''")}'`;
}

t.test("the sandbox's strace writes what Debian's does, with fewer reads of /proc/PID/cwd", { skip }, async (t) => {
  const s = await TestSession.start();
  t.teardown(() => s.stop());
  const run = await s.sh(
    [
      traceWith('/usr/bin/strace', '/tmp/debian.trace'),
      traceWith('/opt/drdsafe/libexec/strace', '/tmp/sandbox.trace'),
      // Without pids, signal deliveries (which name pids) and addresses (randomised): the rest is the same program doing the same.
      "for f in debian sandbox; do sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/0x/g' /tmp/$f.trace | grep -v '^--- SIG' > /tmp/$f.norm; done",
      'diff /tmp/debian.norm /tmp/sandbox.norm && echo SAME',
      'grep -c "AT_FDCWD</" /tmp/sandbox.norm',
      // How often each reads a process's cwd link: the tracer's own readlink calls, counted by an outer
      // strace (without -f: the tracer's children are the tracer's to trace).
      "/usr/bin/strace -qq -e trace=readlink -o /tmp/debian.rl /usr/bin/strace -f --decode-fds=path --seccomp-bpf -e trace=openat -o /dev/null ksh -c 'cd /tmp; for i in 1 2 3 4 5 6 7 8 9 10; do cat /dev/null; : > /dev/null; done'",
      "/usr/bin/strace -qq -e trace=readlink -o /tmp/sandbox.rl /opt/drdsafe/libexec/strace -f --decode-fds=path --seccomp-bpf -e trace=openat -o /dev/null ksh -c 'cd /tmp; for i in 1 2 3 4 5 6 7 8 9 10; do cat /dev/null; : > /dev/null; done'",
      'grep -c "/cwd\\"" /tmp/debian.rl; grep -c "/cwd\\"" /tmp/sandbox.rl',
    ].join('\n'),
  );
  t.equal(run.exitCode, 0, run.stderr);
  const [same, decorated, debianReads, sandboxReads] = run.stdout.trim().split('\n').slice(-4);
  t.equal(same, 'SAME', `the traces agree:\n${run.stdout}`);
  t.ok(Number(decorated) >= 10, `the trace shows AT_FDCWD's cwd (${decorated} times)`);
  const debian = Number(debianReads);
  const sandbox = Number(sandboxReads);
  t.comment(`readlink of /proc/PID/cwd: Debian's strace ${debian}, the sandbox's ${sandbox}`);
  t.ok(sandbox > 0 && sandbox < debian / 2, 'the cache reads each cwd once per process and change, not once per call');
});
