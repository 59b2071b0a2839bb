#!/usr/bin/env bash
# facet exits with the command's status (128+N if a signal killed it) and
# leaves the command's stdin, stdout and stderr alone.
set -u
source "$(dirname "$0")/../lib.sh"

check_exit() {
	local want=$1
	shift
	run out err facet_trace -o trace.out "$@"
	expect_status "$want" "$status" "facet trace -o F $*" out err
	expect_empty err "facet trace -o F $*: stderr"
}

check_exit 0 sh -c 'exit 0'
check_exit 3 sh -c 'exit 3'
check_exit 255 sh -c 'exit 255'
check_exit 1 false
check_exit 143 sh -c 'kill -TERM $$'
check_exit 137 sh -c 'kill -KILL $$'
check_exit 138 sh -c 'kill -USR1 $$'
# A core-dumping signal: 128+SIGSEGV whether or not a core is written.
check_exit 139 sh -c 'ulimit -c 0; kill -SEGV $$'

# The status is the command's own, not that of a child of it that exited.
check_exit 7 sh -c 'sh -c "exit 2" & wait; exit 7'

# stdout and stderr pass through untouched.
run out err facet_trace -o trace.out sh -c 'echo out; echo err >&2'
expect_status 0 "$status" "facet trace sh -c 'echo out; echo err >&2'" out err
[ "$(cat out)" = out ] || { echo "FAIL: stdout is not the command's"; show out; exit 1; }
[ "$(cat err)" = err ] || { echo "FAIL: stderr is not the command's"; show err; exit 1; }

# stdin passes through.
got=$(echo hi | facet_trace -o trace.out cat) || fail "echo hi | facet trace cat failed"
[ "$got" = hi ] || fail "echo hi | facet trace -o F cat printed '$got'"

# Binary data through stdin and stdout, more than a pipe buffer.
head -c 300000 /dev/urandom >data
facet_trace -o trace.out cat <data >copy 2>err || fail "facet trace cat <data >copy failed"
cmp -s data copy || fail "cat under facet changed the data"
expect_empty err "facet trace cat: stderr"

# The command's stdin is a terminal/pipe/file as given, and stays seekable.
printf 'abc\n' >in
got=$(facet_trace -o trace.out sh -c 'read x; echo "$x"' <in) || fail "read from a file failed"
[ "$got" = abc ] || fail "sh read '$got' instead of abc"

# Same exit status through the top-level form.
run out err facet_top -o trace.out sh -c 'exit 4'
expect_status 4 "$status" "facet -o F sh -c 'exit 4'" out err
run out err facet_top --trace -o trace.out sh -c 'kill -TERM $$'
expect_status 143 "$status" "facet --trace -o F sh -c 'kill -TERM \$\$'" out err
echo ok
