/**
 * The container side's unit tests: the pure parts of images/runtime/runphase
 * (request checks, /proc and cgroup parsing, the jail's environment, strace's
 * options, status decoding, the result's assembly), written in Python beside
 * this file (test_*.py) and run here with the host's python3 (the image's is
 * the same 3.11). Each Python test is one assertion; no Docker needed.
 */
import t from 'tap';
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../harness/project-root.js';

const RUNNER = path.join(PROJECT_ROOT, 'test', 'fixtures', 'runtime', 'unittest_json.py');
const TESTS = path.join(PROJECT_ROOT, 'test', 'runtime');
const RUNTIME_DIR = path.join(PROJECT_ROOT, 'images', 'runtime');

interface Outcome {
  readonly test: string;
  readonly outcome: 'ok' | 'fail' | 'skip';
  readonly detail: string;
}

t.test('the runtime package passes its unit tests', async (t) => {
  // -B: no __pycache__ beside the package (images/ is the image's input).
  const r = await execa('python3', ['-B', RUNNER, TESTS], { env: { PYTHONPATH: RUNTIME_DIR, PYTHONDONTWRITEBYTECODE: '1' }, reject: false });
  const outcomes = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Outcome);
  for (const o of outcomes) {
    if (o.outcome === 'skip') t.fail(`${o.test} was skipped (${o.detail}): a skipped test does not pass`);
    else t.ok(o.outcome === 'ok', o.test, o.outcome === 'ok' ? {} : { diagnostic: true, detail: o.detail });
  }
  // Every test file was found and imported (a module that fails to import shows as one failed test).
  for (const file of (await readdir(TESTS)).filter((f) => /^test_.*\.py$/.test(f))) {
    const module = file.slice(0, -'.py'.length);
    t.ok(
      outcomes.some((o) => o.test.startsWith(`${module}.`) && o.outcome === 'ok'),
      `${file}: its tests ran`,
    );
  }
  t.equal(r.exitCode, 0, r.stderr);
});
