#!/usr/bin/env bash
# An interactive shell under facet on a terminal: Ctrl-Z stops the
# foreground job (the job's group stop must stay a stop, not be swallowed by
# the tracer: a job that keeps writing must write nothing while stopped), `jobs` sees it stopped, the shell can kill it, and the shell's
# exit status comes back through facet. The terminal is a pty from script(1).
set -u
. "$(dirname "$0")/../lib.sh"
need_cmd script

session() {
	# Pauses give the shell time to read each line; ^Z is byte 032.
	{
		sleep 1; printf 'sh -c "while :; do echo tick >>%s/ticks; sleep 0.05; done"\n' "$TEST_TMP"
		sleep 1; printf '\032'
		sleep 1; printf 'jobs\n'
		sleep 0.5; printf 'a=$(wc -l <%s/ticks); sleep 1; b=$(wc -l <%s/ticks); echo "ticks-while-stopped $((b-a))"\n' "$TEST_TMP" "$TEST_TMP"
		sleep 1.5
		# The killed job's end reaches its tracer first and the shell only
		# once the tracer has reaped it (ptrace's order, strace's too): a
		# `wait` at once may still find the job stopped (status 148). After
		# a pause the shell has seen it killed, natively and under facet
		# alike, and reports it.
		sleep 0.5; printf 'kill -KILL %%1; sleep 0.5; echo "jobs-left $(jobs -r; jobs -s)."\n'
		sleep 0.5; printf 'exit 5\n'
	} | timeout 30 script -qec "$*" /dev/null >"$TEST_TMP/screen" 2>&1
}

session bash --norc --noprofile -i
native_status=$?
cp "$TEST_TMP/screen" "$TEST_TMP/native-screen"
grep -q 'ticks-while-stopped 0' "$TEST_TMP/native-screen" || skip "job control does not work on this pty natively"
rm -f "$TEST_TMP/ticks"

session "$FACET" trace --backend="$FACET_BACKEND" -o "$TEST_TMP/trace" bash --norc --noprofile -i
status=$?
tr -d '\r' <"$TEST_TMP/screen" >"$TEST_TMP/screen.txt"
note "screen: $(cat -v "$TEST_TMP/screen.txt")"
[ "$status" = "$native_status" ] || fail "exit status $status under facet, $native_status natively"
grep -q 'Stopped *sh -c' "$TEST_TMP/screen.txt" || fail "the shell did not see the job stop under facet"
grep -q 'ticks-while-stopped 0' "$TEST_TMP/screen.txt" || fail "the job kept running after Ctrl-Z under facet"
grep -q 'Killed *sh -c' "$TEST_TMP/screen.txt" && grep -q '^jobs-left \.$' "$TEST_TMP/screen.txt" ||
	fail "the stopped job could not be killed (the shell did not report it killed and gone)"
grep -q 'execve("/usr/bin/sleep"\|execve("/bin/sleep"' "$TEST_TMP/trace" || fail "the job was not traced"
rm -f "$TEST_TMP/ticks"
exit 0
