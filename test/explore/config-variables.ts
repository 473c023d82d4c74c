import t from 'tap';
import { parseScript } from '../../harness/coverage/parse-script.js';
import { configVariables } from '../../harness/explore/config-variables.js';

t.test('the variables a script tests and does not set, with what they are compared to', async (t) => {
  const outline = parseScript(`#!/sbin/sh
. /etc/rc.config.d/acmeagt
PID=$(cat /var/run/acmeagt.pid)
if [ "$ACMEAGT_START" = 1 ]; then
  [[ $ACME_MODE == cluster ]] && echo cluster
  [ -n "$PID" ] && kill $PID
fi
[ "\${ACME_LEVEL}" -eq 3 ] && echo three
test -z "$ACME_HOME" || echo home
[ "$SW_SESSION_IS_DRD" = 1 ] && exit 0
[ "$PATH" != "" ]
exit 0
`);
  t.same(
    configVariables(outline),
    [
      { name: 'ACMEAGT_START', value: '1' },
      { name: 'ACME_MODE', value: 'cluster' },
      { name: 'ACME_LEVEL', value: '3' },
      { name: 'ACME_HOME', value: '1' },
    ],
    "PID is the script's own, SW_* and PATH come from the environment",
  );
  t.same(configVariables(undefined), [], 'no parse, no variables');
});
