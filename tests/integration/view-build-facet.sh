#!/usr/bin/env bash
# facet builds itself inside a view whose source tree is mounted at another
# path (a read-only bind: the build writes only its own directory), and
# its unit tests pass there.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd meson ninja cc
[ -n "${SOURCE_DIR:-}" ] && [ -f "$SOURCE_DIR/meson.build" ] || skip "no source tree given (SOURCE_DIR)"

G=/mnt/facet-source-$$
run out err facet_top -b "$SOURCE_DIR:$G:ro" -w "$G" -- sh -c \
	"meson setup '$TEST_TMP/b' >'$TEST_TMP/setup.log' 2>&1 || { cat '$TEST_TMP/setup.log'; exit 1; }
	 ninja -C '$TEST_TMP/b' facet tests/test-vfs tests/test-syscall-table tests/test-decode >'$TEST_TMP/ninja.log' 2>&1 ||
		{ tail -n 30 '$TEST_TMP/ninja.log'; exit 1; }
	 '$TEST_TMP/b/tests/test-vfs' && '$TEST_TMP/b/tests/test-syscall-table' && '$TEST_TMP/b/tests/test-decode'"
expect_status 0 "$status" "building facet and running its unit tests in a view" out err
expect_grep "$TEST_TMP/setup.log" "Source dir: $G" "meson sees the source at its guest path"
[ -x b/facet ] || fail "the build made no facet"
echo ok
