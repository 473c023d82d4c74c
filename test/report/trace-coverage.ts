import t from 'tap';
import { loadPolicy } from '../../harness/policy/load-policy.js';
import { MODEL_REQUIRED_SYSCALLS, tracedSyscalls } from '../../harness/policy/traced-syscalls.js';
import { coverageGaps, tracedSetOf } from '../../harness/report/trace-coverage.js';

const policy = await loadPolicy([], { cwd: '/nonexistent' });
const full = [...new Set([...tracedSyscalls(policy), ...MODEL_REQUIRED_SYSCALLS])].sort().join(',');

t.test("strace's traced set, in each spelling of its option; none means every call", async (t) => {
  t.same([...(tracedSetOf(['strace', '-f', '--seccomp-bpf', '-e', 'trace=kill,openat', '-e', 'raw=write', '--', 'sh']) ?? [])], ['kill', 'openat']);
  t.same([...(tracedSetOf(['strace', '-etrace=kill']) ?? [])], ['kill']);
  t.same([...(tracedSetOf(['strace', '--expr=t=kill']) ?? [])], ['kill']);
  t.same([...(tracedSetOf(['strace', '--trace=kill,write']) ?? [])], ['kill', 'write']);
  t.equal(tracedSetOf(['strace', '-f', '-o', 'x', '--', 'sh', '-e', 'trace=kill']), undefined, "the traced command's own arguments are not strace's");
  t.equal(tracedSetOf(['strace', '-e', 'trace=%process']), undefined, "a class is strace's to expand: not judged");
  t.equal(tracedSetOf(['strace', '-f']), undefined);
});

t.test('a run traced for its policy is covered; one missing a call the policy or the model reads is a gap naming it', async (t) => {
  t.same(coverageGaps(['strace', '-e', `trace=${full}`], policy), []);
  t.same(coverageGaps(['strace', '-f'], policy), [], 'everything traced');
  t.same(coverageGaps(undefined, policy), [], 'an untraced run has no set to check');
  const without = full
    .split(',')
    .filter((s) => s !== 'setpriority' && s !== 'write')
    .join(',');
  const gaps = coverageGaps(['strace', '-e', `trace=${without}`], policy);
  t.equal(gaps.length, 1);
  t.equal(gaps[0]?.kind, 'untraced-syscalls');
  t.match(gaps[0]?.message, /also reads setpriority, write: run the script again/);
});
