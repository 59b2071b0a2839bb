#!/usr/bin/env bash
# -e trace=SET (and --trace=SET) report exactly the calls in SET: names,
# lists of names and %classes.
set -u
source "$(dirname "$0")/../lib.sh"

# names TRACE: the names of the calls reported, one per line, sorted.
names() {
	trace_calls "$1" | sed -E 's/^[0-9]+ +//; s/^<\.\.\. ([a-z0-9_]+) resumed>.*/\1/; s/^([a-z0-9_]+)\(.*/\1/' | sort -u
}

# only TRACE WHAT NAME...: fail unless every call reported is one of NAMEs.
only() {
	local trace=$1 what=$2
	shift 2
	local allowed=" $* " n extra=""
	for n in $(names "$trace"); do
		case $allowed in
		*" $n "*) ;;
		*) extra="$extra $n" ;;
		esac
	done
	if [ -n "$extra" ]; then
		echo "FAIL: $what: calls outside the set reported:$extra"
		show "$trace" 30
		exit 1
	fi
}

# One name.
run out err facet_trace -e trace=openat -o trace cat /etc/passwd
expect_status 0 "$status" "facet trace -e trace=openat cat" out err trace
expect_grep trace '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd", O_RDONLY' "-e trace=openat: the open of /etc/passwd"
only trace "-e trace=openat" openat

# A list, and the -e argument attached.
run out err facet_trace -etrace=openat,close -o trace cat /etc/passwd
expect_status 0 "$status" "facet trace -etrace=openat,close cat" out err trace
expect_grep trace '^[0-9]+ +openat\(' "-e trace=openat,close: openat"
expect_grep trace '^[0-9]+ +close\(' "-e trace=openat,close: close"
only trace "-e trace=openat,close" openat close

# %file: calls that take a file name; no read/write/mmap/close.
run out err facet_trace -e trace=%file -o trace cat /etc/passwd
expect_status 0 "$status" "facet trace -e trace=%file cat" out err trace
expect_grep trace '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd"' "-e trace=%file: the open of /etc/passwd"
expect_grep trace '^[0-9]+ +execve\(' "-e trace=%file: execve"
expect_no_grep trace '^[0-9]+ +(read|write|mmap|close|brk)\(' "-e trace=%file"

# %process: execve, the clones/forks and the waits of a shell running two
# commands; nothing that is not about processes.
run out err facet_trace -e trace=%process -o trace sh -c '/bin/true; /bin/true; exit 0'
expect_status 0 "$status" "facet trace -e trace=%process sh -c ..." out err trace
expect_grep trace '^[0-9]+ +execve\("/bin/true"' "-e trace=%process: execve"
expect_grep trace '^[0-9]+ +(clone|clone3|fork|vfork)\(' "-e trace=%process: clone"
expect_grep trace '^[0-9]+ +(wait4|waitid)\(' "-e trace=%process: wait4"
expect_grep trace '^[0-9]+ +exit_group\(' "-e trace=%process: exit_group"
only trace "-e trace=%process" execve execveat clone clone3 fork vfork wait4 waitid exit exit_group \
	kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal pidfd_getfd \
	unshare setns arch_prctl

# A name and a class together.
run out err facet_trace -e trace=%process,openat -o trace sh -c 'cat /etc/passwd >/dev/null'
expect_status 0 "$status" "facet trace -e trace=%process,openat" out err trace
expect_grep trace '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd"' "-e trace=%process,openat: openat"
expect_grep trace '^[0-9]+ +execve\(' "-e trace=%process,openat: execve"
expect_no_grep trace '^[0-9]+ +(read|write|mmap|close|newfstatat)\(' "-e trace=%process,openat"

# The top-level form: --trace=SET.
run out err facet_top --trace=openat -o trace cat /etc/passwd
expect_status 0 "$status" "facet --trace=openat cat" out err trace
expect_grep trace '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd"' "--trace=openat: the open of /etc/passwd"
only trace "--trace=openat" openat

# No set: everything, read and mmap included.
run out err facet_trace -o trace cat /etc/passwd
expect_status 0 "$status" "facet trace cat" out err trace
for n in execve openat read close mmap exit_group; do
	expect_grep trace "^[0-9]+ +$n\(" "facet trace (all calls): $n"
done
echo ok
