#!/usr/bin/env python3
"""docs/json.md's rules for a --json output: json_rules.py FILE EXIT_STATUS
exits 0 when FILE keeps them, else prints the first one broken."""
import json, re, sys
path, rc = sys.argv[1], int(sys.argv[2])
d = json.load(open(path))
assert isinstance(d, dict), "not an object"
assert d.get("ok") is (rc == 0), ("ok must be exit status 0", d.get("ok"), rc)
HEX = re.compile(r"^0x[0-9a-f]+$")
# Names that hold an address, a size or a status: hex strings (or null).
def hexname(k):
    return (k in ("base", "size", "offset", "status", "leaf", "fatal_code", "attributes", "xfam")
            or k.endswith("_size") or k.endswith("_base"))
# Integers are counts, indexes, codes and versions, by name.
INTS = {"errno", "hkid", "seamcalls", "tdmr_init_calls", "warnings", "lockdep",
        "live_allocations", "entries", "user_returns", "exit_code", "audit_diffs",
        "pamt_node", "type", "subtype", "version"}
COUNTERS = {"exits", "tdvmcalls"}          # objects whose values are counts
def walk(v, key, parent):
    if isinstance(v, dict):
        for k, x in v.items():
            assert not re.search(r"_(kb|mb|bytes)$", k), ("a size in another unit", k)
            assert k not in ("valid", "success", "td_ready", "initialized"), ("another success word", k)
            walk(x, k, key)
    elif isinstance(v, list):
        for x in v:
            walk(x, key, parent)
    elif isinstance(v, bool) or v is None:
        pass
    elif isinstance(v, int):
        assert key in INTS or parent in COUNTERS, ("an integer that is not a count", key, v)
    elif isinstance(v, float):
        assert key.endswith("_ms"), ("a real that is not a time", key)
    if hexname(key) and not isinstance(v, (dict, list)) and v is not None:
        assert isinstance(v, str) and HEX.match(v), ("not a hex string", key, v)
walk(d, "", "")
