#!/usr/bin/env bash
# --json: one JSON object per line, with pid, tid, syscall, args, retval,
# errno, start and end (all present; retval and end are null for a call that
# never returned, such as exit_group); successful and failing calls are both
# right.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd python3

check_json() {
	python3 - "$@" <<'PY'
import json, sys

path, what = sys.argv[1], sys.argv[2]
keys = {"pid": int, "tid": int, "syscall": str, "args": list,
        "retval": (int, type(None)), "errno": (str, type(None)),
        "start": (int, float), "end": (int, float, type(None))}
calls = []
bad = []
with open(path) as f:
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError as e:
            bad.append("line %d is not JSON (%s): %s" % (n, e, line.rstrip()[:200]))
            continue
        if not isinstance(o, dict):
            bad.append("line %d is not an object: %s" % (n, line.rstrip()[:200]))
            continue
        if "syscall" not in o:
            # Another kind of event (exit, signal): it must say whose.
            if not isinstance(o.get("pid"), int):
                bad.append("line %d has neither syscall nor pid: %s" % (n, line.rstrip()[:200]))
            continue
        for k, t in keys.items():
            if k not in o:
                bad.append("line %d has no %r: %s" % (n, k, line.rstrip()[:200]))
            elif isinstance(o[k], bool) or not isinstance(o[k], t):
                bad.append("line %d: %r has the wrong type: %s" % (n, k, line.rstrip()[:200]))
        if all(k in o for k in keys) and not bad:
            if not all(isinstance(a, str) for a in o["args"]):
                bad.append("line %d: args are not all strings" % n)
            if o["end"] is None:
                # Only a call that never returned (exit_group, ...) has no end.
                if o["retval"] is not None:
                    bad.append("line %d: end is null but retval is not" % n)
            elif o["end"] < o["start"]:
                bad.append("line %d: end < start" % n)
            if o["errno"] is not None and (o["retval"] is None or o["retval"] >= 0):
                bad.append("line %d: errno %s with retval %r" % (n, o["errno"], o["retval"]))
        calls.append(o)
if bad:
    print("FAIL: %s:" % what)
    for b in bad[:20]:
        print("    " + b)
    sys.exit(1)
if not calls:
    print("FAIL: %s: no system calls in the JSON output" % what)
    sys.exit(1)

def find(pred):
    return [c for c in calls if pred(c)]

ok = find(lambda c: c["syscall"] == "openat" and len(c["args"]) >= 3
          and c["args"][0] == "AT_FDCWD" and c["args"][1] == '"/etc/passwd"'
          and "O_RDONLY" in c["args"][2]
          and isinstance(c["retval"], int) and c["retval"] >= 0 and c["errno"] is None)
if not ok:
    print('FAIL: %s: no successful openat(AT_FDCWD, "/etc/passwd", O_RDONLY...)' % what)
    for c in find(lambda c: c["syscall"] == "openat")[:10]:
        print("    " + json.dumps(c))
    sys.exit(1)
enoent = find(lambda c: c["syscall"] == "openat" and len(c["args"]) >= 2
              and c["args"][1] == '"/nonexistent-facet-json"' and c["errno"] == "ENOENT"
              and c["retval"] is not None and c["retval"] < 0)
if not enoent:
    print('FAIL: %s: no openat("/nonexistent-facet-json") failing with errno "ENOENT"' % what)
    for c in find(lambda c: c["syscall"] == "openat")[-5:]:
        print("    " + json.dumps(c))
    sys.exit(1)
execve = find(lambda c: c["syscall"] == "execve" and c["retval"] == 0)
if not execve:
    print("FAIL: %s: no successful execve" % what)
    sys.exit(1)
pids = {c["pid"] for c in ok + enoent}
if len(pids) != 1 or ok[0]["pid"] != ok[0]["tid"]:
    print("FAIL: %s: pid/tid of a single-threaded process disagree: %s" % (what, json.dumps(ok[0])))
    sys.exit(1)
PY
}

# cat exits 1 for the missing file; the trace is complete anyway.
run out err facet_trace --json -o trace.json cat /etc/passwd /nonexistent-facet-json
expect_status 1 "$status" "facet trace --json -o F cat" out err
cmp -s out /etc/passwd || fail "cat's output changed under facet trace --json"
check_json trace.json "facet trace --json -o F cat /etc/passwd /nonexistent-facet-json" || exit 1

# Without -o the JSON goes to stderr, with the command's own stderr
# (which must be there too). Its write() calls are not traced here: the line
# for a write is printed after the write, so it would split cat's message,
# as it does with strace.
run out err facet_trace --json -e trace=%file cat /etc/passwd /nonexistent-facet-json
expect_status 1 "$status" "facet trace --json cat" out err
cmp -s out /etc/passwd || fail "cat's output changed under facet trace --json"
expect_grep err '^cat: .*nonexistent-facet-json' "cat's own complaint on stderr"
grep '^{' err >err.json   # the JSON objects, not cat's complaint
check_json err.json "facet trace --json cat (on stderr)" || exit 1

# With a filter, only the calls asked for.
run out err facet_trace --json -e trace=openat -o trace.json cat /etc/passwd /nonexistent-facet-json
expect_status 1 "$status" "facet trace --json -e trace=openat" out err
python3 - trace.json <<'PY' || exit 1
import json, sys
names = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    if "syscall" in o:
        names.add(o["syscall"])
if names != {"openat"}:
    print("FAIL: facet trace --json -e trace=openat reported %s" % sorted(names))
    sys.exit(1)
PY
echo ok
