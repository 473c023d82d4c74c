/**
 * Docker endpoints as users write them (`DOCKER_HOST` form): `unix:///path`,
 * `tcp://host:port` (TLS as the docker CLI decides it: `DOCKER_TLS_VERIFY=1`
 * or port 2376, certificates from `DOCKER_CERT_PATH` or `~/.docker`) and
 * `ssh://user@host[:port]`. Parsing is pure, so a bad `--engine` or
 * `DRDSAFE_ENGINES` fails before anything runs, saying which one and why.
 */
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';

export interface TlsFiles {
  /** The folder holding ca.pem, cert.pem and key.pem. */
  readonly certDir: string;
  /** Check the server's certificate against ca.pem. */
  readonly verify: boolean;
}

export type EngineEndpoint =
  | { readonly kind: 'unix'; readonly text: string; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly text: string; readonly host: string; readonly port: number; readonly tls?: TlsFiles }
  | { readonly kind: 'ssh'; readonly text: string; readonly host: string; readonly port: number; readonly username?: string }
  /** Whatever the environment says (DOCKER_HOST, else the local socket), as dockerode reads it. */
  | { readonly kind: 'environment'; readonly text: string };

const HINT = 'write an engine as unix:///var/run/docker.sock, tcp://HOST:2376 (TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH) or ssh://USER@HOST';

function bad(text: string, where: string, why: string): UserError {
  return new UserError('USAGE', `${where}: \`${text}\` is not a Docker endpoint: ${why}`, { hint: HINT });
}

/** Parses one endpoint; `where` names its source in errors (`--engine`, `DRDSAFE_ENGINES`). */
export function parseEngineEndpoint(text: string, env: NodeJS.ProcessEnv, where = '--engine'): EngineEndpoint {
  const trimmed = text.trim();
  const scheme = /^([a-z]+):\/\//.exec(trimmed)?.[1];
  if (scheme === undefined) return trimmed.startsWith('/') ? { kind: 'unix', text: trimmed, socketPath: trimmed } : failScheme(trimmed, where);
  if (scheme === 'unix') {
    const socketPath = trimmed.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw bad(trimmed, where, 'a unix socket needs an absolute path (unix:///path/to/docker.sock)');
    return { kind: 'unix', text: trimmed, socketPath };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw bad(trimmed, where, 'it does not parse as a URL');
  }
  if (url.hostname === '') throw bad(trimmed, where, 'no host');
  if (url.pathname !== '' && url.pathname !== '/') throw bad(trimmed, where, `a ${scheme} endpoint has no path (got ${url.pathname})`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (scheme === 'tcp') {
    if (url.port === '') throw bad(trimmed, where, 'a tcp endpoint needs a port (2375 plain, 2376 TLS)');
    const port = Number(url.port);
    const tls = env.DOCKER_TLS_VERIFY === '1' || port === 2376;
    const certDir = env.DOCKER_CERT_PATH ?? path.join(env.HOME ?? os.homedir(), '.docker');
    return { kind: 'tcp', text: trimmed, host, port, ...(tls ? { tls: { certDir, verify: env.DOCKER_TLS_VERIFY === '1' || port === 2376 } } : {}) };
  }
  if (scheme === 'ssh') {
    const port = url.port === '' ? 22 : Number(url.port);
    return { kind: 'ssh', text: trimmed, host, port, ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}) };
  }
  throw bad(trimmed, where, `unknown scheme \`${scheme}://\``);
}

function failScheme(text: string, where: string): never {
  throw bad(text, where, 'no scheme (unix://, tcp:// or ssh://)');
}

/**
 * The engines of a batch: `--engine` values when given, else
 * `DRDSAFE_ENGINES` (separated by commas or white space), else one engine
 * from the environment (DOCKER_HOST or the local socket).
 */
export function enginesFrom(flags: readonly string[] | undefined, env: NodeJS.ProcessEnv): EngineEndpoint[] {
  const [list, where] =
    flags !== undefined && flags.length > 0 ? [flags, '--engine'] : [(env.DRDSAFE_ENGINES ?? '').split(/[\s,]+/).filter((s) => s !== ''), 'DRDSAFE_ENGINES'];
  if (list.length === 0) return [{ kind: 'environment', text: env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' }];
  const endpoints = list.map((text) => parseEngineEndpoint(text, env, where));
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (seen.has(e.text))
      throw new UserError('USAGE', `${where}: \`${e.text}\` is given twice`, { hint: 'name each engine once; --jobs sets how many runs go in parallel' });
    seen.add(e.text);
  }
  return endpoints;
}
