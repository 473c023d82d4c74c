import t from 'tap';
import { comparisonLines, explorationLines } from '../../harness/report/render-exploration.js';
import { renderText } from '../../harness/report/render-text.js';
import { renderSarif } from '../../harness/report/render-sarif.js';
import { report } from '../fixtures/explore/reports.js';
import { makeFinding } from '../fixtures/report/make-finding.js';

const CHANGE = {
  kind: 'pid-file' as const,
  path: '/var/run/acmeagt.pid',
  daemon: 'acmeagt',
  condition: '/var/run/acmeagt.pid exists',
  made: 'created it holding the pid of stand-in daemon acmeagt',
};
const WHEN = 'only when /var/run/acmeagt.pid exists: variant 1 created it holding the pid of stand-in daemon acmeagt';

function explored() {
  const kill = { ...makeFinding('illegal-kill', 'error'), variant: { id: 1, when: WHEN, runDir: '/runs/top/variants/1' } };
  return {
    ...report({ verdict: 'unsafe', findings: [kill], reasons: ['variant 1: unsafe: 1 error finding (illegal-kill)'] }),
    exploration: {
      explore: 4,
      timeoutSeconds: 60,
      probes: [
        { kind: 'pid-file' as const, path: '/var/run/acmeagt.pid', call: 'newfstatat', answer: 'ENOENT', traceLine: 9, subject: 'acmeagt', run: 0 },
        { kind: 'pid' as const, pid: 4242, call: 'kill', answer: 'ESRCH', traceLine: 12, subject: 'pid 4242', run: 0, unplannable: 'no pid of its choosing' },
      ],
      variants: [
        {
          id: 1,
          runDir: '/runs/top/variants/1',
          subjects: ['/var/run/acmeagt.pid'],
          changes: [CHANGE],
          when: WHEN,
          ran: true,
          verdict: 'unsafe' as const,
          counts: { error: 1, warning: 0, info: 0 },
          newFindings: 1,
        },
        { id: 2, runDir: '/runs/top/variants/2', subjects: ['/opt/acme'], changes: [], when: 'variant 2 (no change)', ran: false, error: 'run-phase failed' },
      ],
      notExplored: [{ subject: 'pid 4242', reason: 'no pid of its choosing' }],
    },
    comparison: {
      runDir: '/runs/top/compare',
      changes: [CHANGE],
      ran: true,
      verdict: 'unsafe' as const,
      guarded: [{ line: 6, text: '[ "$SW_SESSION_IS_DRD" = 1 ] || /sbin/init.d/comsec stop', risk: 'init-script', traceLine: 56 }],
      avoided: [
        {
          rule: 'illegal-restart',
          severity: 'error' as const,
          message: '/sbin/init.d/comsec stop ran /sbin/init.d/comsec stop',
          line: 6,
          traceLine: 70,
          confirmed: 'compare/witness.jsonl:11: comsec got SIGTERM',
        },
      ],
    },
  };
}

t.test('the text report: each variant, what was not explored, the guard proof', async (t) => {
  const r = explored();
  t.same(explorationLines(r), [
    'Exploration: 2 probes the first run lost; 1 of 2 variants run (--explore 4)',
    `    ${WHEN}`,
    '        UNSAFE (1 error, 0 warning, 0 info), 1 finding the first run did not have; run variants/1',
    '    variant 2 (no change)',
    '        NOT RUN: run-phase failed',
    '    not explored: pid 4242: no pid of its choosing',
  ]);
  t.same(comparisonLines(r), [
    'Guard proof: the comparison run outside DRD (SW_SESSION_IS_DRD unset, run compare; its findings never count)',
    '    on the system with the probes made true (the product installed): /var/run/acmeagt.pid exists',
    '    GUARDED line 6: [ "$SW_SESSION_IS_DRD" = 1 ] || /sbin/init.d/comsec stop (init-script), ran at compare/trace.txt:56',
    '    avoided [ERROR] illegal-restart: /sbin/init.d/comsec stop ran /sbin/init.d/comsec stop (line 6, compare/trace.txt:70)',
    '        confirmed compare/witness.jsonl:11: comsec got SIGTERM',
  ]);
  const text = renderText(r);
  t.match(text, `    variant   ${WHEN} (run variants/1)`, "a variant's finding names it");
  t.match(text, /trace {5}variants\/1\/trace\.txt:12: /, 'and quotes its own trace');
  t.same(explorationLines(report({})), [], 'nothing without exploration');
  t.same(comparisonLines({ ...report({}), comparison: { runDir: '/runs/top/compare', ran: false, error: 'the time ran out', guarded: [], avoided: [] } }), [
    'Guard proof: no comparison run outside DRD (the time ran out); risky lines not run stay warned about',
  ]);
});

t.test("SARIF: a variant's finding on its own trace, exploration and the guard proof in the run's properties", async (t) => {
  const sarif = JSON.parse(renderSarif(explored(), [], '/runs')) as {
    runs: {
      results: { properties: Record<string, unknown>; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      properties: Record<string, unknown>;
    }[];
  };
  const run = sarif.runs[0];
  t.match(run?.results[0]?.properties, { variant: { id: 1, when: WHEN, runDir: '/runs/top/variants/1' } });
  t.equal(run?.results[0]?.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri, 'top/variants/1/trace.txt');
  t.match(run?.properties, {
    exploration: {
      explore: 4,
      variants: [
        { id: 1, verdict: 'unsafe' },
        { id: 2, ran: false, error: 'run-phase failed' },
      ],
    },
    comparison: { ran: true, guarded: [{ line: 6 }], avoided: [{ rule: 'illegal-restart' }] },
  });
});
