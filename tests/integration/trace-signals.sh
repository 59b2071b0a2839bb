#!/usr/bin/env bash
# Signals interrupt system calls under facet exactly as they do natively:
# stat() is never interrupted, a blocked read() fails with EINTR without
# SA_RESTART and is restarted with it (helper-sigintr checks all three).
set -u
source "$(dirname "$0")/../lib.sh"

SIGINTR=$(helper sigintr)
checks='^(stat-not-interrupted|read-interrupted|read-restarted) ok'

run native.out native.err "$SIGINTR"
expect_status 0 "$status" "helper-sigintr natively" native.out native.err
[ "$(grep -cE "$checks" native.out)" -eq 3 ] || { echo "FAIL: helper-sigintr natively"; show native.out; exit 1; }

for set in "-e trace=%file,read" "" "-e trace=read" "-e trace=%file"; do
	# shellcheck disable=SC2086
	run out err facet_trace $set -o trace.raw "$SIGINTR"
	expect_status 0 "$status" "helper-sigintr under facet trace${set:+ $set}" out err trace.raw
	[ "$(grep -cE "$checks" out)" -eq 3 ] || { echo "FAIL: helper-sigintr under facet trace${set:+ $set}"; show out; exit 1; }
	expect_empty err "facet trace${set:+ $set} -o F helper-sigintr: stderr"
	join_trace trace.raw trace
	case $set in
	*read* | "")
		expect_grep trace '^[0-9]+ read\(' "facet trace${set:+ $set}: read() calls reported"
		;;
	esac
	case $set in
	*file* | "")
		n=$(grep -cE '^[0-9]+ [a-z0-9]*stat[a-z0-9]*\(.*"/".* = 0$' trace)
		[ "$n" -ge 10 ] || { echo "FAIL: facet trace${set:+ $set}: only $n successful stat(\"/\") calls reported"; show trace; exit 1; }
		expect_no_grep trace '^[0-9]+ [a-z0-9]*stat[a-z0-9]*\(.*"/".* EINTR' "facet trace${set:+ $set}: stat(\"/\") failing with EINTR"
		;;
	esac
done
# In a view every path call is performed by the supervisor: stat is still
# never interrupted.
run out err facet_top -b "$TEST_TMP:/tmp/facet-signals-view-$$" "$SIGINTR"
expect_status 0 "$status" "helper-sigintr in a view" out err
[ "$(grep -cE "$checks" out)" -eq 3 ] || { echo "FAIL: helper-sigintr in a view"; show out; exit 1; }
echo ok
