/**
 * A finding's fingerprint is the same in every run of the same script: two
 * real sandbox runs, in two containers, whose processes get other pids (the
 * script starts a number of processes that differs from run to run before
 * the ones the findings are about), give the same fingerprints; and a
 * waiver file naming them waives both runs' findings.
 */
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quietIo } from '../../harness/app/io.js';
import { runScript } from '../../harness/app/run-script.js';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import type { ContainerSpec } from '../../harness/engine/container-client.js';
import { newSession } from '../../harness/engine/labels.js';
import type { Report } from '../../harness/report/report.js';
import { readWaiverFile } from '../../harness/report/waiver-file.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

/** The real client, remembering the containers it made. */
class RecordingClient extends DockerContainerClient {
  readonly created: string[] = [];

  override async createContainer(spec: ContainerSpec): Promise<string> {
    const id = await super.createContainer(spec);
    this.created.push(id);
    return id;
  }
}

// 1 to 7 processes first (from a fresh random uuid), then a HANGUP to the booted syslogd by
// a kill program of its own (a process whose pid follows them) and a sleep left running. The
// last second lets the background child reach its own line: before it does, the model can
// only place it on the line before (a race of the run, which its fingerprint would follow).
const SCRIPT = `#!/sbin/sh
n=$(( 16#$(cut -c1 /proc/sys/kernel/random/uuid) % 7 + 1 ))
i=0
while [ $i -lt $n ]; do /bin/true; i=$((i + 1)); done
/bin/kill -HUP $(cat /var/run/syslog.pid)
sleep 300 &
sleep 1
exit 0
`;

t.test('two runs of one script: other pids and containers, the same fingerprints', { skip }, async (t) => {
  const cwd = t.testdir({ postinstall: SCRIPT });
  const client = new RecordingClient();
  const session = newSession();
  const image = await testImage();
  const run = async (n: number, extra: { waivers?: Awaited<ReturnType<typeof readWaiverFile>> } = {}): Promise<Report> => {
    const out = await runScript(
      { scriptPath: 'postinstall', phase: 'postinstall', format: 'json', outDir: `run-${n}`, ...extra },
      { io: quietIo(cwd), client, session, image, log: () => {} },
    );
    if (out.report === undefined) throw new Error('no report');
    return out.report;
  };
  const leftover = (r: Report): string | undefined => r.findings.find((f) => f.rule === 'unterminated-process')?.target;
  const prints = (r: Report): string[] => r.findings.map((f) => `${f.rule} ${f.fingerprint}`).sort();

  const first = await run(1);
  t.same(first.findings.map((f) => f.rule).sort(), ['illegal-kill', 'unterminated-process'], 'the kill and the sleep left running');
  t.match(leftover(first), /^\S+ \(pid \d+, runcmd process\)$/, 'a pid in the target');
  // The count of processes before them is random: run again until the pids differ (1 in 7 they do not).
  let second = await run(2);
  for (let n = 3; leftover(second) === leftover(first) && n < 7; n++) second = await run(n);
  t.not(leftover(second), leftover(first), `other pids: ${leftover(first)}, then ${leftover(second)}`);
  t.not(
    first.findings.find((f) => f.rule === 'illegal-kill')?.process.pid,
    second.findings.find((f) => f.rule === 'illegal-kill')?.process.pid,
    'the killing process has another pid too',
  );
  t.ok(client.created.length >= 2 && new Set(client.created).size === client.created.length, 'each run in a container of its own');
  t.same(prints(second), prints(first), 'the same fingerprints');
  t.ok(first.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint ?? '')));

  // A waiver file made from the first run's report waives the next run's findings.
  const file = path.join(cwd, 'waivers.yaml');
  await writeFile(
    file,
    `waivers:\n${first.findings
      .map((f) => `  - rule: ${f.rule}\n    fingerprint: ${f.fingerprint}\n    reason: known, tracked in PKG-7\n    owner: pkg-team\n    expires: 2999-01-01\n`)
      .join('')}`,
  );
  const waived = await run(9, { waivers: await readWaiverFile(file) });
  t.ok(waived.findings.length > 0 && waived.findings.every((f) => f.waived?.owner === 'pkg-team'), 'every finding waived');
  t.match(waived.summary, { verdict: 'safe', counts: { error: 0 }, waived: waived.findings.length });
  t.same(waived.waivers?.stale, []);
});
