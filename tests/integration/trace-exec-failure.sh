#!/usr/bin/env bash
# A command whose execve fails: facet says so and exits 126 (cannot be
# executed) or 127 (not found), as a shell does, and the trace is what
# strace writes for the same command: the failed execve, then
# "+++ exited with 1 +++" (strace's child exits 1), or nothing at all for a
# command that is not there.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace

printf 'not a program\n' >noexec
chmod 644 noexec
printf '#!/nonexistent-interpreter\n' >badinterp
chmod 755 badinterp

# The trace without tids, alignment and the environment's address.
shape() {
	sed -E 's/^[0-9]+ +//; s/\) +(= )/) \1/; s/0x[0-9a-f]+ \/\*/ENV \/*/' "$1"
}

for c in "noexec 126 EACCES" "badinterp 127 ENOENT" "nonexistent-command 127 -"; do
	set -- $c
	cmd=$TEST_TMP/$1 want=$2 err_name=$3
	run out err strace -f -o strace.raw "$cmd"
	run out err facet_trace -o facet.raw "$cmd"
	expect_status "$want" "$status" "facet trace $1" err facet.raw
	expect_grep err "^facet: cannot run $cmd: " "the message names $1"
	expect_empty out "facet trace $1: stdout"
	shape strace.raw >want.lines
	shape facet.raw >got.lines
	diff -u want.lines got.lines >diff.out || {
		echo "FAIL: facet trace $1: the trace differs from strace's"
		sed 's/^/    /' diff.out
		exit 1
	}
	if [ "$err_name" = - ]; then
		expect_empty facet.raw "the trace of a command that is not there"
	else
		expect_grep got.lines "^execve\\(\"$cmd\", \\[\"$cmd\"\\], ENV /\\* [0-9]+ vars \\*/\\) = -1 $err_name " \
			"the failed execve"
		expect_grep got.lines '^\+\+\+ exited with 1 \+\+\+$' "the end of the trace"
		[ "$(wc -l <got.lines)" -eq 2 ] || { echo "FAIL: $1: more than the execve and the exit"; show facet.raw; exit 1; }
	fi
done
echo ok
