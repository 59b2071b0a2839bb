#!/usr/bin/env bash
# execve() from a multi-threaded process, by the main thread and by another
# thread: the other threads vanish, the new program runs under the process's
# pid (the thread-group leader's), and facet follows it to its end. When a
# non-leader thread execs, the leader's line is "+++ superseded by execve in
# pid T +++" (T the thread's tid before the exec), not an exit, as in strace;
# -qqq leaves it out.
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
		n=$(grep -cE "^$leader +\+\+\+ exited with" trace.raw)
		[ "$n" -eq 1 ] || { echo "FAIL: $what: $n exit lines for $leader, expected 1 (the end)"; show trace.raw 400; exit 1; }
		execer=$(grep -E '^[0-9]+ +execve\("/bin/echo", ' trace.raw | awk 'NR == 1 { print $1 }')
		if [ "$variant" = thread ]; then
			[ -n "$execer" ] && [ "$execer" != "$leader" ] ||
				fail "$what: the execve of echo is not under another thread's tid: $(grep 'execve("/bin/echo"' trace.raw)"
			expect_grep trace.raw "^$leader +\+\+\+ superseded by execve in pid $execer \+\+\+$" \
				"$what: the leader superseded by $execer"
			# and then the execve completes under the leader's pid.
			sed -n "/superseded by execve/,\$p" trace.raw | grep -qE "^$leader +<\.\.\. execve resumed>\) += 0$" ||
				{ echo "FAIL: $what: no '<... execve resumed>) = 0' under $leader after the superseded line"; show trace.raw 400; exit 1; }
		else
			expect_no_grep trace.raw 'superseded' "$what: an exec by the leader supersedes nothing"
		fi
		# Nothing is reported for the vanished threads after echo started.
		if [ -n "$(sed -n '/execve("\/bin\/echo", .* = 0$/,$p' trace |
			grep -vE "^$leader |^[0-9]+ \+\+\+ (exited|superseded)|^[0-9]+ (---|getppid|nanosleep|clock_nanosleep|newfstatat|stat|statx)|<unfinished \.\.\.>$")" ]; then
			echo "FAIL: $what: calls by other tasks after the execve:"
			sed -n '/execve("\/bin\/echo", .* = 0$/,$p' trace | grep -v "^$leader " | head -n 10 | sed 's/^/    | /'
			exit 1
		fi
	done
done

# -qq leaves out the exit lines but not the superseded one; -qqq both.
run out err "$FACET" trace --backend="$FACET_BACKEND" -qq -e trace=execve -o qq.raw "$EXECMT" thread
expect_status 0 "$status" "facet trace -qq helper-exec-mt thread" out err qq.raw
expect_grep qq.raw '^[0-9]+ +\+\+\+ superseded by execve in pid [0-9]+ \+\+\+$' "-qq: the superseded line"
expect_no_grep qq.raw 'exited with' "-qq: exit lines"
run out err "$FACET" trace --backend="$FACET_BACKEND" -qqq -e trace=execve -o qqq.raw "$EXECMT" thread
expect_status 0 "$status" "facet trace -qqq helper-exec-mt thread" out err qqq.raw
expect_no_grep qqq.raw 'superseded|exited with' "-qqq: superseded and exit lines"
expect_grep qqq.raw '^[0-9]+ +<\.\.\. execve resumed>\) += 0$' "-qqq: the execve still completes"
echo ok
