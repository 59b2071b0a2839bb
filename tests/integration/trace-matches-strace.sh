#!/usr/bin/env bash
# `facet trace -e trace=CLASS` sees the same system calls as
# `strace -f -e trace=CLASS` for the classes %file, %process, %signal and
# %desc: same names, same string arguments, same results, the same signals
# delivered and the same ends of tasks, divided among the same tasks
# (compared as multisets by normalize-trace.py, whose named rules say which
# differences are legitimate and why).
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace python3

THREADS=$(helper threads)
LS=$(command -v ls) CAT=$(command -v cat) CP=$(command -v cp) SH=$(command -v sh)
PYTHON=$(command -v python3)
# Let Python write (or find) its bytecode caches before the traced runs.
"$PYTHON" -c 'import json' || fail "python3 -c 'import json' fails natively"

# The commands run in a directory of their own: python3 -c lists its working
# directory (sys.path[0]), which must not fill up with the traces meanwhile.
RUN=$TEST_TMP/run
mkdir -p "$RUN" || fail "cannot create $RUN"
failures=0

# compare NAME CLASS RULES CMD...: traces CMD with strace and with facet.
compare() {
	local name=$1 class=$2 rules=$3
	shift 3
	local tag=$name.${class#%}
	local a=$TEST_TMP/$tag.strace b=$TEST_TMP/$tag.facet
	rm -f "$TEST_TMP/x"
	status=0
	(cd "$RUN" && exec strace -f -o "$a" -e trace="$class" "$@") </dev/null >"$a.out" 2>"$a.err" || status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $tag: the command fails under strace (exit status $status)"
		show "$a.err"
		failures=$((failures + 1))
		return
	fi
	rm -f "$TEST_TMP/x"
	status=0
	(cd "$RUN" && exec "$FACET" trace --backend="$FACET_BACKEND" -e trace="$class" -o "$b" "$@") \
		</dev/null >"$b.out" 2>"$b.err" || status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $tag: exit status $status under facet"
		show "$b.err"
		failures=$((failures + 1))
		return
	fi
	if ! cmp -s "$a.out" "$b.out"; then
		echo "FAIL: $tag: the command's output differs under facet"
		diff "$a.out" "$b.out" | head -n 20 | sed 's/^/    /'
		failures=$((failures + 1))
		return
	fi
	# pids: pid-valued results differ between runs; signal-timing: what
	# rt_sigreturn restores depends on where a signal landed.
	if python3 "$NORMALIZE" --compare --rules "pids,signal-timing${rules:+,$rules}" \
		--label-a strace --label-b facet "$a" "$b" >"$TEST_TMP/$tag.diff" 2>&1; then
		note "$tag: same calls ($(trace_calls "$b" | wc -l) lines)"
	else
		echo "FAIL: $tag: the traces differ"
		sed 's/^/    /' "$TEST_TMP/$tag.diff" | head -n 60
		echo "    first lines of the strace trace:"
		head -n 5 "$a" | sed 's/^/    | /'
		echo "    first lines of the facet trace:"
		head -n 5 "$b" | sed 's/^/    | /'
		failures=$((failures + 1))
	fi
}

for class in %file %process %signal %desc; do
	compare ls "$class" "" "$LS" /
	compare cat "$class" "" "$CAT" /etc/passwd
	compare cp "$class" "" "$CP" /etc/passwd "$TEST_TMP/x"
	# Processes with children: see sigchld-coalesce.
	compare python "$class" sigchld-coalesce "$PYTHON" -c 'import json'
	compare pipeline "$class" sigchld-coalesce "$SH" -c 'ls / | wc -l'
	# The threads' opens race for the lowest free descriptor: see racy-fds.
	compare threads "$class" racy-fds "$THREADS"
done

[ "$failures" -eq 0 ] || exit 1
echo ok
