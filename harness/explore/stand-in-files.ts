/**
 * The files a variant puts in the booted tree (so its clone has them too):
 * a stand-in init script acting on a daemon, a stand-in program, a
 * configuration file turning a feature on. Each says in its first lines
 * what it is, so a reviewer reading the variant's run directory or the
 * script's output knows it is exploration's, not the product's.
 */

/** Where a stand-in daemon's program is linked in the booted tree (the stand-in multi-call program, run as `<name>`). */
export function standInDaemonProgram(name: string): string {
  return `/usr/lbin/drdsafe/${name}`;
}

/** The environment variable that makes the stand-in program a daemon of any name, writing its pid there (images/standins/daemon.c). */
export const STANDIN_PIDFILE_VARIABLE = 'DRDSAFE_STANDIN_PIDFILE';

/**
 * An HP-UX style init script (as images/booted/sbin/init.d/*) for a stand-in
 * daemon: `start` runs it from the current root, `stop` kills the pid in its
 * pid file, `restart` does both.
 */
export function standInInitScript(path: string, daemon: string, pidFile: string): string {
  const program = standInDaemonProgram(daemon);
  return `#!/sbin/sh
#
# ${path}: a stand-in drdsafe's branch exploration installed: the init
# script of ${daemon}, which this system did not have. It acts on the
# stand-in daemon ${daemon}, which runs in the booted system.
#
# start: runs ${program} from the current root; it writes ${pidFile}.
# stop:  kills the pid in ${pidFile}.
#
PATH=/sbin:/usr/sbin:/usr/bin
export PATH

PIDFILE=${pidFile}
rval=0

case $1 in
start_msg)
	echo "Start ${daemon}"
	;;

stop_msg)
	echo "Stop ${daemon}"
	;;

start)
	if ${STANDIN_PIDFILE_VARIABLE}=$PIDFILE ${program}; then
		echo "${daemon} started"
	else
		echo "ERROR: ${daemon} failed to start"
		rval=1
	fi
	;;

stop)
	if [ -r $PIDFILE ]; then
		pid=$(cat $PIDFILE)
		if kill $pid; then
			echo "${daemon} stopped"
		else
			rval=1
		fi
	else
		echo "${daemon} is not running"
	fi
	;;

restart)
	$0 stop
	$0 start
	rval=$?
	;;

*)
	echo "usage: $0 {start|stop|restart|start_msg|stop_msg}"
	rval=1
	;;
esac

exit $rval
`;
}

/** An init script at another path for a daemon the booted system runs: it hands over to that daemon's own. */
export function delegatingInitScript(path: string, daemon: string): string {
  return `#!/sbin/sh
# ${path}: a stand-in drdsafe's branch exploration installed: it hands
# every request to /sbin/init.d/${daemon}, the booted system's own script.
exec /sbin/init.d/${daemon} "$@"
`;
}

/** A program the script looks for and the system lacks: it exits 0, and the trace records the arguments it was given. */
export function standInProgram(path: string): string {
  return `#!/sbin/sh
# ${path}: a stand-in drdsafe's branch exploration installed for a program
# this system did not have. It does nothing and exits 0; the trace records
# the arguments it was run with. What the real program does is unknown.
exit 0
`;
}

/** A configuration file setting the variables the script tests, to what turns its feature on. */
export function configFile(path: string, variables: readonly { readonly name: string; readonly value: string }[]): string {
  const lines = [
    `# ${path}: created by drdsafe's branch exploration, which found no such`,
    '# file: it sets the variables the script tests to what turns the feature on.',
  ];
  for (const v of variables) lines.push(`${v.name}=${/^[A-Za-z0-9_.+-]*$/.test(v.value) ? v.value : `'${v.value.replace(/'/g, "'\\''")}'`}`);
  return lines.join('\n') + '\n';
}

/** Any other file the script asked about: not empty (`[ -s F ]`), and harmless when sourced or read. */
export function plainFile(path: string): string {
  return `# ${path}: created by drdsafe's branch exploration, which found no such file.\n`;
}
