import t from 'tap';
import { decoratedRemote, familyOf, parseSockaddr, socketDecoration, splitHostPort, typeOf } from '../../harness/model/socket-address.js';
import { fdArg, structField } from '../../harness/model/trace-args.js';
import { recordedCall } from '../fixtures/model/run-model.js';

t.test('sockaddr structs of recorded calls', async (t) => {
  const shared = await recordedCall('sockets', 'connect', /fixtured\.sock/);
  t.same(parseSockaddr(shared.args[1]), { family: 'unix', path: '/var/opt/shared/fixtured.sock', pathTruncated: false });

  const abstract = await recordedCall('sockets', 'connect', /sun_path=@/);
  t.same(parseSockaddr(abstract.args[1]), { family: 'unix', path: '@drdsafe-fixtured', pathTruncated: false });

  const tcp = await recordedCall('sockets', 'connect', /AF_INET/);
  t.same(parseSockaddr(tcp.args[1]), { family: 'inet', address: '127.0.0.1', port: 2121 });

  const udp = await recordedCall('sockets', 'sendto', /AF_INET/);
  t.same(parseSockaddr(udp.args[4]), { family: 'inet', address: '127.0.0.1', port: 69 });

  const sendmsg = await recordedCall('sockets', 'sendmsg');
  t.same(parseSockaddr(structField(sendmsg.args[1], 'msg_name')), { family: 'unix', path: '/dev/log', pathTruncated: false });

  const long = await recordedCall('truncated', 'sendto');
  t.match(parseSockaddr(long.args[4]), { family: 'unix', path: /a-socket-path-longer-than-the-string-limit$/ }, 'paths are not cut at -s');
});

t.test('other spellings of addresses', async (t) => {
  t.same(
    parseSockaddr({
      t: 'struct',
      truncated: false,
      fields: [
        ['sa_family', { t: 'other', text: 'AF_UNIX', name: 'AF_UNIX' }],
        ['sun_path', { t: 'other', text: '@"vxconfigd"' }],
      ],
    }),
    {
      family: 'unix',
      path: '@vxconfigd',
      pathTruncated: false,
    },
  );
  const inet6 = parseSockaddr({
    t: 'struct',
    truncated: false,
    fields: [
      ['sa_family', { t: 'other', text: 'AF_INET6', name: 'AF_INET6' }],
      ['sin6_port', { t: 'other', text: 'htons(2121)', name: 'htons', callArgs: [{ t: 'num', value: 2121, text: '2121' }] }],
      [
        '#2',
        {
          t: 'other',
          text: 'inet_pton(AF_INET6, "::1", &sin6_addr)',
          name: 'inet_pton',
          callArgs: [
            { t: 'other', text: 'AF_INET6' },
            { t: 'str', value: '::1', truncated: false },
            { t: 'other', text: '&sin6_addr' },
          ],
        },
      ],
    ],
  });
  t.same(inet6, { family: 'inet6', address: '::1', port: 2121 });
  t.same(parseSockaddr({ t: 'struct', truncated: false, fields: [['nl_family', { t: 'other', text: 'AF_NETLINK', name: 'AF_NETLINK' }]] }), {
    family: 'netlink',
  });
  t.equal(parseSockaddr({ t: 'null' }), undefined);
});

t.test('what -yy decorations say about a socket', async (t) => {
  const stream = socketDecoration(fdArg((await recordedCall('sockets', 'connect', /fixtured\.sock/)).args[0]));
  t.equal(familyOf(stream), 'unix');
  t.equal(typeOf(stream), 'stream');
  const dgram = socketDecoration(fdArg((await recordedCall('sockets', 'sendto', /AF_UNIX/)).args[0]));
  t.equal(familyOf(dgram), 'unix');
  t.equal(typeOf(dgram), undefined, 'an unbound datagram socket shows as plain UNIX');
  const udp = socketDecoration(fdArg((await recordedCall('sockets', 'sendto', /AF_INET/)).args[0]));
  t.equal(familyOf(udp), 'inet');
  t.equal(typeOf(udp), 'dgram');
  const listening = socketDecoration(fdArg((await recordedCall('sockets', 'listen')).args[0]));
  t.equal(listening?.path, '/tmp/own.sock', 'a listening socket shows its bound path');
  t.same(splitHostPort('[::1]:2121'), { address: '::1', port: 2121 });
  t.equal(splitHostPort('nonsense'), undefined);
  t.same(decoratedRemote({ protocol: 'TCP', protocolText: 'TCP', text: '', remote: '127.0.0.1:2121', local: '127.0.0.1:40000' }), {
    address: '127.0.0.1',
    port: 2121,
  });
});
