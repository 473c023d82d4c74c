/** `serve`: serving a socket (bind, listen). */
import { onSocket } from '../action-events.js';
import { readsOf, type EventClassDescriptor } from './event-class.js';
import { SOCKET_FIELDS } from './shared-fields.js';
import { formatEndpoint } from './target-text.js';

const SERVING = ['bind', 'listen'];

export const SERVE_CLASS: EventClassDescriptor<'serve'> = {
  name: 'serve',
  reads: readsOf(SERVING, (m, p, e) => onSocket(m.ctx, p, e)),
  traced: SERVING,
  fields: SOCKET_FIELDS,
  target: (e) => (e.socket === undefined ? undefined : formatEndpoint(e.socket.endpoint)),
  // A daemon serving an address another already serves (EADDRINUSE) shows in that daemon's witness.
  confirmedBy: 'witness',
};
