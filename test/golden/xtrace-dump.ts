/**
 * Runs trace the shell's xtrace writes raw, with their text in hex dump lines
 * (`-e raw=write -e write=2`); the golden runs recorded them decoded
 * (`write(2</drdsafe/out/stderr.txt>, "+drdsafe[...", n)`). Turned into the
 * raw form, every golden must give the same verdict and the same findings,
 * tied to the same script lines.
 */
import t from 'tap';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../fixtures/cli/capture-io.js';
import { syscallOf } from '../fixtures/trace/collect.js';
import { dumpLines } from '../fixtures/trace/hex-dump.js';
import { stringArg } from '../../harness/model/trace-args.js';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const GOLDEN = path.join(PROJECT_ROOT, 'traces', 'golden');

/** A complete decoded write to fd 2. */
const DECODED_WRITE = /^(\d+ +[\d.]+ )write\(2<[^>]*>, ".*"(?:\.\.\.)?, \d+\) += (\d+)( <[\d.]+>)?$/;

/** The trace with every complete decoded write to fd 2 printed raw and followed by its dump; and how many it changed. */
function rawWrites(text: string): { text: string; changed: number } {
  let changed = 0;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = DECODED_WRITE.exec(line);
    const data = m === null ? undefined : stringArg(syscallOf(line).args[1]);
    if (m === null || data === undefined || data.truncated) {
      out.push(line);
      continue;
    }
    const n = Number(m[2]);
    out.push(`${m[1]}write(0x2, 0x55d0c0de0000, 0x${data.value.length.toString(16)}) = 0x${n.toString(16)}${m[3] ?? ''}`, ...dumpLines(data.value.slice(0, n)));
    changed++;
  }
  return { text: out.join('\n'), changed };
}

interface Report {
  summary: { verdict: string };
  findings: { rule: string; location?: unknown; process: { pid: number; argv: string[] }; message: string }[];
}

async function analyze(dir: string, out: string): Promise<Report> {
  const r = await runCli(['analyze', dir, '--format', 'json', '--report', out], PROJECT_ROOT);
  return JSON.parse(r.stdout) as Report;
}

t.test('every golden gives the same findings, at the same script lines, with its xtrace dumped raw', async (t) => {
  const work = t.testdir({});
  const names = (await readdir(GOLDEN, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  let converted = 0;
  let located = 0;
  for (const name of names) {
    const dir = path.join(GOLDEN, name);
    const { text, changed } = rawWrites(await readFile(path.join(dir, 'trace.txt'), 'latin1'));
    if (changed === 0) continue;
    converted++;
    const copy = path.join(work, name);
    await mkdir(copy);
    for (const f of await readdir(dir)) if (f !== 'trace.txt') await copyFile(path.join(dir, f), path.join(copy, f));
    await writeFile(path.join(copy, 'trace.txt'), text, 'latin1');
    const before = await analyze(dir, path.join(work, `${name}.before.json`));
    const after = await analyze(copy, path.join(work, `${name}.after.json`));
    const key = (r: Report) => r.findings.map((f) => ({ rule: f.rule, location: f.location, pid: f.process.pid, argv: f.process.argv }));
    t.equal(after.summary.verdict, before.summary.verdict, `${name}: verdict`);
    t.same(key(after), key(before), `${name}: ${changed} writes raw, same findings and script lines`);
    located += after.findings.filter((f) => f.location !== undefined).length;
  }
  // Goldens recorded since the sandbox prints writes raw have nothing to convert.
  t.ok(converted >= 15, `${converted} goldens had xtrace writes to convert`);
  t.ok(located >= 20, `${located} findings tied to a script line from the dumps`);
});
