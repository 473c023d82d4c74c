"""The session: one message a line on stdin, one reply a line on stdout
(harness/contract/session-protocol.ts). `prepare` lays the booted tree out;
`boot` boots the booted system; `apply` changes a tree (stand-ins too, in
the booted tree); `run-booted` runs a script of the software installed
before the session on the booted system, untraced; `clone` takes the
daemons as they are, clones the booted system and takes the first tree
hash; `phase` runs one control script traced on the
clone (runphase.run.run_phase) into its own run directory, with the witness
lines of that phase alone; `finish` keeps the image's SD files and ends the
booted system. A failed message is answered {"ok": false, "error": ...};
the harness then stops the session."""
import json
import os
import shutil
import subprocess
import time

from runphase import booted as booted_system
from runphase import daemons as daemon_table
from runphase import ipc, kernel, system, trees
from runphase.errors import HarnessFailure
from runphase.jail import XTRACE_MARKER, JailPlan, ps4_for
from runphase.layout import BOOTED, INACTIVE, JAIL_PATH, OUT_DIR, WITNESS, Outputs
from runphase.outcome import ms
from runphase.request import check_request
from runphase.run import run_phase
from runphase.treehash import hash_tree
from runphase.witness import WITNESS_FD

from . import standins, treeops

# What a phase's reply carries of the script's output, for swagent.log.
MAX_REPLY_OUTPUT = 64 * 1024
BASELINE_LOG = OUT_DIR + "/baseline.log"
# Stand-in daemons a configure script starts may take a moment to write their pid files.
STANDIN_WAIT_S = 3.0


