#!/usr/bin/env bash
# -s N: strings and buffers are cut after N bytes, and argv after N
# elements, exactly as strace -s N cuts them (the lines are compared with
# strace's); paths are never cut. The top-level form takes -s too.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace

ECHO=$(command -v echo) || ECHO=/bin/echo
long=hello-world-and-more-than-thirty-two-bytes-of-it

# The lines of a trace without the tid column and strace's alignment.
calls_of() {
	sed -E 's/^[0-9]+ +//; s/\) +(= )/) \1/; s/0x[0-9a-f]+ \/\* ([0-9]+) vars/ENV \/* \1 vars/' "$1" |
		grep -Ev '^\+\+\+ '
}

for n in 0 5 32 100; do
	run out err strace -f -s "$n" -o strace.raw -e trace=write,execve "$ECHO" "$long" x y z w v
	expect_status 0 "$status" "strace -s $n echo" err
	run out err facet_trace -s "$n" -o facet.raw -e trace=write,execve "$ECHO" "$long" x y z w v
	expect_status 0 "$status" "facet trace -s $n echo" out err facet.raw
	calls_of strace.raw >strace.lines
	calls_of facet.raw >facet.lines
	if ! diff -u strace.lines facet.lines >diff.out; then
		echo "FAIL: facet trace -s $n: the lines differ from strace -s $n"
		sed 's/^/    /' diff.out | head -n 20
		exit 1
	fi
	note "-s $n: $(grep -c . facet.lines) lines as strace writes them"
	# Byte for byte, alignment included, when the tids are as wide.
	sed -E 's/^[0-9]/P/; :a; s/^(P*)[0-9]/\1P/; ta' strace.raw >strace.masked
	sed -E 's/^[0-9]/P/; :a; s/^(P*)[0-9]/\1P/; ta' facet.raw >facet.masked
	if [ "$(grep -m1 -o '^P*' strace.masked)" = "$(grep -m1 -o '^P*' facet.masked)" ]; then
		grep 'write(' strace.masked >strace.write
		grep 'write(' facet.masked >facet.write
		cmp -s strace.write facet.write || {
			echo "FAIL: -s $n: the write line is not byte for byte strace's:"
			cat strace.write facet.write | sed 's/^/    | /'
			exit 1
		}
	fi
done
expect_grep facet.lines '^write\(1, "hello-world-and-more-than-thirty-two-bytes-of-it x y z w v\\n", 59\) = 59$' \
	"-s 100 shows the whole string"

# The default is 32, and the top-level form accepts -s (it implies a trace).
run out err facet_top -s 5 -o top.raw -e trace=write "$ECHO" "$long"
expect_status 0 "$status" "facet -s 5 echo" err
expect_grep top.raw '^[0-9]+ +write\(1, "hello"\.\.\., 49\) += 49$' "facet -s 5 (top-level form)"
run out err facet_trace -o default.raw -e trace=write "$ECHO" "$long"
expect_grep default.raw '^[0-9]+ +write\(1, "hello-world-and-more-than-thirty"\.\.\., 49\) += 49$' "the default -s 32"

# Paths are shown whole whatever -s says.
run out err facet_trace -s 3 -o path.raw -e trace=openat cat /etc/passwd
expect_grep path.raw '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd", O_RDONLY\) += [0-9]+$' "-s 3 leaves paths whole"
echo ok
