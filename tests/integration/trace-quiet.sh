#!/usr/bin/env bash
# -qq leaves out the "+++ exited with N +++" lines, as strace -qq does, but
# not "+++ killed by SIG +++"; -q alone changes nothing (facet prints none
# of the attach messages it would suppress); -qqq also leaves out
# "+++ superseded by execve" (see trace-exec-mt). -f is accepted and
# changes nothing: facet always follows children. -ff is refused.
set -u
source "$(dirname "$0")/../lib.sh"

SH=$(command -v sh)
cmd=("$SH" -c '/bin/true; /bin/true; kill -9 $$')

# The trace without pids and addresses: what -q and -f must leave alone.
# Sorted: a child's exit and its parent's SIGCHLD are reported in either
# order.
shape() {
	sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/X/g; s/[0-9]{3,}/N/g' "$1" | sort
}

run out err facet_trace -o plain.raw -e trace=execve "${cmd[@]}"
expect_status 137 "$status" "facet trace sh -c '... kill -9 \$\$'" err plain.raw
expect_grep plain.raw '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "the children's exits without -q"
expect_grep plain.raw '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "the shell's death without -q"

run out err facet_trace -qq -o qq.raw -e trace=execve "${cmd[@]}"
expect_status 137 "$status" "facet trace -qq" err qq.raw
expect_no_grep qq.raw '\+\+\+ exited with' "-qq: exit lines"
expect_grep qq.raw '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "-qq keeps the killed-by line"
[ "$(grep -c 'execve(' qq.raw)" -eq 3 ] || fail "-qq: not all execve calls were traced: $(cat qq.raw)"

for opt in -q -f "-f -q" -qqq; do
	# shellcheck disable=SC2086
	run out err facet_trace $opt -o opt.raw -e trace=execve "${cmd[@]}"
	expect_status 137 "$status" "facet trace $opt" err opt.raw
	case $opt in
	-qqq) shape qq.raw >want ;;
	*) shape plain.raw >want ;;
	esac
	shape opt.raw >got
	diff -u want got >diff.out || { echo "FAIL: facet trace $opt changed the trace:"; sed 's/^/    /' diff.out; exit 1; }
done
# The top-level form takes them too.
run out err facet_top -f -qq -o top.raw -e trace=execve "${cmd[@]}"
expect_status 137 "$status" "facet -f -qq" err top.raw
expect_no_grep top.raw '\+\+\+ exited with' "facet -f -qq: exit lines"

run out err facet_trace -ff -o ff.raw true
expect_status 2 "$status" "facet trace -ff" err
expect_grep err 'ff' "the message about -ff"
echo ok
