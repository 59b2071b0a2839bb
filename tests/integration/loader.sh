#!/usr/bin/env bash
# facet's loader, driven by helper-loader-run as the supervisor will drive
# it (plan below the stack pointer at the exec stop, %rdi), without a view:
# programs of every kind print the same through the loader as after a
# kernel exec; a broken plan or program gives one line and status 127; the
# loader itself is a static executable linked at its fixed address below
# 2 GiB, without relocations, with facet's runtime inside.
#
# What the loader cannot make equal is checked as such: /proc/self/exe
# (and the loader's own mappings in /proc/self/maps) show the loader.
# The test does not use facet's back ends: both runs check the same.
set -u
source "$(dirname "$0")/../lib.sh"

LOADER=$(dirname "$FACET")/facet-loader
[ -x "$LOADER" ] || skip "no facet-loader next to $FACET (not built for this machine)"
RUN=$(helper loader-run)
PROBE=$(helper loader-probe)
need_cmd readelf

# same WHAT CMD...: CMD prints the same and exits the same natively and
# through the loader, in the same small environment, both run by the
# command in the array $wrap if it is set.
wrap=()
same() {
	local what=$1 native_status
	shift
	run native.out native.err "${wrap[@]}" env -i PATH=/usr/bin:/bin LC_ALL=C FOO='x y' "$@"
	native_status=$status
	run loader.out loader.err "${wrap[@]}" env -i PATH=/usr/bin:/bin LC_ALL=C FOO='x y' "$RUN" "$LOADER" "$@"
	expect_status "$native_status" "$status" "$what through the loader" loader.out loader.err
	if ! cmp -s native.out loader.out; then
		echo "FAIL: $what: the output through the loader differs from the native one"
		diff native.out loader.out | head -n 40 | sed 's/^/    | /'
		show loader.err
		exit 1
	fi
	cmp -s native.err loader.err || { echo "FAIL: $what: stderr differs"; show native.err; show loader.err; exit 1; }
}

# fails WHAT ERE CMD...: CMD exits 127 with nothing on stdout and exactly
# one line on stderr, matching ERE.
fails() {
	local what=$1 ere=$2
	shift 2
	run out err "$@"
	expect_status 127 "$status" "$what" out err
	expect_empty out "$what: stdout"
	[ "$(wc -l <err)" = 1 ] || { echo "FAIL: $what: not one line on stderr"; show err; exit 1; }
	expect_grep err "$ere" "$what"
}

# --- the loader as built ---------------------------------------------------------
readelf -r "$LOADER" >relocs.txt 2>&1 || fail "readelf -r $LOADER failed"
expect_grep relocs.txt '^There are no relocations in this file\.$' "facet-loader has relocations"
readelf -lW "$LOADER" >phdrs.txt 2>&1 || fail "readelf -l $LOADER failed"
expect_grep phdrs.txt '^Elf file type is EXEC' "facet-loader is not linked at a fixed address"
expect_grep phdrs.txt '^  LOAD  *0x[0-9a-f]* 0x0*7e00[0-9a-f]* .* R E ' "facet-loader's code is not at 0x7e000000 (src/loader/meson.build)"
expect_grep phdrs.txt '^  LOAD  *0x[0-9a-f]* 0x0*050ef000 .* R  ' "the runtime's site table is not at 0x050f0000 (src/rt/config.h)"
nm "$LOADER" >syms.txt 2>&1 || fail "nm $LOADER failed"
expect_grep syms.txt ' rt_gate_forward$' "facet-loader has no runtime forwarding instruction (src/rt/)"
expect_no_grep phdrs.txt 'INTERP' "facet-loader asks for an interpreter"
expect_grep phdrs.txt 'GNU_STACK .* RW  ' "facet-loader's stack is not non-executable"

# --- programs of every kind --------------------------------------------------------
for kind in '' -nopie -static -static-pie -execstack; do
	p=$HELPERS/helper-loader-probe$kind
	if [ ! -x "$p" ]; then
		note "helper-loader-probe$kind not built (the toolchain cannot link it)"
		continue
	fi
	same "helper-loader-probe$kind" "$p" one 'two  three' ''
	grep -q '^AT_PHDR is its program headers: yes$' loader.out ||
		fail "helper-loader-probe$kind: AT_PHDR is wrong natively or through the loader"
	# Without randomization the addresses themselves must match: the
	# program and its heap where the kernel puts them.
	if command -v setarch >/dev/null 2>&1; then
		wrap=(setarch -R)
		same "setarch -R helper-loader-probe$kind" "$p"
		wrap=()
	fi
done
grep -q '^stack: rwxp$' loader.out || fail "the execstack probe's stack is not executable through the loader"

