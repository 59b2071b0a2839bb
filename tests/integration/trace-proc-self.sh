#!/usr/bin/env bash
# The supervisor performs stat/access/readlink for the tracee; names that mean
# "the caller" (/proc/self, /proc/thread-self, /dev/stdin, /dev/fd/N) must
# still mean the traced process, not facet. Compares a traced run with a
# native one, each reporting about itself.
set -u
. "$(dirname "$0")/../lib.sh"

# Each line is made so that native and traced runs print the same thing:
# pids are compared with the shell's view of the same process.
script='
[ "$(readlink /proc/self/exe)" = "$(command -v readlink)" ] && echo exe-ok
readlink /proc/self >"$TEST_TMP/self.$$"; echo "self-is-readlink $(($(cat "$TEST_TMP/self.$$") > $$))"
stat -L -c %i /dev/stdin; stat -L -c %i /dev/fd/0; stat -L -c %i /proc/self/fd/0
test -r /dev/stdin && echo stdin-readable
stat -c %F /dev/stdin
[ "$(readlink /proc/thread-self | cut -d/ -f2)" = task ] && echo thread-self-ok
'
export TEST_TMP
echo hello >"$TEST_TMP/in"
sh -c "$script" <"$TEST_TMP/in" >"$TEST_TMP/native" 2>&1
facet_trace -o "$TEST_TMP/trace" -e trace=%file sh -c "$script" <"$TEST_TMP/in" >"$TEST_TMP/traced" 2>&1 \
	|| fail "facet trace exited $?: $(cat "$TEST_TMP/traced")"
grep -q exe-ok "$TEST_TMP/native" || skip "readlink /proc/self/exe does not name readlink natively here"
diff -u "$TEST_TMP/native" "$TEST_TMP/traced" || fail "a traced process saw facet where it asked about itself"
grep -q 'readlink("/proc/self/exe"' "$TEST_TMP/trace" || grep -q 'readlinkat(AT_FDCWD, "/proc/self/exe"' "$TEST_TMP/trace" \
	|| fail "the readlink of /proc/self/exe was not traced"
exit 0
