"""request.json: what one run is asked to do, checked with every problem
reported at once, defaults filled in. Its one definition is RunRequest and
RUN_REQUEST_SCHEMA in harness/contract/run-request.ts; the defaults here are
held to that contract's by test/runtime/contract.ts. `check_request` is pure."""
import json
import os

from . import variant
from .errors import HarnessFailure

DEFAULT_CONTROL_DIRECTORY = "/var/adm/sw/products/DRDSAFE-TEST/payload/"
DEFAULT_SOFTWARE_SPEC = "DRDSAFE-TEST.payload,r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/"


def _name_ok(s):
    return s != "" and "/" not in s and s not in (".", "..")


def _abs_ok(s):
    return s.startswith("/") and ".." not in s.split("/")


def check_request(req, where):
    """The request with its defaults, or HarnessFailure naming every problem
    (`where`: the file, for the message)."""
    if not isinstance(req, dict):
        raise HarnessFailure(f"{where}: expected a JSON object")
    problems = []

    def want(key, kind, default=None, check=None, what=None):
        v = req.get(key, default)
        if v is None and default is None:
            problems.append(f"{key}: required")
            return None
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            problems.append(f"{key}: expected {what or kind.__name__}, got {json.dumps(v)}")
            return default
        if check and not check(v):
            problems.append(f"{key}: expected {what}, got {json.dumps(v)}")
            return default
        return v

    r = {
        "phase": want("phase", str, check=lambda s: s.replace("_", "").isalnum(), what="a control script tag"),
        "scriptName": want("scriptName", str, "script", _name_ok, "a file name in /drdsafe/in"),
        "controlDirectory": want("controlDirectory", str, DEFAULT_CONTROL_DIRECTORY, _abs_ok, "an absolute path"),
        "softwareSpec": want("softwareSpec", str, DEFAULT_SOFTWARE_SPEC),
        "timeoutSeconds": want("timeoutSeconds", (int, float), 60, lambda v: v > 0, "a positive number"),
        "traceSyscalls": want("traceSyscalls", list, [], lambda v: all(isinstance(s, str) and s for s in v),
                              "a list of syscall names"),
        "traceAll": want("traceAll", bool, False),
        "stringLimit": want("stringLimit", int, 4096, lambda v: v > 0, "a positive integer"),
        "shared": want("shared", list, [], lambda v: all(isinstance(s, str) and _abs_ok(s) and s != "/" for s in v),
                       "a list of absolute paths"),
        "maxTraceBytes": want("maxTraceBytes", int, 256 * 1024 * 1024, lambda v: v > 0, "a positive integer"),
        "bootedArchive": want("bootedArchive", bool, False),
        "untraced": want("untraced", bool, False),
        "interactive": want("interactive", bool, False),
        "maxOutputBytes": want("maxOutputBytes", int, 64 * 1024 * 1024, lambda v: v > 0, "a positive integer"),
        "treeBytes": want("treeBytes", int, 256 * 1024 * 1024, lambda v: v >= 16 * 1024 * 1024, "at least 16 MiB"),
        "outsideDrd": want("outsideDrd", bool, False),
        "variant": req.get("variant"),
    }
    if r["variant"] is not None:
        problems += variant.check(r["variant"])
    if not problems and not r["traceAll"] and not r["untraced"] and not r["traceSyscalls"]:
        problems.append("traceSyscalls: must not be empty unless traceAll or untraced")
    if problems:
        raise HarnessFailure(f"invalid request {where}:\n  " + "\n  ".join(problems))
    if not r["controlDirectory"].endswith("/"):
        r["controlDirectory"] += "/"
    r["shared"] = [os.path.normpath(s) for s in r["shared"]]
    return r


def load_request(path):
    try:
        with open(path) as f:
            req = json.load(f)
    except (OSError, ValueError) as e:
        raise HarnessFailure(f"cannot read the request {path}: {e}")
    return check_request(req, path)
