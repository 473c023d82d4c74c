import path from 'node:path';
import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { pruneImages } from '../image/prune-images.js';
import { PROJECT_ROOT } from '../project-root.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import { processLiveness, sweepStaleContainers } from '../engine/sweep.js';
import { parseOptions } from './parse-options.js';

const USAGE = 'drdsafe gc [--all] [--images]';

export const gcCommand: Command = {
  name: 'gc',
  summary: 'remove sandbox containers left by ended runs (and, with --images, outdated images)',
  help: `Usage: ${USAGE}

Every container drdsafe starts is labelled with its session and run. gc
removes those whose drdsafe process has ended (same machine) or whose time
is up; containers of runs still going are left alone. Each \`drdsafe run\`
does the same at its start.

Options:
  --all      remove every drdsafe container, including those of runs still going
             and those kept with \`run --keep\`
  --images   also remove drdsafe-sandbox and drdsafe-base images built from other
             inputs than the current images/ folder
  --debug    print stacks on errors
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { all: { type: 'boolean' }, images: { type: 'boolean' } }, USAGE);
    if (positionals.length > 0) throw new UserError('USAGE', `unexpected argument \`${positionals[0]}\``, { hint: `usage: ${USAGE}` });
    const client = new DockerContainerClient();
    await client.ping();
    const session = newSession();
    const swept = await sweepStaleContainers(client, {
      liveness: processLiveness(session.hostname),
      session,
      ...(values.all ? { all: true } : {}),
    });
    for (const r of swept.removed) io.stdout.write(`removed container ${r.id.slice(0, 12)} (${r.run ?? 'no run'}: ${r.reason})\n`);
    for (const f of swept.failed) io.stderr.write(`could not remove container ${f.id.slice(0, 12)}: ${String(f.error)}\n`);
    io.stdout.write(`gc: ${swept.removed.length} container(s) removed, ${swept.kept} in use\n`);
    if (values.images) {
      const pruned = await pruneImages(client, { imagesDir: path.join(PROJECT_ROOT, 'images'), env: io.env });
      for (const ref of pruned.removed) io.stdout.write(`removed image ${ref}\n`);
      io.stdout.write(`gc: ${pruned.removed.length} image(s) removed, ${pruned.kept.length} current\n`);
    }
    return swept.failed.length > 0 ? 3 : 0;
  },
};
