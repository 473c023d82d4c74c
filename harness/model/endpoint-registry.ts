/**
 * Who serves a socket endpoint: a booted daemon (from the run's metadata), a
 * runcmd process that bound it earlier in the trace, or nobody we know.
 */
import type { ProcessOrigin, SocketEndpoint } from './model-event.js';
import type { PathClassifier } from './classify-path.js';
import type { BootedDaemon, TreeLayout } from '../contract/run-metadata.js';
import { splitHostPort } from './socket-address.js';
import { trimSlash } from './classify-path.js';

type Served = Pick<SocketEndpoint, 'servedBy' | 'server'>;

/** Connected sockets remembered for sends without an address; oldest forgotten first. */
const MAX_CONNECTED = 4096;
/** Endpoints bound inside runcmd that are remembered (a bind loop must not grow memory without end). */
const MAX_BOUND = 65536;

/** An endpoint reduced to what identifies it. `realPath` is already mapped from a shared mount to the booted tree. */
export interface EndpointKey {
  readonly family: SocketEndpoint['family'];
  readonly type?: string;
  readonly path?: string;
  readonly realPath?: string;
  readonly address?: string;
  readonly port?: number;
}

export class EndpointRegistry {
  private readonly daemonKeys = new Map<string, string>();
  private readonly bound = new Map<string, { readonly origin: ProcessOrigin; readonly server?: string }>();
  private readonly connected = new Map<number, SocketEndpoint>();

  constructor(
    layout: TreeLayout,
    daemons: readonly BootedDaemon[],
    private readonly classifier: PathClassifier,
  ) {
    const booted = trimSlash(layout.booted);
    for (const d of daemons) {
      for (const spec of d.endpoints) {
        const key = daemonKey(spec, booted);
        if (key !== undefined && !this.daemonKeys.has(key)) this.daemonKeys.set(key, d.name);
      }
    }
  }

  servedBy(e: EndpointKey, ok: boolean, errno: string | undefined): Served {
    for (const key of keysOf(e)) {
      const b = this.bound.get(key);
      if (b !== undefined) return { servedBy: b.origin, ...(b.server !== undefined ? { server: b.server } : {}) };
    }
    for (const key of keysOf(e)) {
      const name = this.daemonKeys.get(key);
      if (name !== undefined) return { servedBy: 'booted', server: name };
    }
    // A path socket living in the booted tree belongs to the booted system, listed or not.
    if (e.realPath !== undefined && this.classifier.classify(e.realPath) === 'booted') return { servedBy: 'booted' };
    if (!ok && (errno === 'ECONNREFUSED' || errno === 'ENOENT')) return { servedBy: 'none' };
    return { servedBy: 'unknown' };
  }

  /** A successful bind: later connects to the same endpoint are served by `origin`. */
  recordBind(e: EndpointKey, origin: ProcessOrigin, server: string | undefined): void {
    for (const key of bindKeys(e)) {
      if (this.bound.size >= MAX_BOUND && !this.bound.has(key)) {
        const oldest = this.bound.keys().next();
        if (!oldest.done) this.bound.delete(oldest.value);
      }
      this.bound.set(key, { origin, ...(server !== undefined ? { server } : {}) });
    }
  }

  recordConnect(inode: number | undefined, endpoint: SocketEndpoint): void {
    if (inode === undefined) return;
    if (this.connected.size >= MAX_CONNECTED) {
      const oldest = this.connected.keys().next();
      if (!oldest.done) this.connected.delete(oldest.value);
    }
    this.connected.set(inode, endpoint);
  }

  connectedEndpoint(inode: number | undefined): SocketEndpoint | undefined {
    return inode === undefined ? undefined : this.connected.get(inode);
  }
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '*';
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === 'localhost';
}

/** Keys a connect or send looks up, most specific first. */
function keysOf(e: EndpointKey): string[] {
  return endpointKeys(e, true);
}

/** Keys a bind registers: a wildcard address serves every address, a specific one only itself. */
function bindKeys(e: EndpointKey): string[] {
  return endpointKeys(e, false);
}

function endpointKeys(e: EndpointKey, lookup: boolean): string[] {
  if (e.family === 'unix') {
    if (e.path?.startsWith('@')) return [`a:${e.path}`];
    return e.realPath !== undefined ? [`u:${e.realPath}`] : [];
  }
  if ((e.family !== 'inet' && e.family !== 'inet6') || e.port === undefined) return [];
  const protos = e.type === 'stream' ? ['tcp'] : e.type === 'dgram' ? ['udp'] : ['tcp', 'udp'];
  const keys: string[] = [];
  for (const proto of protos) {
    const address = e.address;
    if (address === undefined || isWildcard(address)) {
      keys.push(`${proto}:*:${e.port}`);
      continue;
    }
    keys.push(`${proto}:${address}:${e.port}`);
    if (isLoopback(address)) keys.push(`${proto}:loopback:${e.port}`);
    if (lookup) keys.push(`${proto}:*:${e.port}`);
  }
  return keys;
}

/** `unix:/dev/log` (a path in the booted tree), `unix:@vxconfigd`, `tcp:127.0.0.1:2121`, `udp:127.0.0.1:69`. */
function daemonKey(spec: string, booted: string): string | undefined {
  const colon = spec.indexOf(':');
  if (colon < 0) return undefined;
  const proto = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (proto === 'unix') {
    if (rest.startsWith('@')) return `a:${rest}`;
    return `u:${booted === '/' ? rest : booted + rest}`;
  }
  if (proto !== 'tcp' && proto !== 'udp') return undefined;
  const hp = splitHostPort(rest);
  if (hp === undefined) return undefined;
  if (isWildcard(hp.address)) return `${proto}:*:${hp.port}`;
  if (isLoopback(hp.address)) return `${proto}:loopback:${hp.port}`;
  return `${proto}:${hp.address}:${hp.port}`;
}
