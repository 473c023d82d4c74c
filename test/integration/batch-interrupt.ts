/**
 * Ctrl-C on a batch, with real processes: drdsafe (from the sources, as
 * `npm run drdsafe` runs it) runs 50 scripts two at a time; SIGINT after a
 * few have finished stops it, leaves no container of its own behind (found
 * by the owner label, `<host>:<pid>`), and still writes the summary table
 * and index.html of what finished.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DockerContainerClient } from '../../harness/engine/docker-container-client.js';
import { LABEL } from '../../harness/engine/labels.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { testImage } from '../fixtures/sandbox/test-image.js';

const skip = await dockerSkipReason();

t.test('SIGINT stops a batch of 50, removes its containers, and writes what finished', { skip }, async (t) => {
  await testImage();
  const files: Record<string, string> = {};
  for (let i = 1; i <= 50; i++) files[`s${String(i).padStart(2, '0')}`] = `#!/sbin/sh\necho script ${i}\nsleep 1\nexit 0\n`;
  const dir = t.testdir({ scripts: files });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'harness', 'cli', 'main.ts'), 'run', 'scripts', '--phase', 'preinstall', '--jobs', '2', '--out', 'batch'],
    {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const interrupted = new Promise<void>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // Two finished and two more under way: then Ctrl-C.
      if (/batch: \[2\/50\]/.test(stderr) && (stderr.match(/batch: start /g) ?? []).length >= 4) resolve();
    });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await Promise.race([interrupted, exited]);
  t.equal(child.exitCode, null, `still running when interrupted\n${stderr}`);
  child.kill('SIGINT');
  const end = await exited;
  t.ok(end.signal === 'SIGINT' || end.code === 130, `exits as Ctrl-C does (${JSON.stringify(end)})`);

  const client = new DockerContainerClient();
  const left = await client.listContainers({ [LABEL.owner]: `${os.hostname()}:${child.pid}` });
  t.same(
    left.map((c) => c.id.slice(0, 12)),
    [],
    'no container of the batch is left',
  );

  const finished = stdout.split('\n').filter((l) => /^scripts\/s\d\d\s+safe\s+0\s/.test(l));
  t.ok(finished.length >= 2, `the summary table lists what finished:\n${stdout}`);
  t.match(stdout, /^scripts\/s50\s+not run\s+-/m, 'and what did not run');
  t.match(stdout, /50 run\(s\) in .*; exit code 3$/m, 'an interrupted batch proves nothing for the rest: exit code 3 in its summary');
  t.match(stderr, /batch: interrupted: \d+ of 50 run\(s\) finished/);
  const index = await readFile(path.join(dir, 'batch', 'index.html'), 'utf8');
  t.match(index, /href="s01\/report.html"/, 'index.html links the finished runs');
  const batch = JSON.parse(await readFile(path.join(dir, 'batch', 'batch.json'), 'utf8')) as { runs: { status: string }[] };
  t.equal(batch.runs.length, 50);
  t.ok(batch.runs.filter((r) => r.status === 'not-run').length > 30, 'most never started');
});
