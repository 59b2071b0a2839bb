#!/usr/bin/env bash
# The view's command line: every bad value gets one line that names the
# option and the problem, exit 2, and nothing runs (nothing is created on
# the host either); a view without a command runs /bin/sh; --help lists
# the options with PRoot's short forms.
set -u
source "$(dirname "$0")/../lib.sh"

mkdir -p host/dir
echo data >host/file

# bad_view WHAT PATTERN ARGS...: facet ARGS touch ran must exit 2 with one
# line matching PATTERN, and not run the command.
bad_view() {
	local what=$1 pattern=$2
	shift 2
	rm -f ran
	run out err facet_top "$@" -- touch "$TEST_TMP/ran"
	expect_status 2 "$status" "$what" err
	expect_grep err "$pattern" "$what: the message"
	[ "$(wc -l <err)" -eq 1 ] || { echo "FAIL: $what: the message is not one line:"; show err; exit 1; }
	[ ! -e ran ] || fail "$what: the command ran"
}

bad_view "-b of a missing host path" '^facet: -b .*host/nope: No such file or directory$' -b "$TEST_TMP/host/nope:/x"
bad_view "-b with a relative guest" "^facet: -b .*: the guest path must be absolute, not 'relative'$" -b "$TEST_TMP/host/dir:relative"
bad_view "-b with an empty host" '^facet: -b :/x: the host path is empty' -b ":/x"
bad_view "two mounts at one guest path" '^facet: two mounts at /x' -b "$TEST_TMP/host/dir:/x" -b "$TEST_TMP/host/file:/x/"
bad_view "-r of a missing directory" '^facet: -r .*/nope: No such file or directory$' -r "$TEST_TMP/nope"
bad_view "-r of a file" '^facet: -r .*/file: not a directory$' -r "$TEST_TMP/host/file"
bad_view "-r given twice" '^facet: -r .*: the root is given twice$' -r "$TEST_TMP/host/dir" -r "$TEST_TMP/host/dir"
bad_view "-w relative" '^facet: -w sub: the directory must be an absolute path' -w sub -b "$TEST_TMP/host/dir:/x"
bad_view "-w outside the view" '^facet: the starting directory /nope: No such file or directory$' -r "$TEST_TMP/host/dir" -w /nope
bad_view "-w of a file" '^facet: the starting directory /x: Not a directory$' -b "$TEST_TMP/host/file:/x" -w /x
bad_view "a mount point under a file" 'is not a directory in the view' -b "$TEST_TMP/host/dir:$TEST_TMP/host/file/sub"
run out err "$FACET" -b
expect_status 2 "$status" "facet -b (no argument)" err
expect_grep err "^facet: option '-b' needs an argument" "facet -b: the message"

# Nothing was created on the host for the mount points.
[ ! -e /x ] || fail "a view created /x on the host"

# Without a command, a view runs /bin/sh (as PRoot does).
out=$(echo 'echo shell ran in $PWD' | "$FACET" --backend="$FACET_BACKEND" -b "$TEST_TMP/host/dir:/mnt/facet-view-$$" -w "/mnt/facet-view-$$")
[ "$out" = "shell ran in /mnt/facet-view-$$" ] || fail "facet -b ... without a command: printed '$out'"

# --help names the view options, PRoot's way.
run out err "$FACET" --help
for opt in '-r, --rootfs=ROOT' '-R ROOT' '-b, --bind=HOST\[:GUEST\]\[:ro\]' '-w, --cwd=DIR'; do
	expect_grep out "$opt" "facet --help lists $opt"
done
echo ok
