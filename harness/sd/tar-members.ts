/**
 * The members of a tar archive, read front to back once, as SD reads a tape.
 * Each member's bytes are read only when asked for; the rest stream past.
 * tar-stream 3 does the parsing (already a dependency, see the sandbox).
 */
import { createReadStream } from 'node:fs';
import tar from 'tar-stream';

export interface TarMember {
  /** Normalised: no leading `./` or `/`, no trailing `/`. */
  readonly name: string;
  /** A regular file (tar `file` or `contiguous-file`). */
  readonly regular: boolean;
  readonly size: number;
  /** The member's bytes; call at most once, before asking for the next member. */
  read(): Promise<Buffer>;
}

export async function* tarMembers(archive: string): AsyncGenerator<TarMember> {
  const extract = tar.extract();
  const input = createReadStream(archive);
  input.on('error', (error: Error) => extract.destroy(error));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      let consumed = false;
      const { header } = entry;
      yield {
        name: memberName(header.name),
        regular: header.type === 'file' || header.type === 'contiguous-file',
        size: header.size,
        read: async () => {
          consumed = true;
          const chunks: Buffer[] = [];
          for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
          return Buffer.concat(chunks);
        },
      };
      if (!consumed) entry.resume();
    }
  } finally {
    input.destroy();
  }
}

/** `./catalog/INDEX` and `/catalog/INDEX` name `catalog/INDEX`; directories lose their trailing `/`. */
export function memberName(raw: string): string {
  return raw
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}
