#!/usr/bin/env bash
# A multi-threaded program under facet trace: it still works, and every one
# of its threads' calls is reported once, under the thread's own id.
set -u
source "$(dirname "$0")/../lib.sh"

THREADS=$(helper threads)
target=$TEST_TMP/target
echo hello >"$target"
missing=/nonexistent-facet-helper/no-such-file

run native.out native.err "$THREADS" "$target"
expect_status 0 "$status" "helper-threads natively" native.out native.err

for set in "" "-e trace=%file" "-e trace=openat,close,newfstatat,statx"; do
	# shellcheck disable=SC2086
	run out err facet_trace $set -o trace.raw "$THREADS" "$target"
	expect_status 0 "$status" "facet trace${set:+ $set} helper-threads" out err
	expect_grep out '^threads ok 1600$' "helper-threads under facet trace${set:+ $set}"
	expect_empty err "facet trace${set:+ $set} -o F helper-threads: stderr"
	join_trace trace.raw trace

	opens=$(grep -cE "^[0-9]+ openat\(AT_FDCWD, \"$target\", O_RDONLY\|O_CLOEXEC\) = [0-9]+$" trace)
	[ "$opens" -eq 1600 ] || {
		echo "FAIL: facet trace${set:+ $set}: $opens successful openat() of $target reported, expected 1600"
		show trace 30
		exit 1
	}
	stats=$(grep -cE "^[0-9]+ [a-z0-9]*stat[a-z0-9]*\(.*\"$missing\".* = -1 ENOENT" trace)
	[ "$stats" -eq 1600 ] || {
		echo "FAIL: facet trace${set:+ $set}: $stats stat calls of $missing failing with ENOENT reported, expected 1600"
		grep -m 5 "$missing" trace | sed 's/^/    | /'
		exit 1
	}
	if [ -z "$set" ] || [ "$set" != "${set#*close}" ]; then
		closes=$(grep -cE '^[0-9]+ close\([0-9]+\) = 0$' trace)
		[ "$closes" -ge 1600 ] || fail "facet trace${set:+ $set}: only $closes successful close() calls reported"
	fi
	# 8 threads, each reporting its calls under its own id; the main thread
	# (the first id in the trace) opens nothing.
	tids=$(grep -E "^[0-9]+ openat\(AT_FDCWD, \"$target\"" trace | awk '{ print $1 }' | sort -u | wc -l)
	[ "$tids" -eq 8 ] || fail "facet trace${set:+ $set}: the opens of $target come from $tids thread ids, expected 8"
	main=$(awk 'NR == 1 { print $1 }' trace)
	if grep -qE "^$main openat\(AT_FDCWD, \"$target\"" trace; then
		fail "facet trace${set:+ $set}: opens reported under the main thread's id $main"
	fi
	# Every thread ends, and so does the process, with status 0.
	expect_grep trace "^$main \+\+\+ exited with 0 \+\+\+$" "facet trace${set:+ $set}: the process's exit"
done
echo ok
