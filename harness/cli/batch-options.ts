/**
 * The options every batch command takes (`run` with several targets,
 * `corpus`): `--jobs N` and `--engine ENDPOINT`, repeatable, with their
 * help text, parsed once here.
 */
import { UserError } from '../errors.js';
import { enginesFrom } from '../engine/engine-endpoint.js';
import type { EngineEndpoint } from '../engine/engine-endpoint.js';

export const BATCH_OPTIONS = {
  jobs: { type: 'string', short: 'j' },
  engine: { type: 'string', multiple: true },
} as const;

export const BATCH_USAGE = '[--jobs N] [--engine ENDPOINT]...';

export const BATCH_HELP = `  --jobs N          runs at once, each in its own sandbox pinned to its own CPU. Default: one
                    per CPU of every engine's machine (engines on one machine share its CPUs)
  --engine ENDPOINT a Docker engine to run on, as DOCKER_HOST writes it: unix:///path,
                    tcp://HOST:PORT (TLS with DOCKER_TLS_VERIFY=1 or port 2376, certificates
                    from DOCKER_CERT_PATH), ssh://USER@HOST; repeat it to spread the runs over
                    several (DRDSAFE_ENGINES="a b" does the same). A run whose engine fails is
                    tried once more on another. Default: DOCKER_HOST, else the local socket
`;

export interface BatchFlags {
  readonly engines: readonly EngineEndpoint[];
  readonly jobs?: number;
}

export function parseBatchFlags(
  values: { readonly jobs?: string | undefined; readonly engine?: readonly string[] | undefined },
  env: NodeJS.ProcessEnv,
): BatchFlags {
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UserError('USAGE', `Expected \`--jobs\` to be a whole number from 1, got \`${values.jobs}\``);
  }
  return { engines: enginesFrom(values.engine, env), ...(jobs !== undefined ? { jobs } : {}) };
}
