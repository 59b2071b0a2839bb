#!/usr/bin/env bash
# The command sees the same process environment under facet as without it:
# environment variables, open descriptors, signal mask and ignored signals,
# working directory, umask, resource limits, process group and session.
set -u
source "$(dirname "$0")/../lib.sh"

# same WHAT CMD...: CMD's output natively and under facet trace must match.
same() {
	local what=$1
	shift
	run native.out native.err "$@"
	expect_status 0 "$status" "$what natively" native.out native.err
	run traced.out traced.err facet_trace -o trace "$@"
	expect_status 0 "$status" "$what under facet trace" traced.out traced.err
	if ! cmp -s native.out traced.out; then
		echo "FAIL: $what differs under facet (< native, > under facet):"
		diff native.out traced.out | head -n 30 | sed 's/^/    /'
		exit 1
	fi
}

# Environment ("_" is set by the shell to the program it runs).
same "the environment" sh -c 'env | grep -v "^_=" | sort'
# Open descriptors: facet's own (output file, notification fd, ...) must not leak.
same "the open descriptors" sh -c 'ls /proc/$$/fd'
same "the open descriptors (of an exec'd program)" ls /proc/self/fd
# Signal mask and ignored signals.
same "the blocked and ignored signals" grep -E '^(SigBlk|SigIgn):' /proc/self/status
(
	trap '' USR1 HUP
	same "the ignored signals, with some ignored" grep -E '^(SigBlk|SigIgn):' /proc/self/status
) || exit 1
# Working directory, umask, limits.
same "the working directory and umask" sh -c 'pwd; umask'
(
	umask 027
	same "the umask 027" sh -c 'umask'
) || exit 1
same "the resource limits" sh -c 'ulimit -a'
# Process group and session: the command stays in the caller's, so terminal
# job control keeps working.
same "the process group and session" sh -c 'cut -d" " -f5,6 /proc/$$/stat'
# Scheduling niceness.
same "the nice value" sh -c 'cut -d" " -f19 /proc/$$/stat'
echo ok
