/**
 * The process/path model stage: parsed trace events in, normalised model
 * events and gaps out.
 */
export { ProcessModel } from './process-model.js';
export type { ModelSummary, LeftoverProcess } from './model-summary.js';
export { classifyPath, PathClassifier, isUnder } from './classify-path.js';
export { resolveFrom } from './resolve-path.js';
export { signalNumber, signalName } from './signal-number.js';
export type {
  EventClass,
  EventInterest,
  FsOp,
  ModelEvent,
  ModelGap,
  PathTarget,
  ProcessChangeKind,
  ProcessInfo,
  ProcessOrigin,
  ScriptLocation,
  SignalTarget,
  SocketEndpoint,
  SocketFamily,
  SocketOp,
  TargetAll,
  TargetGroup,
  TargetProcess,
} from './model-event.js';
export type { BootedDaemon, ControlScript, Phase, RunMetadata, SharedMount, Tree, TreeLayout } from '../contract/run-metadata.js';
export { DEFAULT_XTRACE_MARKER, PHASES } from '../contract/run-metadata.js';
