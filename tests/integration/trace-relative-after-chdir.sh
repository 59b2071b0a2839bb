#!/usr/bin/env bash
# Relative names after the working directory changed, under facet trace,
# which performs stat, access, readlink and open itself on the notify back
# end and keeps each task's cwd open between calls: a chdir or fchdir in
# the task, in a thread, in a child made with CLONE_FS, and none through
# fork, vfork or a thread that unshared CLONE_FS, give the same answers as
# natively (helper-cwd), whether or not the trace set has chdir.
set -u
source "$(dirname "$0")/../lib.sh"

CWD=$(helper cwd)
mkdir -p dirs
run native.out native.err "$CWD" "$PWD/dirs"
expect_status 0 "$status" "helper-cwd natively" native.out native.err
for set in newfstatat 'newfstatat,access,faccessat,faccessat2,readlink,openat,statx' %file all; do
	run traced.out traced.err facet_trace -e "trace=$set" -o trace "$CWD" "$PWD/dirs"
	expect_status 0 "$status" "helper-cwd under facet trace -e trace=$set" traced.out traced.err
	if ! cmp -s native.out traced.out; then
		echo "FAIL: relative names after chdir differ under facet trace -e trace=$set (< native, > under facet):"
		diff native.out traced.out | sed 's/^/    /'
		exit 1
	fi
done
echo ok
