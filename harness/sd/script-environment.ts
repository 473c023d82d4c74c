/**
 * The environment SD gives a control script, as a pure function of the
 * package, the step (product, fileset, tag) and the session (docs/sd-formats.md
 * "Script environment", with sources). Inside `drd runcmd` the session runs
 * chrooted on the inactive image, so SW_ROOT_DIRECTORY is `/` and every path
 * here is a path inside that image; SW_SESSION_IS_DRD=1 marks the runcmd
 * environment (DRD-Safe Concepts 1.1). PATH, HOME and the shell's own
 * variables are the runner's business.
 */
import type { Fileset, Product } from './package.js';
import type { ScriptStep, SessionPlan } from './session-plan.js';
import type { SelectedFileset } from './software-selection.js';

/** SW_CATALOG: the Installed Products Database, relative to SW_ROOT_DIRECTORY (sd(5) `installed_software_catalog`). */
export const SW_CATALOG = 'var/adm/sw/products';
/** SW_PATH as sd(5) gives it. */
export const SW_PATH = '/sbin:/usr/bin';

export interface ScriptEnvironmentInput {
  readonly plan: SessionPlan;
  readonly step: ScriptStep;
  /** Filesets still selected when the script runs (`SessionRun.selected()`). Default: `plan.selected`. */
  readonly selected?: readonly SelectedFileset[];
  /** Path (in the image) of the session options file. Default: `session_options` in the control directory. */
  readonly sessionOptionsPath?: string;
  /** The session is the back end of a cold install (never under drd runcmd). Default: `false`. */
  readonly coldInstall?: boolean;
}

/** `SW_CONTROL_DIRECTORY` of a product's (`pfiles`) or fileset's scripts, with the trailing slash SD gives it. */
export function controlDirectory(product: Product, fileset?: Fileset): string {
  return `/${SW_CATALOG}/${product.controlDirectory}/${fileset === undefined ? 'pfiles' : fileset.controlDirectory}/`;
}

/** `SW_SOFTWARE_SPEC`: fully qualified, with `r=`, `a=`, `v=` even when empty, and `l=` (SD Administration Guide 11i p384). */
export function softwareSpec(product: Product, fileset?: Fileset): string {
  const tags = fileset === undefined ? product.tag : `${product.tag}.${fileset.tag}`;
  return `${tags},r=${product.revision ?? ''},a=${product.architecture ?? ''},v=${product.vendorTag ?? ''},l=${product.directory}`;
}

export function scriptEnvironment(input: ScriptEnvironmentInput): Record<string, string> {
  const { plan, step } = input;
  const { product, fileset } = step;
  const dir = controlDirectory(product, fileset);
  const selected = input.selected ?? plan.selected;
  const atBoot = step.group === 'boot';
  const env: Record<string, string> = {
    LANG: 'C',
    SW_ROOT_DIRECTORY: '/',
    SW_PATH,
    SW_CATALOG,
    SW_CONTROL_DIRECTORY: dir,
    SW_CONTROL_TAG: step.tag,
    SW_LOCATION: product.directory,
    SW_SOFTWARE_SPEC: softwareSpec(product, fileset),
    SW_SESSION_OPTIONS: input.sessionOptionsPath ?? `${dir}session_options`,
  };
  if (plan.runcmd && !atBoot) env['SW_SESSION_IS_DRD'] = '1';
  const installs = plan.operation === 'install' || plan.operation === 'upgrade';
  if (installs) {
    env['SW_KERNEL_PATH'] = '/stand/vmunix';
    env['SW_SYSTEM_FILE_PATH'] = '/stand/system';
  }
  if ((installs || plan.operation === 'remove') && selected.some((s) => s.fileset.isKernel || s.fileset.isReboot)) {
    // A kernel build (and with it a reboot) is scheduled for the session; the two are always equal (sd(5)).
    env['SW_SESSION_IS_KERNEL'] = 'TRUE';
    env['SW_SESSION_IS_REBOOT'] = 'TRUE';
  }
  if (installs && input.coldInstall === true) env['SW_INITIAL_INSTALL'] = '1';
  if (atBoot) env['SW_CONFIG_AFTER_REBOOT'] = '1';
  if (plan.operation === 'verify') env['SW_IS_COMPATIBLE'] = 'true';
  return env;
}

/**
 * The file SW_SESSION_OPTIONS names: every option of the command, one
 * `option=value` a line, with the software selection and the one target
 * (sd(5); swinstall(1M) 2011-09 p19). Values are SD's defaults for the
 * options control scripts read most.
 */
export function sessionOptions(plan: SessionPlan, selected: readonly SelectedFileset[] = plan.selected): string {
  const lines = [
    'admin_directory=/var/adm/sw',
    `autoreboot=false`,
    'autorecover_product=false',
    'autoselect_dependencies=true',
    'enforce_dependencies=true',
    'enforce_scripts=true',
    'installed_software_catalog=products',
    `logfile=/var/adm/sw/${plan.operation === 'remove' ? 'swremove' : plan.operation === 'verify' ? 'swverify' : 'swinstall'}.log`,
    'loglevel=1',
    'run_scripts=true',
    ...(plan.operation === 'verify' ? ['fix=false'] : []),
    'targets=/',
    `software=${selected.map((s) => softwareSpec(s.product, s.fileset)).join(' ')}`,
  ];
  return lines.join('\n') + '\n';
}
