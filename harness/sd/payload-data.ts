/**
 * The bytes of payload files, wherever the package keeps them: a host file
 * (PSF sources, directory depots) or a member of a tape depot. A tape is read
 * front to back once for all the members asked for.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { PayloadData } from './package.js';
import { tarMembers } from './tar-members.js';

export async function readPayloadData(data: PayloadData): Promise<Buffer> {
  if (data.kind === 'file') return readFile(data.path);
  const found = await readArchiveMembers(data.archive, [data.member]);
  const bytes = found.get(data.member);
  if (bytes === undefined) throw new UserError('INPUT_INVALID', `${data.archive}: member ${data.member} is missing`);
  return bytes;
}

/** The named regular-file members of a tar archive (names as `memberName` normalises them). */
export async function readArchiveMembers(archive: string, members: Iterable<string>): Promise<Map<string, Buffer>> {
  const wanted = new Set(members);
  const out = new Map<string, Buffer>();
  for await (const member of tarMembers(archive)) {
    if (!member.regular || !wanted.has(member.name)) continue;
    out.set(member.name, await member.read());
    if (out.size === wanted.size) break;
  }
  return out;
}
