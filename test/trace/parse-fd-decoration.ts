import t from 'tap';
import { parseFdDecoration } from '../../harness/trace/parse-fd-decoration.js';

/** Decoration of the text between the outer `<` and `>` of `<...>`. */
const deco = (inside: string, deleted = false) => parseFdDecoration(inside, 0, inside.length, deleted);

t.test('paths are unescaped; -yy device numbers are split off', async (t) => {
  t.same(deco('/etc/ld.so.cache'), { kind: 'path', path: '/etc/ld.so.cache' });
  t.same(deco(String.raw`/tmp/st/we\76ird\nname`), { kind: 'path', path: '/tmp/st/we>ird\nname' });
  t.same(deco('/dev/null<char 1:3>'), { kind: 'path', path: '/dev/null', device: 'char 1:3' });
  t.same(deco('/tmp/st/del.txt', true), { kind: 'path', path: '/tmp/st/del.txt', deleted: true });
  t.same(deco(String.raw`/tmp/wp/a\74b`), { kind: 'path', path: '/tmp/wp/a<b' });
});

t.test('unix sockets: inode, peer inode, bound or peer path, abstract names', async (t) => {
  t.match(deco('UNIX:[9354]'), { kind: 'socket', socket: { protocol: 'UNIX', protocolText: 'UNIX', inode: 9354, text: 'UNIX:[9354]' } });
  t.match(deco('UNIX-STREAM:[9346->9347]'), { kind: 'socket', socket: { protocol: 'UNIX-STREAM', inode: 9346, peerInode: 9347 } });
  t.match(deco('UNIX-STREAM:[9345,"/tmp/st/sock.s"]'), { socket: { inode: 9345, path: '/tmp/st/sock.s' } });
  t.match(deco('UNIX-STREAM:[9347->9346,"/tmp/st/sock.s"]'), { socket: { inode: 9347, peerInode: 9346, path: '/tmp/st/sock.s' } });
  t.match(deco('UNIX-STREAM:[9348,@"abstract-drd"]'), { socket: { inode: 9348, path: '@abstract-drd' } });
  // A quoted socket path holds raw `>` and escaped quotes (real output of names-socket.pl).
  t.match(deco(String.raw`UNIX-STREAM:[32332,"/tmp/st/wp/s>o\"c)k"]`), { socket: { inode: 32332, path: '/tmp/st/wp/s>o"c)k' } });
});

t.test('inet sockets: inode before bind, local, local->remote, IPv6 brackets', async (t) => {
  const tcp = deco('TCP:[9341]');
  t.match(tcp, { kind: 'socket', socket: { protocol: 'TCP', inode: 9341 } });
  t.notOk(tcp.kind === 'socket' && tcp.socket.local);
  t.match(deco('TCP:[127.0.0.1:51899]'), { socket: { protocol: 'TCP', local: '127.0.0.1:51899' } });
  t.match(deco('TCP:[127.0.0.1:44110->127.0.0.1:51899]'), { socket: { local: '127.0.0.1:44110', remote: '127.0.0.1:51899' } });
  t.match(deco('UDP:[127.0.0.1:35533->127.0.0.1:69]'), { socket: { protocol: 'UDP', remote: '127.0.0.1:69' } });
  t.match(deco('TCPv6:[[::1]:39577]'), { socket: { protocol: 'TCPv6', local: '[::1]:39577' } });
  t.match(deco('TCPv6:[[::1]:48356->[::1]:39577]'), { socket: { local: '[::1]:48356', remote: '[::1]:39577' } });
  t.match(deco('NETLINK:[9353]'), { socket: { protocol: 'NETLINK', inode: 9353 } });
  t.match(deco('NETLINK:[ROUTE:4468]'), { socket: { protocol: 'NETLINK', local: 'ROUTE:4468' } });
  t.match(deco('PACKET:[123]'), { socket: { protocol: 'OTHER', protocolText: 'PACKET', inode: 123 } });
});

t.test('pipes, anonymous inodes and pidfds stay text', async (t) => {
  t.same(deco('pipe:[123]'), { kind: 'other', text: 'pipe:[123]' });
  t.same(deco('anon_inode:[eventfd]'), { kind: 'other', text: 'anon_inode:[eventfd]' });
  t.same(deco('pid:17881'), { kind: 'other', text: 'pid:17881' });
  t.same(deco(''), { kind: 'none' });
});
