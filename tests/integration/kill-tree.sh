#!/usr/bin/env bash
# When facet is killed with SIGKILL, the whole traced tree dies with it:
# nothing keeps running untraced.
set -u
source "$(dirname "$0")/../lib.sh"

# A marker unique to this run, so that only our own sleeps are looked for.
mark="1000.$$$RANDOM"
cleanup_marked() {
	local p
	for p in $(procs_matching "sleep $mark") $(procs_matching "sh -c sleep $mark*"); do
		kill -KILL "$p" 2>/dev/null
	done
}
on_exit cleanup_marked

for set in "" "-e trace=%file"; do
	# shellcheck disable=SC2086
	"$FACET" trace --backend="$FACET_BACKEND" $set -o /dev/null \
		sh -c "sleep $mark & sleep $mark & wait" </dev/null >out 2>err &
	facet_pid=$!

	# Wait (up to 10 s) until both sleeps run.
	for _ in $(seq 100); do
		[ "$(procs_matching "sleep $mark" | wc -l)" -ge 2 ] && break
		kill -0 "$facet_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$(procs_matching "sleep $mark" | wc -l)" -lt 2 ]; then
		kill -KILL "$facet_pid" 2>/dev/null
		echo "FAIL: facet trace${set:+ $set}: the two sleeps did not start"
		show err
		exit 1
	fi

	kill -KILL "$facet_pid"
	wait "$facet_pid" 2>/dev/null

	# Within 2 s nothing of the tree may remain.
	left=""
	for _ in $(seq 20); do
		left=$(procs_matching "sleep $mark")
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		echo "FAIL: facet trace${set:+ $set}: 2 s after facet was killed, these still run:"
		for p in $left; do
			echo "    $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) ($(awk '/^State:/ { print $2, $3 }' "/proc/$p/status" 2>/dev/null))"
		done
		exit 1
	fi
	# Nor the shell between.
	left=$(procs_matching "sh -c sleep $mark & sleep $mark & wait")
	[ -z "$left" ] || fail "facet trace${set:+ $set}: the shell $left still runs after facet was killed"
done
echo ok
