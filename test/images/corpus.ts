/**
 * Every seed example through run-phase in a real container, with the ground
 * truth the booted system gives: the unsafe ones reach a booted daemon (the
 * witness log has the signal or request, the daemon died, or the booted tree
 * changed) or leave a process behind; the safe ones leave the booted system
 * exactly as it was.
 */
import t from 'tap';
import { syscallsIn } from '../fixtures/trace/collect.js';
import type { Test } from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCase } from '../../harness/corpus/load-corpus.js';
import type { RunOutput, WitnessLine } from '../fixtures/images/docker-cli.js';
import {
  dockerSkipReason, reactions, removeContainer, request, runPhase, SEED_CORPUS, startContainer, testImage,
} from '../fixtures/images/docker-cli.js';

const skip = await dockerSkipReason();

const examples = skip ? [] : (await readdir(SEED_CORPUS)).filter((d) => /^s\d+/.test(d)).sort();

/** What each unsafe example must do to the booted system, checked on the ground truth. */
const UNSAFE: Record<string, (t: Test, out: RunOutput, sender: (w: WitnessLine) => boolean) => void> = {
  's01-kill-9-pid': (t, out) => {
    const comsec = out.result.daemons.find((d) => d.name === 'comsec')!;
    t.equal(comsec.aliveAfter, false, 'comsec was killed');
    t.ok(out.witness.some((w) => w.daemon === 'init' && w.event === 'reap' && w.childPid === comsec.nsPid && w.signal === 'SIGKILL'),
      'init reaped comsec, killed by SIGKILL');
  },
  's02-init-script-start': (t, out) => {
    t.ok(out.result.leftovers.some((l) => l.argv[0] === '/usr/sbin/comsec'), 'a second comsec was left running from the inactive tree');
    t.ok(out.result.daemons.every((d) => d.aliveAfter), 'the booted daemons still run');
  },
  's03-vxdctl-stop': (t, out, sender) => {
    const req = out.witness.find((w) => w.daemon === 'vxconfigd' && w.event === 'request');
    t.equal(req?.data, 'stop', 'vxconfigd got the stop request');
    t.equal(req?.endpoint, 'unix:@vxconfigd');
    t.ok(req && sender({ ...req, senderPid: req.peerPid } as WitnessLine), 'from a jail process');
    t.equal(out.result.daemons.find((d) => d.name === 'vxconfigd')?.aliveAfter, false, 'and stopped');
    t.same(out.diff.deleted, ['/var/run/vxconfigd.pid'], 'removing its pid file from the booted tree');
  },
  's04-init-q': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'init' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGHUP', 'the booted init got SIGHUP');
    t.ok(sig && sender(sig), 'from a jail process');
    t.ok(out.witness.some((w) => w.daemon === 'init' && w.event === 'reconfigure'), 'and re-read inittab');
  },
  's05-inetd-c': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'inetd' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGHUP', 'the booted inetd got SIGHUP');
    t.ok(sig && sender(sig), 'from a jail process');
    t.ok(out.witness.some((w) => w.daemon === 'inetd' && w.event === 'reconfigure'), 'and reconfigured');
  },
  's10-unconfigure-comsec-stop': (t, out, sender) => {
    const sig = out.witness.find((w) => w.daemon === 'comsec' && w.event === 'signal');
    t.equal(sig?.signal, 'SIGTERM', 'the booted comsec got SIGTERM');
    t.ok(sig && sender(sig), 'from a jail process');
    t.equal(out.result.daemons.find((d) => d.name === 'comsec')?.aliveAfter, false, 'and stopped');
    t.same(out.diff.deleted, ['/var/run/comsec.pid']);
  },
  's11-unconfigure-setup-tftp': (t, out, sender) => {
    const req = out.witness.find((w) => w.daemon === 'tftpd' && w.event === 'request');
    t.equal(req?.data, 'remove /opt/ignite/boot', 'tftpd got the request to drop the directory');
    t.equal(req?.endpoint, 'udp:127.0.0.1:69');
    t.ok(req && sender({ ...req, senderPid: req.peerPid } as WitnessLine), 'from a jail process');
  },
};

