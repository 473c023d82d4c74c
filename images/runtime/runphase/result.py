"""result.json: what run-phase reports of one run. Its one definition is
RunResult and RUN_RESULT_SCHEMA in harness/contract/run-result.ts (and
images/README.md describes each field); the harness refuses a result.json
that does not match it. `build_result` is pure, and test/runtime/contract.ts
checks what it makes against that schema; every result.json a real
container writes in the image tests is read through the contract's checked
reader as well (test/fixtures/images/docker-cli.ts). Change the contract
first, then this."""
import json
import os

from .jail import XTRACE_MARKER
from .layout import BOOTED, INACTIVE, SANDBOX_PATHS

SCHEMA_VERSION = 1


def daemon_entry(d):
    """A daemon as result.json lists it (DaemonState): pids as strace saw them
    (it runs in the booted namespace), containerPid as run-phase did; the
    scheduling states only when they were read."""
    return {"name": d["name"], "pid": d["nsPid"], "nsPid": d["nsPid"], "containerPid": d["pid"],
            **{k: d[k] for k in ("endpoints", "aliveBefore", "aliveAfter")},
            **{k: d[k] for k in ("schedBefore", "schedAfter") if d[k] is not None}}


def build_result(req, plan, outcome, system, daemons, *, ipc_before, init_alive, setup_ms, collect, collect_ms,
                 oom_protected):
    """result.json of one phase: the request's, the jail plan's, the phase's
    outcome, the system's (trees, setup), the ground truth's."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "phase": req["phase"],
        "scriptJailPath": plan.script,
        "exitCode": outcome["exitCode"],
        "signal": outcome["signal"],
        "finished": outcome["finished"],
        "limitHit": outcome["limitHit"],
        "phaseWallMs": outcome["phaseWallMs"],
        "setupMs": setup_ms,
        "collectMs": collect_ms,
        "setup": system.setup,
        "collect": collect,
        "trees": {"booted": BOOTED, "inactive": INACTIVE, "shared": system.shared, "sandbox": SANDBOX_PATHS},
        "daemons": [daemon_entry(d) for d in daemons],
        "init": {"pid": 1, "nsPid": 1, "containerPid": system.booted.init_pid, "aliveAfter": init_alive},
        "leftovers": outcome["leftovers"],
        "killedAtLimit": outcome["killedAtLimit"],
        "strace": outcome["strace"],
        "untraced": req["untraced"],
        "interactive": req["interactive"],
        "command": outcome["argv"],
        "xtraceMarker": XTRACE_MARKER,
        "xtracePs4": plan.ps4,
        **({"xtraceScriptAlias": plan.script_alias} if plan.script_alias else {}),
        # strace ran in the booted namespace: the trace's pids are the jail's.
        "tracePidNamespace": "booted",
        **({"ipc": ipc_before} if ipc_before is not None else {}),
        "oomProtected": oom_protected,
        **({"outsideDrd": True} if req.get("outsideDrd") else {}),
    }


def write_result(path, result):
    """Written whole or not at all (a rename): the harness never reads half of one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.rename(tmp, path)
