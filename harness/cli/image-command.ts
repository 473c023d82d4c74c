import path from 'node:path';
import type { Command } from './command.js';
import { UserError } from '../errors.js';
import { ensureSandboxImage } from '../image/ensure-sandbox-image.js';
import { PROJECT_ROOT } from '../project-root.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import { parseOptions } from './parse-options.js';

const USAGE = 'drdsafe image build [--force]';

export const imageCommand: Command = {
  name: 'image',
  summary: 'build the sandbox image (done on first use by `run`)',
  help: `Usage: ${USAGE}

Builds drdsafe-sandbox:<hash>, where the hash covers every input under
images/ (Dockerfile, booted-tree template, runtime, stand-in sources, rootfs
recipe). An image with the same hash is reused. When the base image
drdsafe-base:<rootfs hash> is missing, images/rootfs/make-rootfs.sh makes a
Debian root file system with debootstrap (root, a few minutes) and imports it.
The stand-ins are compiled on this machine with make and a C compiler.
Progress goes to stderr; the image name is printed on stdout.

Options:
  --force   build again even when an image with the same inputs exists
  --debug   print stacks on errors

Uses the Docker engine named by DOCKER_HOST (and DOCKER_TLS_VERIFY,
DOCKER_CERT_PATH), else the local socket.
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { force: { type: 'boolean' } }, USAGE);
    if (positionals[0] !== 'build' || positionals.length !== 1) {
      throw new UserError('USAGE', positionals.length === 0 ? 'no image sub-command given' : `unknown image sub-command \`${positionals.join(' ')}\``, {
        hint: `usage: ${USAGE}`,
      });
    }
    const client = new DockerContainerClient();
    await client.ping();
    const image = await ensureSandboxImage(client, {
      imagesDir: path.join(PROJECT_ROOT, 'images'),
      session: newSession(),
      signal: io.signal,
      env: io.env,
      ...(values.force ? { force: true } : {}),
      log: (line) => void io.stderr.write(line + '\n'),
    });
    if (!image.built) io.stderr.write(`image: ${image.ref} is up to date\n`);
    io.stdout.write(`${image.ref}\n`);
    return 0;
  },
};
