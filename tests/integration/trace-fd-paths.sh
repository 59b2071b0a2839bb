#!/usr/bin/env bash
# -y: file descriptors are followed by their path, "3</dir/file>", in
# arguments and results, AT_FDCWD by the working directory, pipes by
# "pipe:[inode]", as strace -y writes them (the lines are compared).
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace

mkdir -p dir && echo hello >'dir/a<b>c'
SH=$(command -v sh)

# The lines of a trace without the tid column, strace's alignment and the
# pipe's inode number.
calls_of() {
	sed -E 's/^[0-9]+ +//; s/\) +(= )/) \1/; s/pipe:\[[0-9]+\]/pipe:[N]/g' "$1" | grep -E "$2"
}

set_=openat,read,close,newfstatat,fstat,pipe2
cmd=("$SH" -c 'cat "dir/a<b>c" | cat >/dev/null')
run out err strace -f -y -o strace.raw -e trace=$set_ "${cmd[@]}"
expect_status 0 "$status" "strace -y" err
run out err facet_trace -y -o facet.raw -e trace=$set_ "${cmd[@]}"
expect_status 0 "$status" "facet trace -y" out err facet.raw
join_trace strace.raw strace.joined
join_trace facet.raw facet.joined
pattern='a\\74b\\76c|pipe2'
calls_of strace.joined "$pattern" | sort >strace.lines
calls_of facet.joined "$pattern" | sort >facet.lines
[ -s facet.lines ] || { echo "FAIL: facet trace -y: no line about the file or the pipe"; show facet.raw; exit 1; }
if ! diff -u strace.lines facet.lines >diff.out; then
	echo "FAIL: facet trace -y: the lines about the file and the pipe differ from strace -y"
	sed 's/^/    /' diff.out | head -n 30
	exit 1
fi
expect_grep facet.lines "^openat\(AT_FDCWD<$TEST_TMP>, \"dir/a<b>c\", O_RDONLY\) = 3<$TEST_TMP/dir/a\\\\74b\\\\76c>$" \
	"the open of the file, with the working directory and the file's path"
expect_grep facet.lines '^pipe2\(\[3<pipe:\[N\]>, 4<pipe:\[N\]>\], 0\) = 0$' "the pipe's fds"

# Without -y, none of that.
run out err facet_trace -o plain.raw -e trace=$set_ "${cmd[@]}"
expect_no_grep plain.raw '<pipe:|AT_FDCWD<|[0-9]</' "facet trace without -y"
echo ok
