#!/usr/bin/env bash
# `facet trace -e trace=%file` sees the same file system calls as
# `strace -f -e trace=%file`: same names, same path arguments, same results,
# divided among the same tasks (compared as multisets by normalize-trace.py).
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace python3

THREADS=$(helper threads)
LS=$(command -v ls) CAT=$(command -v cat) CP=$(command -v cp) SH=$(command -v sh)
PYTHON=$(command -v python3)
# Let Python write (or find) its bytecode caches before the traced runs.
"$PYTHON" -c 'import json' || fail "python3 -c 'import json' fails natively"

failures=0

# compare NAME RULES CMD...: traces CMD with strace and with facet.
compare() {
	local name=$1 rules=$2
	shift 2
	local a=$name.strace b=$name.facet
	rm -f "$TEST_TMP/x"
	run "$name.strace.out" "$name.strace.err" strace -f -qq -o "$a" -e trace=%file "$@"
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $name: the command fails under strace (exit status $status)"
		show "$name.strace.err"
		failures=$((failures + 1))
		return
	fi
	rm -f "$TEST_TMP/x"
	run "$name.facet.out" "$name.facet.err" facet_trace -e trace=%file -o "$b" "$@"
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $name: exit status $status under facet"
		show "$name.facet.err"
		failures=$((failures + 1))
		return
	fi
	if ! cmp -s "$name.strace.out" "$name.facet.out"; then
		echo "FAIL: $name: the command's output differs under facet"
		diff "$name.strace.out" "$name.facet.out" | head -n 20 | sed 's/^/    /'
		failures=$((failures + 1))
		return
	fi
	if python3 "$NORMALIZE" --compare --rules "$rules" --label-a strace --label-b facet \
		"$a" "$b" >"$name.diff" 2>&1; then
		note "$name: same calls ($(trace_calls "$b" | wc -l) lines)"
	else
		echo "FAIL: $name: the traces differ"
		sed 's/^/    /' "$name.diff" | head -n 100
		echo "    first lines of the strace trace:"
		head -n 5 "$a" | sed 's/^/    | /'
		echo "    first lines of the facet trace:"
		head -n 5 "$b" | sed 's/^/    | /'
		failures=$((failures + 1))
	fi
}

compare ls "" "$LS" /
compare cat "" "$CAT" /etc/passwd
compare cp "" "$CP" /etc/passwd "$TEST_TMP/x"
compare python "" "$PYTHON" -c 'import json'
compare pipeline "" "$SH" -c 'ls / | wc -l'
# The threads' opens race for the lowest free descriptor: see racy-fds.
compare threads racy-fds "$THREADS"

[ "$failures" -eq 0 ] || exit 1
echo ok
