"""run-phase's code: one drdsafe run in the sandbox container, by concern.

The entry point is /opt/drdsafe/bin/run-phase (images/runtime/run-phase);
images/README.md describes what it reads, the steps and what it writes.

  errors    HarnessFailure: the harness itself failed (exit 1)
  layout    where things are in the container; Outputs: one phase's files
  kernel    mount, prctl, OOM score, I/O priority (libc)
  procs     the container's processes as /proc shows them; signals
"""
