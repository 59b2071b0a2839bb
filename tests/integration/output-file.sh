#!/usr/bin/env bash
# -o FILE: the trace goes to FILE (created or truncated), nothing to stderr;
# without -o it goes to stderr; the command's own output is untouched.
set -u
source "$(dirname "$0")/../lib.sh"

run out err facet_trace -o trace cat /etc/passwd
expect_status 0 "$status" "facet trace -o F cat /etc/passwd" out err trace
expect_empty err "facet trace -o F: stderr"
cmp -s out /etc/passwd || fail "cat's output changed under facet trace -o F"
expect_grep trace '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd", O_RDONLY(\|O_CLOEXEC)?\) += [0-9]+$' "the open of /etc/passwd in the trace file"
expect_grep trace '^[0-9]+ +execve\("[^"]*cat", \[' "the execve of cat in the trace file"
expect_grep trace '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "cat's exit in the trace file"
expect_no_grep trace '^[^0-9]' "lines without a pid in the trace file"

# An existing file is truncated, not appended to.
printf 'stale-line-facet-test\n%.0s' $(seq 1000) >trace
run out err facet_trace -o trace true
expect_status 0 "$status" "facet trace -o EXISTING true" out err
expect_no_grep trace 'stale-line-facet-test' "facet trace -o EXISTING"
expect_grep trace '^[0-9]+ +execve\(' "the execve of true in the rewritten file"

# A relative path is relative to facet's working directory, even when the
# command changes directory.
mkdir -p sub
run out err facet_trace -o rel.trace sh -c 'cd sub && cat /etc/passwd >/dev/null'
expect_status 0 "$status" "facet trace -o rel.trace sh -c 'cd sub; ...'" out err
[ -s rel.trace ] || fail "the relative -o file is not in facet's working directory"
[ ! -e sub/rel.trace ] || fail "the relative -o file went to the command's directory"

# Without -o: the trace on stderr, with the command's own stderr.
run out err facet_trace sh -c 'cat /etc/passwd; echo to-stderr >&2'
expect_status 0 "$status" "facet trace sh -c 'cat; echo >&2'" out err
cmp -s out /etc/passwd || fail "the command's stdout changed when the trace goes to stderr"
expect_grep err '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd"' "the trace on stderr"
expect_grep err 'to-stderr' "the command's own stderr"

# The command cannot see the trace file: no descriptor of it leaks into it.
run out err facet_trace -o trace sh -c 'ls -l /proc/$$/fd'
expect_status 0 "$status" "facet trace -o F sh -c 'ls -l /proc/\$\$/fd'" out err
expect_no_grep out "$TEST_TMP/trace" "a descriptor of the trace file in the command"

# An -o file that cannot be created: an error, and the command does not run.
run out err facet_trace -o /nonexistent-dir/trace sh -c 'echo ran'
[ "$status" -ne 0 ] || fail "facet trace -o /nonexistent-dir/trace succeeded"
expect_grep err 'nonexistent-dir' "the message names the bad output file"
expect_no_grep out 'ran' "the command ran though the output file could not be opened"
echo ok
