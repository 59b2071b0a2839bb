#!/usr/bin/env bash
# Death by signal, as a shell sees it, and signals sent to facet itself.
# - A command killed by signal N kills facet with N (a parent sees
#   WIFSIGNALED, not an exit with 128+N), as under strace.
# - On a terminal, ^C stops a shell loop that runs facet, and ^\ makes the
#   shell print "Quit", as without facet.
# - SIGHUP, SIGINT, SIGQUIT and SIGTERM sent to facet by another process
#   reach the command, which decides; facet then exits as the command did;
#   also in a view, where the supervisor waits for the next notification in
#   SECCOMP_IOCTL_NOTIF_RECV, not in poll(), while the command sleeps.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd python3

# How a parent sees the end of a command: "exit N" or "signal N".
cat >ends.py <<'PY'
import subprocess, sys
r = subprocess.run(sys.argv[1:]).returncode
print("signal %d" % -r if r < 0 else "exit %d" % r)
PY

for sig in TERM INT QUIT KILL USR1 SEGV; do
	num=$(kill -l "$sig")
	got=$(python3 ends.py "$FACET" trace --backend="$FACET_BACKEND" -o trace \
		sh -c "ulimit -c 0; kill -$sig \$\$" 2>err)
	[ "$got" = "signal $num" ] || { show err; fail "command killed by SIG$sig: a parent of facet sees '$got', expected 'signal $num'"; }
done
got=$(python3 ends.py "$FACET" trace --backend="$FACET_BACKEND" -o trace sh -c 'exit 130')
[ "$got" = "exit 130" ] || fail "a command that exits 130: a parent of facet sees '$got'"

# Signals sent to facet by a process outside the tree are passed on to the
# command. The command (python, which can catch SIGINT even where a
# background job starts with it ignored) reports what it got and exits 3.
cat >catch.py <<'PY'
import signal, sys, time
def got(sig, frame):
    print("got", signal.Signals(sig).name, flush=True)
    sys.exit(3)
for s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM):
    signal.signal(s, got)
print("ready", flush=True)
time.sleep(30)
sys.exit(9)
PY
default_signals=()
env --default-signal true 2>/dev/null && default_signals=(env --default-signal)
guest=/mnt/facet-signals-$$
for how in trace view; do
	if [ "$how" = trace ]; then
		under=("$FACET" trace --backend="$FACET_BACKEND" -o trace)
		script=catch.py
	else
		under=("$FACET" --backend="$FACET_BACKEND" --no-fast -b "$PWD:$guest")
		script=$guest/catch.py
	fi
	for sig in HUP INT QUIT TERM; do
		rm -f out
		"${default_signals[@]}" "${under[@]}" python3 "$script" >out 2>err &
		pid=$!
		for _ in $(seq 100); do grep -q ready out 2>/dev/null && break; sleep 0.1; done
		grep -q ready out || { kill -KILL "$pid"; show err; fail "SIG$sig ($how): the command did not start"; }
		kill -"$sig" "$pid"
		wait "$pid"
		status=$?
		expect_grep out "^got SIG$sig\$" "SIG$sig sent to facet ($how) reaches the command"
		expect_status 3 "$status" "SIG$sig sent to facet ($how): facet exits as the command did" out err
	done
done

# On a terminal: ^C (byte 003) stops a loop, ^\ (034) makes the shell say Quit.
if command -v script >/dev/null 2>&1; then
	session() {
		{
			sleep 1; printf 'for i in 1 2 3; do %s sleep 3; echo "iteration $i done"; done; echo loop-over\n' "$1"
			sleep 1; printf '\003'
			sleep 1; printf '%s sleep 3\n' "$1"
			sleep 1; printf '\034'
			sleep 1; printf 'exit 0\n'
		} | timeout 30 script -qec "bash --norc --noprofile -i" /dev/null 2>&1 | tr -d '\r' >"$2"
	}
	session "" native-screen
	if grep -q 'iteration 1 done' native-screen || ! grep -Eq 'Quit( \(core dumped\))?$' native-screen; then
		note "native screen: $(cat -v native-screen)"
		skip "^C and ^\\ do not act on this pty natively"
	fi
	session "$FACET trace --backend=$FACET_BACKEND -o /dev/null" screen
	note "screen under facet: $(cat -v screen)"
	expect_no_grep screen 'iteration [0-9] done' "^C stops the shell loop running facet"
	expect_grep screen 'Quit( \(core dumped\))?$' "^\\ kills facet's command and the shell says Quit"
fi
echo ok
