import { ProcessModel } from './harness/model/index.js';
import { parseTraceFile } from './harness/trace/index.js';
import { SANDBOX_RUN } from './bench/full-pipeline.js';
import { compilePolicy, loadPolicy } from './harness/policy/index.js';
const policy = compilePolicy(await loadPolicy());
const file = process.argv[2]!;
const m = new ProcessModel(SANDBOX_RUN, { event(){}, gap(){} }, { interest: policy.interest });
let n = 0;
await parseTraceFile(file, { event(e) { m.event(e); if (++n % 200000 === 0) { const a = m as any; console.log(n, 'table', a.ctx.table.size, 'count', a.ctx.table.count, 'exited', a.exited.size, 'held', a.held.waiting, 'superseded', a.superseded.size, 'heapMB', (process.memoryUsage().heapUsed/1e6).toFixed(0)); } }, issue(i) { m.issue(i); } }, { syscalls: m.syscalls });
