import t from 'tap';
import { cannotExecute, hasCommandLine, scriptTextProblem } from '../../harness/model/script-run.js';

t.test('a script the sandbox shell cannot run as written: a binary, or another interpreter', async (t) => {
  t.match(scriptTextProblem('\u007fELF\u0002\u0002\u0001\u0000\u0000\u0000'), /is a binary/);
  t.match(scriptTextProblem('#!/usr/bin/perl -w\nprint "x";\n'), /names #!\/usr\/bin\/perl -w on its #! line.*under \/usr\/bin\/perl/);
  t.match(scriptTextProblem('#!/bin/bash\necho x\n'), /under \/bin\/bash/, 'HP-UX ships no bash');
  t.match(scriptTextProblem('#! /usr/bin/env python3\n'), /under python3/, 'through env');
  for (const ok of ['#!/sbin/sh\nexit 0\n', '#!/usr/bin/sh\n', '#!/usr/bin/ksh\n', '#!/bin/sh -e\n', '#!/usr/bin/env ksh\n', 'exit 0\n', '', '# a comment\n']) {
    t.equal(scriptTextProblem(ok), undefined, JSON.stringify(ok));
  }
});

t.test('command lines: anything but blanks and comments', async (t) => {
  t.ok(hasCommandLine('#!/sbin/sh\n# comment\nexit 0\n'));
  t.ok(hasCommandLine('  :'));
  t.notOk(hasCommandLine('#!/sbin/sh\n\n   # only comments\n\t\n'));
  t.notOk(hasCommandLine(''));
});

t.test("ksh93's word that it cannot run a file", async (t) => {
  // As the sandbox's shell wrote it for a binary control script.
  const text = '/var/adm/sw/products/P/f/preinstall: /var/adm/sw/products/P/f/preinstall: cannot execute [Exec format error]\n';
  t.same(
    [...cannotExecute(text)],
    [
      {
        file: '/var/adm/sw/products/P/f/preinstall',
        reason: 'Exec format error',
        line: '/var/adm/sw/products/P/f/preinstall: cannot execute [Exec format error]',
      },
    ],
  );
  t.same(
    [...cannotExecute('sh[3]: /opt/x/bin/tool: cannot execute [Permission denied]\n')].map((c) => [c.file, c.reason]),
    [['/opt/x/bin/tool', 'Permission denied']],
  );
  t.same([...cannotExecute('+drdsafe[@:2] echo cannot execute\n')], []);
});