cat=$(type -P cat) || skip "cat not found"
if command -v setarch >/dev/null 2>&1; then
	run native.out - setarch -R "$cat" /proc/self/maps
	run loader.out - setarch -R "$RUN" "$LOADER" "$cat" /proc/self/maps
	grep -E " $cat\$|\[heap\]" native.out >native.maps
	grep -E " $cat\$|\[heap\]" loader.out >loader.maps
	[ -s native.maps ] && cmp -s native.maps loader.maps ||
		{ echo "FAIL: setarch -R cat /proc/self/maps: the program or its heap moved"; show native.maps; show loader.maps; exit 1; }
fi

same "true" "$(type -P true)"
same "false" "$(type -P false)"
same "echo" "$(type -P echo)" hello '  world'
same "ls /" "$(type -P ls)" /
same "cat /proc/self/cmdline" "$cat" /proc/self/cmdline
same "cat /proc/self/comm" "$cat" /proc/self/comm
same "sh -c 'exit 3'" "$(type -P sh)" -c 'exit 3'
# Killed by a signal (helper-loader-run says 128+N, as the shell would).
run out err "$RUN" "$LOADER" "$(type -P sh)" -c 'kill -TERM $$'
expect_status 143 "$status" "sh killed by SIGTERM through the loader" out err
# Many arguments: the plan still fits below the pointer arrays.
mapfile -t many < <(seq 1 5000)
same "echo with 5000 arguments" "$(type -P echo)" "${many[@]}"
# An ELF python3 (not a wrapper script such as pyenv's: scripts are the
# supervisor's business, the loader maps ELF files only).
py=
for c in /usr/bin/python3 /usr/local/bin/python3 "$(type -P python3)"; do
	if [ -x "$c" ] && [ "$(head -c 4 "$c" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		py=$c
		break
	fi
done
if [ -n "$py" ]; then
	same "python3 -c" "$py" -c 'import sys, os, json; print(sys.argv, sys.executable, sys.prefix, os.environ["FOO"], json.dumps({"a": 1}))'
else
	note "no ELF python3 installed: not tried"
fi

# --- what cannot be equal ------------------------------------------------------------
readlink=$(type -P readlink) || skip "readlink not found"
run out - "$RUN" "$LOADER" "$readlink" /proc/self/exe
[ "$(cat out)" = "$(readlink -f "$LOADER")" ] ||
	fail "/proc/self/exe through the loader: expected the loader (a known difference), got $(cat out)"

# --- extra images at fixed addresses ------------------------------------------------
# (a position-independent image: the loader itself is linked where it runs)
EXTRA=$HELPERS/helper-loader-probe-static-pie
run out err "$RUN" --extra="$EXTRA@200000000" "$LOADER" "$PROBE" --peek=200000000
expect_status 0 "$status" "an extra image at 0x200000000" out err
expect_grep out '^peek: 7f ELF$' "the extra image is not at 0x200000000"
fails "two extra images at one address" '^facet: loader: extra image .*: its addresses are in use: EEXIST$' \
	"$RUN" --extra="$EXTRA@200000000" --extra="$EXTRA@200000000" "$LOADER" "$PROBE"
fails "an image linked elsewhere" '^facet: loader: extra image .*: an ET_EXEC image cannot move to the address asked: EINVAL$' \
	"$RUN" --extra="$LOADER@200000000" "$LOADER" "$PROBE"

# --- errors ----------------------------------------------------------------------------
fails "facet-loader started by hand" '^facet: loader: no load plan: .*: EINVAL$' "$LOADER" "$PROBE"
fails "a plan with a bad magic" '^facet: loader: load plan: bad magic: EPROTO$' \
	"$RUN" --corrupt=magic "$LOADER" "$PROBE"
fails "a plan of another version" '^facet: loader: load plan: .*version.*: EPROTO$' \
	"$RUN" --corrupt=version "$LOADER" "$PROBE"
fails "a plan with a bad size" '^facet: loader: load plan: bad size: EINVAL$' \
	"$RUN" --corrupt=size "$LOADER" "$PROBE"
fails "a missing program" "^facet: loader: program $TEST_TMP/missing: cannot open: ENOENT\$" \
	"$RUN" "$LOADER" "$TEST_TMP/missing"
printf '#!/bin/sh\necho hi\n' >script
chmod +x script
fails "a program that is not ELF" "^facet: loader: program $TEST_TMP/script: not an ELF file: ENOEXEC\$" \
	"$RUN" "$LOADER" "$TEST_TMP/script"
fails "an interpreter that is not ELF" '^facet: loader: interpreter of .*: not an ELF file: ELIBBAD$' \
	"$RUN" --interp="$TEST_TMP/script" "$LOADER" "$PROBE"
fails "a dynamic program without its interpreter" '^facet: loader: program .*: has an interpreter the plan does not give: EINVAL$' \
	"$RUN" --no-interp "$LOADER" "$PROBE"
exit 0
