import t from 'tap';
import { lexDefinitions } from '../../harness/sd/definition-lexer.js';
import { ProblemList } from '../../harness/sd/sd-input-error.js';

const lex = (text: string) => {
  const problems = new ProblemList();
  const lines = lexDefinitions(text, 'x.psf', problems);
  return { lines, problems: problems.problems };
};

t.test('keyword value lines, comments alone and after values', async (t) => {
  const { lines, problems } = lex(`# a comment
product
    tag   FOO     # trailing comment
    title Foo Widgets with spaces
    machine_type 9000/[78]??
`);
  t.same(problems, []);
  t.same(
    lines.map((l) => [l.keyword, l.value, l.line, l.col]),
    [
      ['product', '', 2, 1],
      ['tag', 'FOO', 3, 5],
      ['title', 'Foo Widgets with spaces', 4, 5],
      ['machine_type', '9000/[78]??', 5, 5],
    ],
  );
  t.same(
    lines[2]!.tokens.map((x) => [x.text, x.col]),
    [
      ['Foo', 11],
      ['Widgets', 15],
      ['with', 23],
      ['spaces', 28],
    ],
  );
});

t.test('a # inside a word is text, not a comment', async (t) => {
  const { lines } = lex('revision 1.0#beta\n');
  t.equal(lines[0]!.value, '1.0#beta');
});

t.test('quoted values span lines and resolve \\" \\# \\\\ escapes', async (t) => {
  const { lines, problems } = lex(`description "First line,
second \\"quoted\\" line \\# not a comment \\\\ done"   # comment
tag X
`);
  t.same(problems, []);
  t.equal(lines[0]!.value, 'First line,\nsecond "quoted" line # not a comment \\ done');
  t.ok(lines[0]!.quoted);
  t.equal(lines[1]!.keyword, 'tag');
  t.equal(lines[1]!.line, 3, 'line numbers continue after a multi-line value');
});

t.test('< file values, with and without a space', async (t) => {
  const { lines, problems } = lex('description < data/descr.hp\ncopyright <data/copyr.sd # c\n');
  t.same(problems, []);
  t.same(
    lines.map((l) => [l.fileRef?.text, l.fileRef?.col]),
    [
      ['data/descr.hp', 15],
      ['data/copyr.sd', 12],
    ],
  );
});

t.test('a trailing backslash continues an unquoted value (swbis sw(5) example)', async (t) => {
  const { lines } = lex('file -m 0755 -o root -g root /var/tmp/sw/build/bin/swpackage  \\\n             /usr/bin/swpackage\ntag Y\n');
  t.equal(lines.length, 2);
  t.same(lines[0]!.tokens.map((x) => x.text).slice(-2), ['/var/tmp/sw/build/bin/swpackage', '/usr/bin/swpackage']);
  t.same([lines[0]!.tokens.at(-1)!.line, lines[0]!.tokens.at(-1)!.col], [2, 14]);
});

t.test('malformed lines are problems with line and column, and lexing goes on', async (t) => {
  const { lines, problems } = lex(`tag A
title "never closed
tag B
`);
  t.equal(lines.length, 1);
  t.same(problems, [{ file: 'x.psf', line: 2, col: 7, message: 'unterminated quoted value: no closing `"`' }]);

  const more = lex('title "ok" trailing\n"orphan"\ndescription <\ntag C\n');
  t.same(
    more.problems.map((p) => [p.line, p.col]),
    [
      [1, 12],
      [2, 1],
      [3, 13],
    ],
  );
  t.equal(more.lines.at(-1)!.value, 'C');
});
