/**
 * The control script tags SD knows (swpackage(4) "Control Script
 * Specification"; sd(4) control_file `tag`). A control file with any other tag
 * is a subscript or data file: stored beside the scripts, never run by SD.
 */
export const CONTROL_SCRIPT_TAGS = [
  'checkinstall',
  'preinstall',
  'postinstall',
  'configure',
  'unconfigure',
  'checkremove',
  'preremove',
  'postremove',
  'verify',
  'fix',
  'unpreinstall',
  'unpostinstall',
  'request',
] as const;
export type ControlScriptTag = (typeof CONTROL_SCRIPT_TAGS)[number];

/** Tags SD stores as control files but never executes as a phase (`space` is read by the disk-space analysis). */
export const DATA_CONTROL_TAGS = ['space'] as const;

export function isControlScriptTag(tag: string): tag is ControlScriptTag {
  return (CONTROL_SCRIPT_TAGS as readonly string[]).includes(tag);
}
