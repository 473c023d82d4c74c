/**
 * Packages as SD knows them: readers for a control script, a folder of
 * scripts, a PSF, a directory depot and a tape depot, all returning one typed
 * `Package`; the session plan SD would run on it (install, remove, upgrade,
 * verify, in SD's order); the exit-code state machine that drives the plan;
 * and the environment each script sees. Pure TypeScript: no Docker here.
 */
export type {
  Attributes,
  ControlScript,
  Dependency,
  DependencyKind,
  Distribution,
  Fileset,
  InputKind,
  Package,
  PayloadData,
  PayloadEntry,
  PayloadType,
  Product,
  SoftwareSpec,
  SourceRef,
  Vendor,
  VersionQualifier,
} from './package.js';
export { filesetKey } from './package.js';
export { CONTROL_SCRIPT_TAGS, isControlScriptTag, type ControlScriptTag } from './control-tags.js';
export { SdInputError, formatProblem, type SdProblem } from './sd-input-error.js';
export { detectInput, type DetectedInput } from './detect-input.js';
export { readPackage, type ReadPackageOptions } from './read-package.js';
export { readPsf, type ReadPsfOptions } from './psf-reader.js';
export { readDirectoryDepot } from './directory-depot.js';
export { readTapeDepot } from './tape-depot.js';
export { readControlScript, readScriptDirectory, PAYLOAD_DIR, type ScriptInputOptions } from './script-inputs.js';
export { readPayloadData, readArchiveMembers } from './payload-data.js';
export { selectSoftware, type Selection, type SelectedFileset } from './software-selection.js';
export { drdSafety, type DrdSafety } from './drd-safety.js';
export {
  OPERATIONS,
  planSession,
  type Operation,
  type PayloadStep,
  type PlanOptions,
  type PlanStep,
  type PlannedStatus,
  type RefusedFileset,
  type ScriptStep,
  type SessionPlan,
  type StepGroup,
} from './session-plan.js';
export {
  SessionRun,
  interpretExitCode,
  type ExitMeaning,
  type ScriptResult,
  type SessionResult,
  type SessionStatus,
  type StepOutcome,
  type StepOutcomeKind,
} from './session-run.js';
export { SW_CATALOG, SW_PATH, controlDirectory, scriptEnvironment, sessionOptions, softwareSpec, type ScriptEnvironmentInput } from './script-environment.js';
