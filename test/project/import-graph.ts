import t from 'tap';
import path from 'node:path';
import { PROJECT_ROOT } from '../../harness/project-root.js';
import { importProblems, readImportGraph } from '../fixtures/project/import-graph.js';
import type { ImportEdge } from '../fixtures/project/import-graph.js';

const edge = (from: string, to: string): ImportEdge => ({ from, to, packageName: !to.includes('/') && !to.endsWith('.ts') });

t.test('harness/ imports in the directions the layout promises', async (t) => {
  const edges = await readImportGraph(path.join(PROJECT_ROOT, 'harness'));
  t.ok(edges.length > 300, `${edges.length} imports read`);
  t.ok(
    edges.some((e) => e.from === 'engine/docker-container-client.ts' && e.to === 'dockerode'),
    'the graph sees package imports',
  );
  t.ok(
    edges.some((e) => e.from === 'cli/main.ts' && e.to === 'cli/analyze-command.ts'),
    'and relative ones',
  );
  t.same(
    importProblems(edges),
    [],
    'no folder cycle; no stage imports cli/ or app/; image/ and sandbox/ apart; dockerode in engine/ only; execa in process/ only',
  );
});

t.test('each direction is checked: a graph breaking them gets one problem each', async (t) => {
  const broken = [
    edge('report/verdict.ts', 'cli/command.ts'),
    edge('sandbox/sandbox-session.ts', 'app/io.ts'),
    edge('image/ensure-sandbox-image.ts', 'sandbox/sandbox-spec.ts'),
    edge('sandbox/sandbox.ts', 'dockerode'),
    edge('image/base-image.ts', 'execa'),
    edge('model/process-model.ts', 'policy/finding.ts'),
    edge('policy/compile-policy.ts', 'model/model-event.ts'),
    edge('cli/main.ts', 'app/run-script.ts'),
    edge('engine/sweep.ts', 'errors.ts'),
  ];
  t.same(importProblems(broken), [
    'report/verdict.ts imports cli/command.ts: no stage imports cli/ (only cli/ may import app/)',
    'sandbox/sandbox-session.ts imports app/io.ts: no stage imports app/ (only cli/ may import app/)',
    'image/ensure-sandbox-image.ts imports sandbox/sandbox-spec.ts: image/ and sandbox/ do not import each other',
    'sandbox/sandbox.ts imports dockerode, which only engine/ may import',
    'image/base-image.ts imports execa, which only process/ may import',
    'folders import each other in a cycle: model -> policy -> model',
  ]);
});
