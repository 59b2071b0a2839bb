#!/usr/bin/env bash
# An AddressSanitizer program ends under facet as under strace -f: its
# LeakSanitizer clones an untraced helper that tries to ptrace the program;
# that helper stays traced, cannot attach, and the program exits at once
# instead of spinning, whatever is traced.
set -u
source "$(dirname "$0")/../lib.sh"

ASAN="$HELPERS/helper-asan-leak"
[ -x "$ASAN" ] || skip "helper-asan-leak was not built: the compiler cannot link AddressSanitizer programs (libasan)"

# Natively LeakSanitizer reports the leak and the program exits non-zero.
run native.out native.err "$ASAN"
[ "$status" -ne 0 ] || fail "natively, helper-asan-leak exited 0: LeakSanitizer did not run"
expect_grep native.err 'LeakSanitizer' "natively, LeakSanitizer's report"

want=1
if command -v strace >/dev/null 2>&1; then
	run strace.out strace.err timeout 60 strace -f -o /dev/null "$ASAN"
	want=$status
fi

for set in all %file %process none; do
	run out err timeout 60 "$FACET" trace --backend="$FACET_BACKEND" -e "trace=$set" -o trace "$ASAN"
	[ "$status" -ne 124 ] || fail "trace=$set: the ASan program did not end within 60 s under facet"
	expect_status "$want" "$status" "trace=$set: exit status (as under strace -f)" err
	expect_grep err 'LeakSanitizer' "trace=$set: LeakSanitizer's message"
done
echo ok
