/** Host processes: the only modules that import execa and node-pty. */
export { runProcess, type ProcessResult, type RunProcessOptions } from './run-process.js';
export { streamProcess, type StreamingProcess } from './stream-process.js';
export { runInPty, type PtyAnswer, type PtyOptions, type PtyResult } from './run-in-pty.js';
export { commandLine } from './process-error.js';
