/** `socket`: a request to an endpoint (connect, sendto, sendmsg, sendmmsg). */
import { onSocket } from '../action-events.js';
import { SOCKET_SYSCALLS } from '../syscall-tables.js';
import { readsOf, type EventClassDescriptor } from './event-class.js';
import { SOCKET_FIELDS } from './shared-fields.js';
import { describeServer, formatEndpoint } from './target-text.js';

// sendmmsg: the resolver and some UDP clients batch datagrams.
const REQUESTS = [...SOCKET_SYSCALLS].filter((n) => n !== 'bind' && n !== 'listen');

export const SOCKET_CLASS: EventClassDescriptor<'socket'> = {
  name: 'socket',
  reads: readsOf(REQUESTS, (m, p, e) => onSocket(m.ctx, p, e)),
  traced: REQUESTS,
  fields: SOCKET_FIELDS,
  target: (e) => (e.socket === undefined ? undefined : `${formatEndpoint(e.socket.endpoint)} ${describeServer(e.socket.endpoint)}`),
  confirmedBy: 'witness',
};
