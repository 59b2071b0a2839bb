#!/usr/bin/env bash
# When calls of different tasks overlap, the trace has the lines strace -f
# writes (without -ff): the entry part of a call is written when it starts;
# if another task writes before it returns, that line ends with
# " <unfinished ...>" and the call is completed later by
# "TID <... NAME resumed>REST". Each unfinished call of a task is resumed by
# that task's next line (or the task ended inside it), with the same name,
# and joined back together the calls are all there.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd python3

THREADS=$(helper threads)
target=$TEST_TMP/target
echo hello >"$target"

run out err facet_trace -o trace.raw "$THREADS" "$target"
expect_status 0 "$status" "facet trace helper-threads" out err
expect_grep out '^threads ok 1600$' "helper-threads under facet trace"

# The main thread waits in futex() for the workers, who write meanwhile.
n=$(grep -c ' <unfinished \.\.\.>$' trace.raw)
[ "$n" -gt 0 ] || fail "no <unfinished ...> line in the trace of 8 threads"
note "$n unfinished calls"

python3 - trace.raw <<'PY' || exit 1
import re, sys
LINE = re.compile(r"^(\d+) +(.*)$")
UNF = re.compile(r"^([a-z_0-9]+)\(.* <unfinished \.\.\.>$")
RES = re.compile(r"^<\.\.\. ([a-z_0-9]+) resumed>")
pending, bad = {}, []
for no, raw in enumerate(open(sys.argv[1]), 1):
    m = LINE.match(raw.rstrip("\n"))
    if not m:
        bad.append("%d: not a trace line: %s" % (no, raw.rstrip()))
        continue
    tid, rest = m.groups()
    r = RES.match(rest)
    if tid in pending:
        name = pending.pop(tid)
        if rest.startswith("+++ "):
            pass  # the task ended inside the call
        elif not r or r.group(1) != name:
            bad.append("%d: tid %s left %s() unfinished, then: %s" % (no, tid, name, rest))
    elif r:
        bad.append("%d: %s resumed, but nothing of tid %s was unfinished" % (no, r.group(1), tid))
    u = UNF.match(rest) or (r and rest.endswith(" <unfinished ...>") and r)
    if u:
        pending[tid] = u.group(1)
for tid, name in pending.items():
    bad.append("tid %s: %s() never resumed" % (tid, name))
if bad:
    print("FAIL: unfinished/resumed lines do not pair up:")
    for b in bad[:20]:
        print("    " + b)
    sys.exit(1)
PY

# Joined, every call is there once.
join_trace trace.raw trace
opens=$(grep -cE "^[0-9]+ openat\(AT_FDCWD, \"$target\", O_RDONLY\|O_CLOEXEC\) = [0-9]+$" trace)
[ "$opens" -eq 1600 ] || fail "$opens opens of $target after joining the lines, expected 1600"
# A resumed line carries the result at strace's column 40 or after.
line=$(grep -m1 -E '^[0-9]+ +<\.\.\. [a-z_0-9]+ resumed>.*\) += ' trace.raw) ||
	fail "no resumed line with a result"
col=$(printf '%s\n' "$line" | awk '{ print index($0, ") ") }')
res=$(printf '%s\n' "$line" | awk '{ print index($0, "= ") }')
[ "$res" -ge 40 ] || [ "$res" -eq $((col + 2)) ] || fail "the result of '$line' is not aligned at column 40"
echo ok
