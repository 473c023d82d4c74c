import t from 'tap';
import { SilentLookups } from '../../harness/model/silent-lookup.js';

const at = (expanded: string) => ({ file: '/p/preinstall', line: 3, expanded });

t.test('the command a shell must look up in PATH: a bare name, no builtin, no function of the script', async (t) => {
  const lookups = new SilentLookups('#!/sbin/sh\nhelper() { :; }\nfunction kfn {\n  :\n}\nhelper\n');
  const name = (expanded: string) => lookups.candidate(at(expanded))?.name;
  t.equal(name('crontab -l'), 'crontab');
  t.equal(name("LANG=C X='' crontab -l"), 'crontab', 'after assignments');
  t.equal(name("x=''"), undefined, 'an assignment alone');
  t.equal(name('/usr/sbin/useradd -m a'), undefined, "a path is exec'd, and its miss is a call");
  for (const builtin of [
    'print x',
    'cd /tmp',
    'kill -9 1',
    'test -f x',
    '[ -f x ]',
    '[[ -f x ]]',
    '. /usr/lbin/sw/control_utils',
    'sleep 1',
    'exit 0',
    'eval crontab',
  ]) {
    t.equal(name(builtin), undefined, builtin);
  }
  t.equal(name('helper arg'), undefined, 'a POSIX function of the script');
  t.equal(name('kfn'), undefined, 'a ksh function of the script');
  t.equal(name("'quoted' x"), undefined, 'quoting left in the word: not judged');
  t.same(lookups.candidate(at('crontab -l'))?.location, at('crontab -l'));
  t.equal(new SilentLookups(undefined).candidate({ file: 'f', line: 1 }), undefined, 'no text traced');
});