t.test('seed corpus', { skip }, async (t) => {
  const image = await testImage();
  const id = await startContainer(image);
  t.teardown(() => removeContainer(id));
  t.ok(examples.length >= 13, `the corpus is there (${examples.length} examples)`);

  for (const name of examples) {
    await t.test(name, async (t) => {
      const dir = path.join(SEED_CORPUS, name);
      const expect = await loadCase(dir);
      const script = await readFile(path.join(dir, 'script'), 'utf8');
      const out = await runPhase(id, script, request(expect.phase));
      t.equal(out.exitCode, 0, `run-phase completed: ${out.stderr}`);
      t.equal(out.result.finished, true, 'the script finished before any limit');
      t.equal(out.result.limitHit, null);
      t.equal(out.result.scriptJailPath, `/var/adm/sw/products/DRDSAFE-TEST/payload/${expect.phase}`);
      t.equal(out.result.daemons.length, 7, 'seven booted daemons were running');
      t.ok(out.result.daemons.every((d) => d.aliveBefore), 'all alive when the script started');
      t.equal(out.result.init.aliveAfter, true, 'the booted init survives whatever the script does');
      // Read with the parser: strace may split the chroot into `<unfinished ...>` and `<... chroot resumed>`.
      const chroots = syscallsIn(out.trace, 'chroot').filter((e) => e.argsText === '"/images/inactive"' && e.ret.value === 0);
      t.equal(chroots.length, 1, 'the script ran in the chroot on the inactive tree');
      // PS4 writes the script's own path as @: it is most of every xtrace line.
      t.equal(out.result.xtraceScriptAlias, '@', 'xtrace writes the script as @ (result.json says so)');
      t.match(out.scriptStderr, /^\+drdsafe\[@:\d+\] /m, 'xtrace lines name the script line');
      const first = out.trace.split(' ', 1)[0];
      t.match(out.trace, new RegExp(`^${first} +[\\d.]+ \\+\\+\\+ exited with ${out.result.exitCode} \\+\\+\\+$`, 'm'),
        "the trace has the script's exit status, which strace and nsenter pass on");
      t.equal(out.result.strace?.exitCode, out.result.exitCode, 'strace ended by itself, as the script did');
      t.notMatch(out.scriptStderr, /^strace: /m, 'strace reported no trouble');

      // The booted namespace holds init, the seven daemons and the jail: any other sender is the jail.
      const bootedPids = new Set([1, ...out.result.daemons.map((d) => d.nsPid)]);
      const fromJail = (w: WitnessLine): boolean => typeof w.senderPid === 'number' && w.senderPid > 0 && !bootedPids.has(w.senderPid);

      if (expect.verdict === 'safe') {
        t.same(reactions(out.witness), [], 'no booted daemon got a signal or a request');
        t.same(out.diff, { added: [], modified: [], deleted: [] }, 'the booted tree is unchanged');
        t.ok(out.result.daemons.every((d) => d.aliveAfter), 'every booted daemon is alive');
        t.same(out.result.leftovers, [], 'nothing was left running');
      } else {
        const check = UNSAFE[name];
        t.ok(check, `a ground-truth check exists for ${name}`);
        check?.(t, out, fromJail);
      }
      if (name === 's12-checkremove-exclude') t.equal(out.result.exitCode, 3, 'checkremove returned EXCLUDE');
      else t.equal(out.result.exitCode, 0);
      if (name === 's08-lvlnboot') t.match(out.scriptStdout, /Boot Definitions for Volume Group \/dev\/vg01/);
      if (name === 's13-kill-named-procs') t.notMatch(out.trace, /kill\(\d+/, 'kill_named_procs killed nothing');
    });
  }
});
