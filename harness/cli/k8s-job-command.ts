/**
 * `drdsafe k8s-job <script> --phase TAG`: prints the Kubernetes ConfigMap
 * and Job that run the script as `drdsafe run` would, on a cluster
 * (k8s/job-manifest.ts, docs/scale.md). Runs nothing and needs no engine.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { PHASES } from '../contract/run-metadata.js';
import { buildRunRequest } from '../contract/run-request.js';
import { parsePhase } from '../app/run-script.js';
import { runId } from '../app/run-dir.js';
import { tracedSyscallsFor } from '../app/traced-syscalls-for.js';
import { imageHashes, sandboxImageRef } from '../image/image-inputs.js';
import { PROJECT_ROOT } from '../project-root.js';
import { jobManifest } from '../k8s/job-manifest.js';
import { parseOptions } from './parse-options.js';

const USAGE =
  'drdsafe k8s-job <script> --phase TAG [--registry PREFIX] [--namespace NS] [--results-claim PVC] [--policy FILE]... [--timeout S] [--shared PATH]...';

export const k8sJobCommand: Command = {
  name: 'k8s-job',
  summary: 'print a Kubernetes Job that runs a control script in the sandbox on a cluster',
  help: `Usage: ${USAGE}

Prints (on stdout, for \`kubectl apply -f -\`) a ConfigMap holding the run's
request and the script, and a Job whose pod runs the sandbox image's
run-phase on them with the settings the sandbox needs (SYS_ADMIN and
SYS_PTRACE, seccomp and AppArmor unconfined, memory-backed trees), then
copies the run directory to the results volume under the run's id. Collect
the run directories from that volume and judge them with \`drdsafe analyze
<run-dir>\` (docs/scale.md). Nothing runs here; no engine is needed.

Options:
  --phase TAG          the control script's tag: ${PHASES.join(', ')}
  --registry PREFIX    where the cluster pulls the sandbox image from, e.g. registry.example/team
                       (push it there first: docker tag + docker push). Default: none (the local name)
  --namespace NS       the Job's namespace. Default: drdsafe
  --results-claim PVC  the PersistentVolumeClaim the run directories go to. Default: drdsafe-results
  --policy FILE        policy files, whose syscalls are traced, as for \`drdsafe run\`
  --timeout S          seconds the script may run. Default: 60
  --shared PATH        a shared file system path, as for \`drdsafe run\`; repeatable
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        phase: { type: 'string' },
        registry: { type: 'string' },
        namespace: { type: 'string' },
        'results-claim': { type: 'string' },
        policy: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        shared: { type: 'string', multiple: true },
      },
      USAGE,
    );
    if (positionals.length !== 1)
      throw new UserError('USAGE', positionals.length === 0 ? 'no control script given' : `one script expected, got ${positionals.length}`, {
        hint: `usage: ${USAGE}`,
      });
    if (values.phase === undefined) throw new UserError('USAGE', 'no --phase given', { hint: `use --phase with one of: ${PHASES.join(', ')}` });
    const phase = parsePhase(values.phase);
    const file = path.resolve(io.cwd, positionals[0]!);
    if (!(await stat(file).catch(() => undefined))?.isFile())
      throw new UserError('INPUT_NOT_FOUND', `control script not found: ${positionals[0]}`, { hint: 'give the path of a control script file' });
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    const policyFiles = (values.policy ?? []).map((p) => path.resolve(io.cwd, p));
    const request = buildRunRequest({
      phase,
      traceSyscalls: await tracedSyscallsFor(policyFiles),
      ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
      ...(values.shared ? { shared: values.shared } : {}),
      bootedArchive: false,
    });
    const { sandbox } = await imageHashes(path.join(PROJECT_ROOT, 'images'), io.env);
    const local = sandboxImageRef(sandbox);
    io.stdout.write(
      jobManifest({
        runId: runId(file, phase, new Date()),
        image: values.registry ? `${values.registry.replace(/\/+$/, '')}/${local}` : local,
        request,
        script: await readFile(file),
        ...(values.namespace ? { namespace: values.namespace } : {}),
        ...(values['results-claim'] ? { resultsClaim: values['results-claim'] } : {}),
      }),
    );
    return 0;
  },
};
