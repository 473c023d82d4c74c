/**
 * Script coverage through the real sandbox: a control script with every
 * construct the join must handle runs under real strace and ksh93 in the
 * jail, and report.json says which of its command lines ran, which risky
 * ones did not, and why.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Report } from '../../harness/report/report.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import { runScript } from '../../harness/app/run-script.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

const SCRIPT = `#!/sbin/sh
. /usr/lbin/sw/control_utils
PIDFILE=/var/run/acmeagt.pid
if [ -f $PIDFILE ]; then
  kill -TERM $(cat $PIDFILE)
fi
PID=$(cat /var/run/acmeagt.pid)
[ -n "$PID" ] && kill -HUP $PID
stop_agent() {
  /sbin/init.d/acmeagt stop
}
function ksh_note {
  print -u2 "note: $*"
}
case "$(uname -s)" in
  HP-UX) ksh_note "HP-UX" ;;
  *) ksh_note "not HP-UX" ;;
esac
for f in /etc/rc.config.d/acmeagt*; do
  [ -f "$f" ] && ch_rc -a -p ACME_START=0 "$f"
done
n=0
while [ $n -lt 2 ]; do
  n=$((n + 1))
done
cat > /tmp/acme.conf <<EOF
started=$n
EOF
echo one \\
  two
[ "$SW_SESSION_IS_DRD" = 1 ] || stop_agent
exit 0
`;

t.test('a script run in the sandbox: which command lines ran, and why the risky ones did not', { skip }, async (t) => {
  const dir = t.testdir({ postinstall: SCRIPT });
  const stdout = new PassThrough();
  const out = await runScript(
    { scriptPath: path.join(dir, 'postinstall'), phase: 'postinstall', format: 'json' },
    {
      io: { stdout, stderr: new PassThrough(), env: process.env, cwd: dir, signal: new AbortController().signal, interactive: false },
      client: new DockerContainerClient(),
      session: newSession(),
      image: await testImage(),
    },
  );
  const report = JSON.parse(await readFile(path.join(out.runDir, 'report.json'), 'utf8')) as Report;
  t.equal(report.summary.verdict, 'safe', report.summary.reasons.join('; '));
  const c = report.coverage;
  t.ok(c?.available, 'coverage is in report.json');
  const line = (n: number) => c?.lines.find((l) => l.line === n);
  t.equal(line(2)?.ran, true, 'the sourced control_utils');
  t.match(line(5), {
    ran: false,
    risky: true,
    risk: 'kill',
    why: /`\[ -f \$PIDFILE \]` \(line 4\) was false: the shell ran `\[ -f \/var\/run\/acmeagt\.pid \]`/,
  });
  // The pid file read by cat is missing: the why names the failed open behind the empty $PID.
  t.match(line(8), {
    ran: false,
    risky: true,
    reached: true,
    why: /`\[ -n "\$PID" \]` \(line 8\) failed.*\/var\/run\/acmeagt\.pid: ENOENT \(open\w* from line 7, trace line \d+\)/,
  });
  t.match(line(10), {
    ran: false,
    risk: 'init-script',
    why: /function `stop_agent` .* its call \(line 31\) did not run: `\[ "\$SW_SESSION_IS_DRD" = 1 \]` \(line 31\) succeeded/,
  });
  t.match(line(13), { ran: 'unknown', untraced: 'ksh-function' }, 'a ksh function body that was called is not traced');
  t.equal(line(15)?.ran, true, "the case word's substitution, traced with an earlier LINENO");
  t.match(line(20), { ran: false, risky: true, risk: 'rc-config' });
  t.equal(line(23)?.ran, true, 'while');
  t.equal(line(24)?.ran, true, 'its body');
  t.equal(line(26)?.ran, true, "a here-document's command");
  t.notOk(line(27), 'its body is no command line');
  t.equal(line(29)?.ran, true, 'a continued line');
  t.equal(line(31)?.ran, true);
  t.equal(line(32)?.ran, true);
  t.equal(c?.unattributedMarkers, 0);
  const warned = report.findings.filter((f) => f.rule === 'not-exercised').map((f) => f.location?.line);
  t.same(warned, [5, 8, 10, 20], 'one warning a risky line not run, on its line');
  t.equal(report.summary.counts.warning, report.findings.filter((f) => f.severity === 'warning').length);
});
