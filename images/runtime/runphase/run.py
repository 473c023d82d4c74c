"""One run, start to finish: the entry point's `main`. Reads the request,
shields run-phase from the OOM killer, prepares and boots the booted system,
brings it up with its clone, runs the one phase the request asks for, and
writes result.json; the booted system (its whole PID namespace) goes in the
end, whatever happened.

`run_phase` is one phase on a system that is up: the shape SD package
sessions repeat on one clone (a JailPlan and Outputs of its own per control
script, a payload loaded into the clone between them)."""
import os
import time

from . import booted as booted_system
from . import groundtruth, jail, kernel, phase, system
from .errors import HarnessFailure
from .layout import BOOTED, OUT_DIR, Outputs
from .outcome import ms
from .procs import start_time
from .request import load_request
from .result import build_result, write_result


def process_start():
    """When this process started (interpreter start-up included), on the monotonic clock."""
    ticks = start_time("self")
    if ticks is None:
        return time.monotonic()
    elapsed = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    return time.monotonic() - max(0.0, elapsed)


def run_phase(req, up, plan, outputs, t_setup0, oom_protected):
    """Steps 4 to 6 on a system that is up: the ground truth before, the
    script in the jail, the ground truth after, result.json."""
    daemons, ipc_before = groundtruth.before(up)
    t_script0 = time.monotonic()
    outcome, t_end = phase.run_script(req, up.booted, plan, outputs)
    collect, init_alive = groundtruth.after(up, daemons, outputs, t_end)
    result = build_result(req, plan, outcome, up, daemons, ipc_before=ipc_before, init_alive=init_alive,
                          setup_ms=ms(t_script0 - t_setup0), collect=collect, collect_ms=ms(time.monotonic() - t_end),
                          oom_protected=oom_protected)
    write_result(outputs.result, result)
    return result


def main(argv):
    """run-phase REQUEST: 0 when the run completed, whatever the script did."""
    if len(argv) != 2:
        raise HarnessFailure("usage: run-phase /drdsafe/in/request.json")
    t_setup0 = process_start()
    req = load_request(argv[1])
    kernel.become_subreaper()
    oom_protected = kernel.set_oom("self", -1000)
    os.makedirs(OUT_DIR, exist_ok=True)
    system.prepare(req)
    booted = booted_system.start()
    try:
        if req["outsideDrd"]:
            # The comparison run: the script on the booted system itself, installed before the tree's hash.
            plans = []
            up = system.bring_up(req, booted, before_hash=lambda: plans.append(jail.install(req, root=BOOTED)))
            plan = plans[0]
        else:
            up = system.bring_up(req, booted)
            plan = jail.install(req)
        run_phase(req, up, plan, Outputs(), t_setup0, oom_protected)
        return 0
    finally:
        booted.stop()
