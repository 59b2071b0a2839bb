#!/usr/bin/env bash
# A program that bypasses the in-process runtime cannot open a file the
# view does not show. helper-bypass (static) runs in a root that holds
# nothing but itself (and /proc), and tries to open a host file outside
# that root: with its own syscall instruction (the view must answer
# ENOENT, in every mode), and by jumping to every syscall instruction of
# facet's loader and runtime mappings, which the runtime's filter admits
# by instruction pointer in the fast mode: there only Landlock (a ruleset
# equal to the view's mounts) can refuse, so that part needs Landlock.
# Under --confine nothing is admitted by instruction pointer, and
# --no-fast has no runtime: a jump must fail there whatever the kernel.
#
# The file is named both by its host path and through /proc/self/root
# (which, unseen by the view, is the host's root). First, natively, the
# program must succeed through a fake mapping named like the runtime
# (so that "none opened" in a view means something).
set -u
. "$(dirname "$0")/../lib.sh"

BYPASS=$HELPERS/helper-bypass
[ -x "$BYPASS" ] || skip "helper-bypass was not built (no static linking here)"

SECRET=$TEST_TMP/secret
echo "facet-bypass-secret: the view must not show this file" >"$SECRET" || fail "cannot write $SECRET"
chmod 644 "$SECRET"

# --- the program itself, natively ---------------------------------------------------------
# Bytes: nop; syscall; ret; nop; syscall; nop; xor %rax,%rax; syscall; ud2.
FAKE=$TEST_TMP/fake-facet-loader.bin
printf '\x90\x0f\x05\xc3\x90\x0f\x05\x90\x48\x31\xc0\x0f\x05\x0f\x0b' >"$FAKE"
case $(uname -m) in
x86_64)
	run self.out self.err "$BYPASS" --map "$FAKE" "$SECRET"
	expect_status 0 "$status" "helper-bypass --map $FAKE natively" self.out self.err
	expect_grep self.out '^direct: opened$' "natively, the program opens the file with its own syscall"
	expect_grep self.out '^site fake-facet-loader.bin\+0x1 \(syscall; ret\): opened$' \
		"natively, the program opens the file through a 'syscall; ret' of a mapping named like the runtime"
	expect_grep self.out '^site fake-facet-loader.bin\+0x5: opened \(then SIGILL\)$' \
		"natively, the program survives a site not followed by ret, and sees the file opened"
	expect_grep self.out '^bypass: opened through 3 site\(s\) of 3 tried$' "natively, every site opens the file"
	;;
*) skip "helper-bypass jumps to x86-64 syscall instructions only ($(uname -m))" ;;
esac

# --- Landlock ------------------------------------------------------------------------------
# securityfs lists the active security modules, where it is mounted; the
# system call says it where it is not.
landlock=
if [ -r /sys/kernel/security/lsm ]; then
	grep -qw landlock /sys/kernel/security/lsm && landlock="listed in /sys/kernel/security/lsm"
fi
if [ -z "$landlock" ]; then
	st=0
	abi=$("$BYPASS" --landlock-abi 2>&1) || st=$?
	abi=${abi#landlock: }
	[ "$st" != 0 ] || landlock="$abi (landlock_create_ruleset)"
fi
note "Landlock: ${landlock:-none: $abi}"

# --- in a view that does not show the file -----------------------------------------------------
ROOT=$TEST_TMP/root
mkdir -p "$ROOT/proc" || fail "cannot make $ROOT"
cp "$BYPASS" "$ROOT/helper-bypass" || fail "cannot copy $BYPASS"
failures=0
no_runtime=
for mode in --fast --confine --no-fast; do
	for target in "$SECRET" "/proc/self/root$SECRET"; do
		out=bypass$mode.$(basename "$(dirname "$target")").out
		run "$out" "$out.err" facet_top "$mode" -r "$ROOT" -b /proc:/proc -- /helper-bypass "$target"
		if [ "$status" != 0 ]; then
			echo "FAIL: facet $mode -r ROOT -- helper-bypass $target: exit status $status"
			show "$out"
			show "$out.err" 10
			failures=$((failures + 1))
			continue
		fi
		if ! grep -q '^direct: ' "$out"; then
			echo "FAIL: facet $mode: helper-bypass $target printed no 'direct:' line"
			show "$out"
			failures=$((failures + 1))
			continue
		fi
		if ! grep -qx 'direct: ENOENT' "$out"; then
			echo "FAIL: facet $mode: a path outside the view ($target) opened with the program's own syscall:"
			show "$out"
			failures=$((failures + 1))
		fi
		if grep -qx 'no runtime mapping' "$out"; then
			[ "$mode" = --fast ] && no_runtime=yes
			continue
		fi
		expect_grep "$out" '^bypass: ' "facet $mode: helper-bypass $target ran to its end"
		if grep -q '^bypass: opened' "$out"; then
			if [ "$mode" = --fast ] && [ -z "$landlock" ]; then
				note "facet --fast without Landlock: the bypass opened $target (expected: no Landlock)"
				continue
			fi
			echo "FAIL: facet $mode: jumping to facet's own syscall instructions opens $target outside the view${landlock:+ (Landlock: $landlock)}:"
			grep -E '^(site .*: opened|bypass:)' "$out" | head -n 20 | sed 's/^/    | /'
			failures=$((failures + 1))
		fi
	done
done
[ "$failures" = 0 ] || fail "$failures failure(s): a program can open what its view does not show"
[ -n "$landlock" ] || skip "kernel has no Landlock ($abi): the fast mode cannot refuse a bypass"
[ -z "$no_runtime" ] || skip "no in-process runtime in this build (no facet-loader mapping in the fast mode)"
echo ok
