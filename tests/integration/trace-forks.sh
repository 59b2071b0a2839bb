#!/usr/bin/env bash
# fork, vfork+execve, clone3 and posix_spawn children are all followed:
# their calls are reported under their own pids, and the tree still works.
set -u
source "$(dirname "$0")/../lib.sh"

FORKS=$(helper forks)
target=$TEST_TMP/target
echo hello >"$target"

run native.out native.err "$FORKS" "$target"
expect_status 0 "$status" "helper-forks natively" native.out native.err

for set in "" "-e trace=%process,openat" "-e trace=%file"; do
	# shellcheck disable=SC2086
	run out err facet_trace $set -o trace.raw "$FORKS" "$target"
	expect_status 0 "$status" "helper-forks under facet trace${set:+ $set}" out err trace.raw
	expect_grep out '^forks ok$' "helper-forks under facet trace${set:+ $set}"
	expect_grep out '^spawned echo$' "the posix_spawned echo's output"
	expect_empty err "facet trace${set:+ $set} -o F helper-forks: stderr"
	join_trace trace.raw trace

	pids=$(grep '^pids ' out)
	get() { echo "$pids" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	p_fork=$(get fork) p_vfork=$(get vfork) p_clone3=$(get clone3) p_spawn=$(get spawn)
	main=$(awk 'NR == 1 { print $1 }' trace)
	expect_grep trace "^$main execve\(\"$FORKS\", .* = 0$" "facet trace${set:+ $set}: the helper's execve"

	# The fork and clone3 children open the target, under their own pids.
	expect_grep trace "^$p_fork openat\(AT_FDCWD, \"$target\", .* = [0-9]+$" \
		"facet trace${set:+ $set}: the fork child's ($p_fork) open"
	if [ "$p_clone3" != skipped ]; then
		expect_grep trace "^$p_clone3 openat\(AT_FDCWD, \"$target\", .* = [0-9]+$" \
			"facet trace${set:+ $set}: the clone3 child's ($p_clone3) open"
	else
		note "clone3 is not available: not checked"
	fi
	n=$(grep -cE "^[0-9]+ openat\(AT_FDCWD, \"$target\"" trace)
	want=2
	[ "$p_clone3" != skipped ] || want=1
	[ "$n" -eq "$want" ] || fail "facet trace${set:+ $set}: $n opens of $target reported, expected $want"

	# The vfork and posix_spawn children exec, under their own pids.
	case $set in
	*file* | *process* | "")
		expect_grep trace "^$p_vfork execve\(\"/bin/true\", .* = 0$" "facet trace${set:+ $set}: the vfork child's ($p_vfork) execve"
		expect_grep trace "^$p_spawn execve\(\"/bin/echo\", .* = 0$" "facet trace${set:+ $set}: the spawned child's ($p_spawn) execve"
		;;
	esac
	# The creation calls return the children's pids in the parent.
	case $set in
	*process* | "")
		for p in "$p_fork" "$p_vfork" "$p_spawn"; do
			expect_grep trace "^$main (clone|clone3|fork|vfork)\(.* = $p$" "facet trace${set:+ $set}: the call that created $p"
		done
		expect_grep trace "^$main wait4\($p_fork, " "facet trace${set:+ $set}: wait4 for the fork child"
		;;
	esac
	# Every process's end is reported with its status.
	expect_grep trace "^$p_fork \+\+\+ exited with 11 \+\+\+$" "facet trace${set:+ $set}: the fork child's exit status"
	expect_grep trace "^$p_vfork \+\+\+ exited with 0 \+\+\+$" "facet trace${set:+ $set}: the vfork child's exit status"
	[ "$p_clone3" = skipped ] ||
		expect_grep trace "^$p_clone3 \+\+\+ exited with 13 \+\+\+$" "facet trace${set:+ $set}: the clone3 child's exit status"
	expect_grep trace "^$main \+\+\+ exited with 0 \+\+\+$" "facet trace${set:+ $set}: the helper's exit status"
done
echo ok
