#!/usr/bin/env bash
# -c: a summary table like strace -c's at the end, in the output file (or on
# stderr), with a row per system call and its count.
set -u
source "$(dirname "$0")/../lib.sh"

# calls_of FILE NAME: the calls column of NAME's row in an strace -c table
# ("% time seconds usecs/call calls [errors] syscall").
calls_of() {
	awk -v name="$2" '$NF == name && $4 ~ /^[0-9]+$/ { print $4; exit }' "$1"
}

run out err facet_trace -c -o summary cat /etc/passwd
expect_status 0 "$status" "facet trace -c -o F cat /etc/passwd" out err summary
cmp -s out /etc/passwd || fail "cat's output changed under facet trace -c"
expect_empty err "facet trace -c -o F: stderr"
expect_grep summary 'calls' "the summary's header"
expect_grep summary 'syscall' "the summary's header"
expect_grep summary '(^|[[:space:]])total$' "the summary's total row"
n=$(calls_of summary openat)
[ -n "$n" ] || { echo "FAIL: no openat row in the summary"; show summary; exit 1; }
[ "$n" -ge 3 ] || { echo "FAIL: openat counted $n times; cat opens at least ld.so.cache, libc and /etc/passwd"; show summary; exit 1; }
note "openat: $n calls"

# The counts are those strace counts.
if command -v strace >/dev/null 2>&1; then
	CAT=$(command -v cat)
	strace -f -c -o strace.summary "$CAT" /etc/passwd >strace.out 2>&1 </dev/null
	run out err facet_trace -c -o summary "$CAT" /etc/passwd
	for call in openat close read; do
		want=$(calls_of strace.summary "$call")
		got=$(calls_of summary "$call")
		if [ "$want" != "$got" ]; then
			echo "FAIL: $call: $got calls in facet's summary, $want in strace's"
			show strace.summary
			show summary
			exit 1
		fi
	done
fi

# Errors are counted: cat of a missing file.
run out err facet_trace -c -o summary cat /nonexistent-facet-summary
expect_status 1 "$status" "facet trace -c cat /nonexistent" out err summary
awk '$NF == "openat" && NF == 6 && $5 >= 1 { found = 1 } END { exit !found }' summary ||
	{ echo "FAIL: the failed openat is not in the errors column"; show summary; exit 1; }

# Without -o the summary goes to stderr.
run out err facet_trace -c cat /etc/passwd
expect_status 0 "$status" "facet trace -c cat /etc/passwd" out err
cmp -s out /etc/passwd || fail "cat's output changed under facet trace -c"
[ -n "$(calls_of err openat)" ] || { echo "FAIL: no openat row in the summary on stderr"; show err; exit 1; }

# With a filter, only the calls asked for.
run out err facet_trace -c -e trace=openat -o summary cat /etc/passwd
expect_status 0 "$status" "facet trace -c -e trace=openat" out err summary
[ -n "$(calls_of summary openat)" ] || { echo "FAIL: no openat row with -e trace=openat"; show summary; exit 1; }
[ -z "$(calls_of summary read)" ] || { echo "FAIL: a read row with -e trace=openat"; show summary; exit 1; }
echo ok
