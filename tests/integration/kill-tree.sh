#!/usr/bin/env bash
# When facet is killed with SIGKILL, the whole traced tree dies with it:
# nothing keeps running untraced, however it was created (CLONE_UNTRACED by
# clone or clone3, vfork, fork from a thread, an orphan, a setsid daemon),
# whatever the trace set. Without a kill, facet waits for the last of them.
set -u
source "$(dirname "$0")/../lib.sh"

DESCEND=$(helper descend)

# A marker unique to this run, so that only our own sleeps are looked for.
mark="1000.$$$RANDOM"
cleanup_marked() {
	local p
	for p in $(procs_matching "sleep $mark") $(procs_matching "*sh -c *sleep $mark*"); do
		kill -KILL "$p" 2>/dev/null
	done
}
on_exit cleanup_marked

# kill_and_check WHAT NSLEEPS SET CMD...: starts facet trace SET CMD, waits
# until NSLEEPS sleeps of ours run, kills facet with SIGKILL and checks
# that within 2 s none of them (nor a shell of ours) is left.
kill_and_check() {
	local what=$1 nsleeps=$2 set=$3
	shift 3
	"$FACET" trace --backend="$FACET_BACKEND" -e "trace=$set" -o /dev/null "$@" </dev/null >out 2>err &
	local facet_pid=$!

	# Wait (up to 10 s) until the sleeps run.
	for _ in $(seq 100); do
		[ "$(procs_matching "sleep $mark" | wc -l)" -ge "$nsleeps" ] && break
		kill -0 "$facet_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$(procs_matching "sleep $mark" | wc -l)" -lt "$nsleeps" ]; then
		kill -KILL "$facet_pid" 2>/dev/null
		echo "FAIL: $what, trace=$set: the sleeps did not start"
		show err
		exit 1
	fi

	kill -KILL "$facet_pid"
	wait "$facet_pid" 2>/dev/null

	local left=""
	for _ in $(seq 20); do
		left="$(procs_matching "sleep $mark") $(procs_matching "*sh -c *sleep $mark*")"
		[ -z "${left// /}" ] && break
		sleep 0.1
	done
	if [ -n "${left// /}" ]; then
		echo "FAIL: $what, trace=$set: 2 s after facet was killed, these still run:"
		for p in $left; do
			echo "    $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) ($(awk '/^State:/ { print $2, $3 }' "/proc/$p/status" 2>/dev/null))"
		done
		exit 1
	fi
}

for set in all %file none; do
	kill_and_check "a shell with two sleeps" 2 "$set" sh -c "sleep $mark & sleep $mark & wait"
	for how in clone-untraced clone3-untraced vfork thread-fork orphan daemon; do
		kill_and_check "a command started by $how" 1 "$set" "$DESCEND" "$how" sh -c "exec sleep $mark"
	done
done

# The descendant behaves as natively: it runs its command and is traced.
for how in clone-untraced clone3-untraced vfork thread-fork; do
	for set in all %file %process none; do
		run out err facet_trace -e "trace=$set" -o trace "$DESCEND" "$how" sh -c 'echo child ran'
		expect_status 0 "$status" "facet trace -e trace=$set helper-descend $how" out err
		expect_grep out '^child ran$' "helper-descend $how under trace=$set: the child's output"
	done
	run out err facet_trace -e trace=execve -o trace "$DESCEND" "$how" sh -c 'echo child ran'
	expect_grep trace '^[0-9]+ +execve\("[^"]*/sh", \["sh", "-c"' "the child's execve is traced ($how)"
done

# facet returns only when the last process of the tree is gone: an orphan
# or a daemon that outlives the command still finishes its work first.
for how in orphan daemon; do
	rm -f done
	run out err facet_trace -e trace=none -o trace "$DESCEND" "$how" sh -c 'sleep 1; echo finished >done'
	expect_status 0 "$status" "facet trace helper-descend $how" out err
	[ -f done ] || fail "facet returned before the $how descendant had finished"
done
echo ok
