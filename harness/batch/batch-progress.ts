/**
 * What a batch shows while it runs. On a terminal (and not `CI=true`): one
 * line redrawn in place, a bar with done/total, the runs under way, the
 * time so far and an estimate of the time left, with a line above it for
 * each run that ends. Elsewhere (a pipe, a CI log): plain lines, one as a
 * run starts, is retried and ends, which read well in a log.
 */
import type { Writable } from 'node:stream';
import type { BatchEvent, TaskResult } from './run-batch.js';

export interface ProgressOptions {
  readonly total: number;
  /** Redraw in place. See `wantsLiveProgress`. */
  readonly live: boolean;
  /** Terminal width. Default: 80. */
  readonly columns?: number;
  readonly now?: () => number;
  /** Redraws per second on a terminal (the clock moves between events). Default: 2. */
  readonly redrawPerSecond?: number;
}

export interface BatchProgress {
  onEvent(event: BatchEvent<TaskResult>): void;
  /** Clears the live line and stops the clock; idempotent. */
  stop(): void;
}

/** A live display only on a terminal, and not in CI (`CI=true`) or on a dumb terminal. */
export function wantsLiveProgress(isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTerminal && env.CI !== 'true' && env.CI !== '1' && env.TERM !== 'dumb';
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The time left, from the mean time per finished run so far and the runs in parallel; undefined before the first ends. */
export function estimateLeftMs(elapsedMs: number, done: number, total: number): number | undefined {
  if (done === 0) return undefined;
  return (elapsedMs / done) * (total - done);
}

/** The live line: bar, counts, what runs, elapsed and left; cut to `columns`. */
export function progressLine(state: { done: number; total: number; running: readonly string[]; elapsedMs: number }, columns: number): string {
  const width = 20;
  const filled = state.total === 0 ? width : Math.round((state.done / state.total) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const left = estimateLeftMs(state.elapsedMs, state.done, state.total);
  const times = `${clock(state.elapsedMs)} elapsed${left === undefined ? '' : `, ~${clock(left)} left`}`;
  const running = state.running.length === 0 ? '' : ` | running: ${state.running.join(', ')}`;
  const line = `[${bar}] ${state.done}/${state.total} | ${times}${running}`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 2)) + '~' : line;
}

export function createProgress(out: Writable, options: ProgressOptions): BatchProgress {
  const now = options.now ?? Date.now;
  const started = now();
  const running: string[] = [];
  let done = 0;
  let shown = false;
  const columns = options.columns ?? 80;
  const draw = (): void => {
    out.write(`\r\x1b[2K${progressLine({ done, total: options.total, running, elapsedMs: now() - started }, columns)}`);
    shown = true;
  };
  const clear = (): void => {
    if (shown) out.write('\r\x1b[2K');
    shown = false;
  };
  const timer = options.live ? setInterval(draw, 1000 / (options.redrawPerSecond ?? 2)) : undefined;
  timer?.unref();
  let stopped = false;
  const say = (line: string): void => {
    if (options.live) clear();
    out.write(line + '\n');
    if (options.live && !stopped) draw();
  };
  return {
    onEvent(event) {
      if (event.kind === 'start') {
        running.push(event.name);
        if (options.live) draw();
        else say(`batch: start ${event.name} (${event.engine}, cpu ${event.cpu})`);
      } else if (event.kind === 'retry') {
        running.splice(running.indexOf(event.name), 1);
        say(`batch: retry ${event.name} on another engine: ${event.engine} failed: ${event.error}`);
      } else {
        const i = running.indexOf(event.entry.name);
        if (i >= 0) running.splice(i, 1);
        if (event.entry.status === 'not-run') return;
        done++;
        const e = event.entry;
        const why = e.error ? `: ${e.error}` : e.note ? ` (${e.note})` : '';
        say(`batch: [${done}/${options.total}] ${e.name}: ${e.verdict}${why} in ${(e.ms / 1000).toFixed(1)} s`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      if (options.live) clear();
    },
  };
}
