#!/usr/bin/env bash
# execve() from a multi-threaded process, by the main thread and by another
# thread: the other threads vanish, the new program runs under the process's
# pid (the thread-group leader's), and facet follows it to its end.
set -u
source "$(dirname "$0")/../lib.sh"

EXECMT=$(helper exec-mt)

for variant in main thread; do
	arg=()
	[ "$variant" = thread ] && arg=(thread)
	run native.out native.err "$EXECMT" "${arg[@]}"
	expect_status 0 "$status" "helper-exec-mt ${arg[*]} natively" native.out native.err

	for set in "" "-e trace=execve,write,getppid" "-e trace=%file"; do
		what="facet trace${set:+ $set} helper-exec-mt ${arg[*]}"
		# shellcheck disable=SC2086
		run out err timeout 60 "$FACET" trace --backend="$FACET_BACKEND" $set -o trace.raw "$EXECMT" "${arg[@]}"
		[ "$status" -ne 124 ] || { echo "FAIL: $what: still running after 60 s"; show trace.raw; exit 1; }
		expect_status 0 "$status" "$what" out err trace.raw
		[ "$(cat out)" = "exec-mt ok" ] || { echo "FAIL: $what: wrong output"; show out; exit 1; }
		expect_empty err "$what: stderr"
		join_trace trace.raw trace

		leader=$(awk 'NR == 1 { print $1 }' trace)
		expect_grep trace "^$leader execve\(\"$EXECMT\", .* = 0$" "$what: the helper's execve, first"
		# The successful execve of echo is reported once, under the
		# process's pid (the kernel gives the execing thread the leader's
		# pid; strace reports it so).
		case $set in
		*file* | *execve* | "")
			n=$(grep -cE '^[0-9]+ execve\("/bin/echo", .* = 0$' trace)
			[ "$n" -eq 1 ] || { echo "FAIL: $what: $n successful execve(\"/bin/echo\") reported, expected 1"; show trace 60; exit 1; }
			expect_grep trace "^$leader execve\(\"/bin/echo\", .* = 0$" "$what: echo's execve under the pid $leader"
			;;
		esac
		# echo's own calls come under that pid too.
		case $set in
		*write* | "")
			expect_grep trace "^$leader write\(1, \"exec-mt ok\\\\n\", 11\) = 11$" "$what: echo's write under the pid $leader"
			;;
		esac
		case $set in
		*getppid* | "")
			n=$(grep -E '^[0-9]+ getppid\(\) = ' trace | awk '{ print $1 }' | sort -u | wc -l)
			[ "$n" -ge 3 ] || fail "$what: getppid() calls from $n threads reported, expected at least 3"
			;;
		esac
		expect_grep trace "^$leader \+\+\+ exited with 0 \+\+\+$" "$what: the end of the process"
		# Nothing is reported for the vanished threads after echo started.
		if [ -n "$(sed -n '/execve("\/bin\/echo", .* = 0$/,$p' trace |
			grep -vE "^$leader |^[0-9]+ \+\+\+ (exited|superseded)|^[0-9]+ (---|getppid|nanosleep|clock_nanosleep|newfstatat|stat|statx)|<unfinished \.\.\.>$")" ]; then
			echo "FAIL: $what: calls by other tasks after the execve:"
			sed -n '/execve("\/bin\/echo", .* = 0$/,$p' trace | grep -v "^$leader " | head -n 10 | sed 's/^/    | /'
			exit 1
		fi
	done
done
echo ok