class Session:
    def __init__(self):
        self.req = None
        self.booted = None
        self.system = None
        self.standins = []
        self.ready = []
        self.oom_protected = kernel.set_oom("self", -1000)

    # ---------------------------------------------------------------- prepare

    def prepare(self, msg):
        self.req = check_request({"phase": "preinstall", "shared": msg["shared"], "bootedArchive": msg["bootedArchive"],
                                  "treeBytes": msg.get("treeBytes", 256 * 1024 * 1024), "untraced": True}, "prepare")
        os.makedirs(OUT_DIR, exist_ok=True)
        system.prepare(self.req)
        return {}

    # ---------------------------------------------------------------- apply

    def apply(self, msg):
        root = {"booted": BOOTED, "inactive": INACTIVE}[msg["tree"]]
        results = []
        plain = []
        for op in msg["ops"]:
            if op["op"] != "stand-in":
                plain.append(op)
                continue
            if root != BOOTED or self.system is not None:
                raise HarnessFailure("a stand-in goes into the booted tree before the clone")
            results += treeops.apply_all(root, plain)
            plain = []
            n = len(self.standins)
            done = standins.install(op, n, treeops.beneath(BOOTED, op["path"]))
            if done == "done":
                self.standins.append({**op, "n": n})
            results.append(done)
        results += treeops.apply_all(root, plain)
        return {"results": results}

    # ---------------------------------------------------------------- boot, run-booted, clone

    def boot(self, msg):
        t0 = time.monotonic()
        self.booted = booted_system.start()
        self.ready = self.booted.wait_booted()
        return {"daemons": [{"name": d["name"], "pid": d["nsPid"]} for d in self.ready], "setupMs": ms(time.monotonic() - t0)}

    def run_booted(self, msg):
        """One control script on the booted system, untraced, as swinstall on / runs it: chrooted on the
        booted tree inside its PID namespace, holding the witness log so the daemons it starts write to it."""
        if self.booted is None or self.system is not None:
            raise HarnessFailure("run-booted between boot and clone only")
        env = {**msg["env"], "PATH": JAIL_PATH, "HOME": "/"}
        witness = os.open(WITNESS, os.O_WRONLY | os.O_APPEND)
        out = OUT_DIR + "/baseline.out"
        try:
            if witness != WITNESS_FD:
                os.dup2(witness, WITNESS_FD)
            argv = ["nsenter", "--target", str(self.booted.init_pid), "--pid", "--", "chroot", BOOTED, "/sbin/sh",
                    msg["path"]]
            with open(out, "wb") as log:
                p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd="/",
                                     pass_fds=(WITNESS_FD,), start_new_session=True)
                try:
                    code = p.wait(timeout=msg["timeoutSeconds"])
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                    code = None
        finally:
            if witness != WITNESS_FD:
                os.close(WITNESS_FD)
            os.close(witness)
        output = read_output(out)
        with open(BASELINE_LOG, "a") as log:
            log.write(f"* {msg['label']}: {'killed at its time limit' if code is None else f'exit {code}'}\n{output}")
        os.unlink(out)
        return {"exitCode": code, "output": output}

    def standin_daemons(self):
        """The stand-ins the booted system started, as daemons of the run."""
        specs = [daemon_table.DaemonSpec(s["name"], [], s["pidFile"], None) for s in self.standins]
        deadline = time.monotonic() + STANDIN_WAIT_S
        while True:
            nsmap = self.booted.ns_pid_map()
            bound = daemon_table.listening() | ipc.endpoints()
            found = [d for d in (daemon_table.ready_state(s, nsmap, bound)[0] for s in specs) if d is not None]
            if len(found) == len(specs) or time.monotonic() > deadline:
                return found
            time.sleep(0.01)

    def clone(self, msg):
        if self.booted is None:
            raise HarnessFailure("clone before boot")
        t0 = time.monotonic()
        notes = []
        # The daemons as they are now: a script installed before the session may have stopped or restarted one.
        nsmap = self.booted.ns_pid_map()
        bound = daemon_table.listening() | ipc.endpoints()
        daemons = [d for d in (daemon_table.ready_state(s, nsmap, bound)[0] for s in daemon_table.DAEMONS) if d is not None]
        for d in self.ready:
            if d["name"] not in {x["name"] for x in daemons}:
                notes.append(f"{d['name']} of the booted system is not running any more: a script of the software "
                             "installed before the session stopped it (baseline.log)")
        product = self.standin_daemons()
        running = {d["name"] for d in product}
        for s in self.standins:
            if s["name"] not in running:
                notes.append(f"the stand-in for {s['name']} ({s['path']}) is not running: nothing on the booted "
                             f"system started it, or it wrote no {s['pidFile']}")
        t1 = time.monotonic()
        trees.clone()
        standins.restore(self.standins)
        self.booted.mount_proc(BOOTED + "/proc", INACTIVE + "/proc")
        shared = trees.bind_shared(self.req["shared"])
        t_cloned = time.monotonic()
        tree_hash = hash_tree(BOOTED)
        t_hashed = time.monotonic()
        setup = {"bootMs": ms(t1 - t0), "cloneMs": ms(t_cloned - t1), "hashMs": ms(t_hashed - t_cloned),
                 "bootedFiles": len(tree_hash)}
        self.system = system.System(self.booted, daemons + product, shared, tree_hash, setup)
        return {"daemons": [{"name": d["name"], "pid": d["nsPid"], **({"standIn": True} if d["name"] in running else {})}
                            for d in self.system.daemons],
                "notes": notes, "setupMs": ms(time.monotonic() - t0)}

    # ---------------------------------------------------------------- phase

    def phase(self, msg):
        if self.system is None:
            raise HarnessFailure("phase before boot")
        t0 = time.monotonic()
        out_dir = os.path.normpath(OUT_DIR + "/" + msg["dir"])
        if not out_dir.startswith(OUT_DIR + "/"):
            raise HarnessFailure(f"phase dir {msg['dir']!r} is outside {OUT_DIR}")
        os.makedirs(out_dir, exist_ok=True)
        outputs = Outputs(out_dir)
        script = msg["script"]
        control_dir = os.path.dirname(script) + "/"
        req = check_request({
            "phase": msg["phase"], "controlDirectory": control_dir,
            "softwareSpec": msg["env"].get("SW_SOFTWARE_SPEC", ""),
            "timeoutSeconds": msg["timeoutSeconds"], "traceSyscalls": msg["traceSyscalls"],
            "traceAll": msg["traceAll"], "stringLimit": msg["stringLimit"], "shared": self.req["shared"],
            "maxTraceBytes": msg["maxTraceBytes"], "untraced": msg["untraced"], "treeBytes": self.req["treeBytes"],
        }, msg["dir"])
        if not os.path.isfile(INACTIVE + script):
            raise HarnessFailure(f"no control script at {script} in the inactive image")
        env = {**msg["env"], "PATH": JAIL_PATH, "HOME": "/", "PS4": ps4_for(script)[0]}
        plan = JailPlan(INACTIVE, script, env.get("SW_SESSION_OPTIONS", control_dir + "session_options"), env)
        start = os.path.getsize(WITNESS)
        result = run_phase(req, self.system, plan, outputs, t0, self.oom_protected)
        # This phase's witness lines alone: the booted system writes one log for the session.
        with open(WITNESS, "rb") as f:
            f.seek(start)
            with open(out_dir + "/witness.jsonl", "wb") as w:
                w.write(f.read())
        return {
            "exitCode": result["exitCode"], "signal": result["signal"], "finished": result["finished"],
            "limitHit": result["limitHit"], "phaseWallMs": result["phaseWallMs"],
            "stdout": read_output(outputs.stdout), "stderr": read_output(outputs.stderr, drop_xtrace=True),
        }

    # ---------------------------------------------------------------- finish

    def finish(self, msg):
        for path in msg["keep"]:
            src = treeops.beneath(INACTIVE, path, follow_last=False)
            dest = OUT_DIR + "/inactive" + path
            if os.path.isdir(src) and not os.path.islink(src):
                shutil.copytree(src, dest, symlinks=True, dirs_exist_ok=True)
        self.stop()
        return {}

    def stop(self):
        if self.booted is not None:
            self.booted.stop()
            self.booted = None


def read_output(path, drop_xtrace=False):
    """What the script wrote there (at most MAX_REPLY_OUTPUT bytes), without the shell's xtrace lines."""
    try:
        with open(path, "rb") as f:
            text = f.read(MAX_REPLY_OUTPUT).decode("utf-8", "replace")
    except OSError:
        return ""
    if drop_xtrace:
        text = "\n".join(l for l in text.split("\n") if not l.startswith(XTRACE_MARKER))
    return text


def main(stdin, stdout):
    kernel.become_subreaper()
    session = Session()
    handlers = {"prepare": session.prepare, "apply": session.apply, "boot": session.boot, "run-booted": session.run_booted,
                "clone": session.clone, "phase": session.phase, "finish": session.finish}
    try:
        for line in stdin:
            if not line.strip():
                continue
            try:
                msg = json.loads(line)
                reply = {"ok": True, **handlers[msg["op"]](msg)}
            except (HarnessFailure, treeops.TreeOpError, OSError, KeyError, ValueError) as e:
                reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            stdout.write(json.dumps(reply) + "\n")
            stdout.flush()
            if reply.get("ok") and msg.get("op") == "finish":
                break
    finally:
        session.stop()
    return 0
