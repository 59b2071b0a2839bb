#!/usr/bin/env bash
# Where seccomp filters cannot be installed (here: under valgrind, which
# does not implement seccomp()), facet says that seccomp() failed and what
# that usually means, and exits 2 without running the command.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd valgrind

run out err valgrind -q "$FACET" trace --backend="$FACET_BACKEND" -o trace sh -c 'echo ran'
expect_status 2 "$status" "facet under valgrind" out err
expect_grep err '^facet: seccomp\(\) failed: .*valgrind' "the message names seccomp() and valgrind"
expect_no_grep out 'ran' "the command must not run"
echo ok
