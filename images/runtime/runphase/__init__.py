"""run-phase's code: one drdsafe run in the sandbox container, by concern.

The entry point is /opt/drdsafe/bin/run-phase (images/runtime/run-phase);
images/README.md describes what it reads, the steps and what it writes. The
harness's side of every file that crosses is harness/contract/.

  run          main: the request, then one run start to finish; run_phase:
               one phase on a system that is up
  request      request.json checked, defaults filled in
  system       steps 1-3: a clean slate, the booted tree, its daemons up,
               the clone, the shared file systems, the first tree hash
  trees        the two trees' tmpfs, template, booted.tar, /dev, the clone,
               shared bind mounts; what an earlier run left
  booted       the booted system: init as PID 1 of its own PID namespace,
               the wait for /sbin/rc and the daemons, /proc, its end
  daemons      the daemon table, readiness, liveness, scheduling state
  ipc          System V and POSIX IPC objects of the container
  witness      the witness log (fd 9), init's booted line, settle
  jail         JailPlan (the script installed, SD's environment, PS4);
               JailProcesses (finding and killing the jail's processes)
  phase        one control script run in the jail, start to end
  tracer       strace's options and the launcher's command; strace found,
               its messages, what a stuck strace holds
  watchdog     the limits (LIMITS) and the wait for the script's end
  terminal     the interactive run's pseudo-terminal
  outcome      how the phase went (exit code or signal, strace's record)
  groundtruth  the booted system before and after a phase; booted-diff.json
  treehash     the booted tree's content hash and diff
  result       result.json, held to harness/contract/run-result.ts
  layout       where things are in the container; Outputs: one phase's files
  procs        the container's processes as /proc shows them; signals;
               waits on run-phase's own children
  kernel       mount, prctl, OOM score, I/O priority (libc)
  errors       HarnessFailure: the harness itself failed (exit 1)

Where what comes next plugs in:
  branch exploration  system.prepare / trees.prepare_booted (variant files,
                      stand-in programs), the daemon specs given to
                      system.bring_up (extra stand-in daemons), jail.install
                      with root BOOTED and jail.jail_env without
                      SW_SESSION_IS_DRD (the comparison run)
  SD package sessions run.run_phase repeated on one System, each control
                      script with its own JailPlan, Outputs and environment
"""
