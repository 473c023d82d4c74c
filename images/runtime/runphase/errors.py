"""The one failure run-phase reports: the harness itself failed (a bad
request, a booted system that does not come up, strace that does not start).
The entry point prints it as `run-phase: ...` on stderr and exits 1; what the
script did is never one of these."""


class HarnessFailure(Exception):
    pass
