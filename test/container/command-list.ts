/**
 * images/hpux-commands.yaml, the list of HP-UX command paths control scripts
 * call, says what the built image has at each: a stand-in (a hard link of
 * the multi-call program), a copied command, or nothing. Checked against the
 * booted tree of a real image, and against images/standins/names: every
 * stand-in path is listed.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { dockerSkipReason } from '../fixtures/engine/docker-skip-reason.js';
import { IMAGES_DIR } from '../fixtures/sandbox/test-image.js';
import { TestSession } from '../fixtures/sandbox/test-session.js';

interface Entry {
  path: string;
  sandbox?: string;
  source: string;
  note?: string;
}

const list = parse(await readFile(path.join(IMAGES_DIR, 'hpux-commands.yaml'), 'utf8')) as { commands: Entry[]; absent: Entry[] };
const names = (await readFile(path.join(IMAGES_DIR, 'standins', 'names'), 'utf8'))
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

t.test('every entry is well formed, once, with a source', async (t) => {
  const seen = new Set<string>();
  for (const e of [...list.commands, ...list.absent]) {
    t.match(e.path, /^\/\S+$/, `${e.path}: an absolute path`);
    t.notOk(seen.has(e.path), `${e.path}: listed once`);
    seen.add(e.path);
    t.ok(e.source === '[inferred]' || /^https?:\/\//.test(e.source) || /^DRD-Safe Concepts/.test(e.source), `${e.path}: a source`);
  }
  for (const e of list.commands) t.ok(['standin', 'copied', 'missing'].includes(e.sandbox ?? ''), `${e.path}: sandbox ${e.sandbox}`);
  const standins = new Set(list.commands.filter((e) => e.sandbox === 'standin').map((e) => e.path));
  t.same(
    names.filter((n) => !standins.has(n)),
    [],
    'every stand-in path of images/standins/names is listed as a stand-in',
  );
  t.same(
    [...standins].filter((p) => !names.includes(p)),
    [],
    'and every listed stand-in is installed',
  );
});

const skip = await dockerSkipReason();

t.test('the image has what the list says at each path', { skip }, async (t) => {
  const s = await TestSession.start();
  t.teardown(() => s.stop());
  // One line per path: its kind (standin / copied / none) as the booted tree has it.
  const paths = [...list.commands, ...list.absent].map((e) => e.path);
  const r = await s.sh(`cd /opt/drdsafe/booted || exit 1
    ref=$(stat -c %i sbin/init)
    for p in ${paths.map((p) => `'${p}'`).join(' ')}; do
      f=.$p
      if [ ! -e "$f" ]; then echo "$p none"
      elif [ "$(stat -L -c %i "$f")" = "$ref" ]; then echo "$p standin"
      elif [ -f "$f" ] && [ -x "$f" ]; then echo "$p copied"
      else echo "$p other"; fi
    done`);
  t.equal(r.exitCode, 0, r.stderr);
  const found = new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  for (const e of list.commands) t.equal(found.get(e.path), e.sandbox === 'missing' ? 'none' : e.sandbox, `${e.path}: ${e.sandbox}`);
  for (const e of list.absent) t.equal(found.get(e.path), 'none', `${e.path}: absent on 11i v3, absent here`);
});
