# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Sourced (after lib.sh) by tests/integration/view-runtime*.sh: a program
# that prints a transcript (tests/helpers/rt.h) must print the same one
# natively and inside views, in every mode of the in-process runtime.
#
#   rt_compare NAME PROGRAM [ARG...]
#
# runs PROGRAM DIR [ARG...] natively twice (the transcripts must be the
# same: the program prints nothing that varies), then in three views, each
# with --fast, --confine and --no-fast:
#   bind  facet -b SCRATCH:GUEST (GUEST a path that does not exist on the
#         host), the program by its host path, DIR = GUEST;
#   root  facet -r ROOT, a root made of the host's /usr (read-only), /proc, /dev,
#         the program's directory at /prog (read-only) and SCRATCH at
#         /scratch; the program as /prog/NAME, DIR = /scratch;
#   host  facet -b /:/, the host's own names (the runtime then lets the
#         kernel resolve absolute paths, src/rt/lookup.c), DIR = SCRATCH.
# Every run must exit 0, write nothing on stderr, leave its directory
# empty, and print the native transcript. Failures are counted in
# rt_failures; the caller ends with rt_done.
#
# RT_KNOWN lists the known differences, one per line:
#   PROGRAM BACKEND CASE    what the lines "CASE: ..." may show instead
# (BACKEND "*": any; CASE a grep basic regular expression for the case
# names, or "*": the whole run, exit status and stderr too). Such lines
# are left out of the comparison, and a note says whether they still
# differ. Lines starting with # are comments; each entry names its bug.

rt_failures=0
rt_notes=()
RT_MODES=${RT_MODES:---fast --confine --no-fast}

# A guest path that does not exist on the host.
rt_guest=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	_c=/tmp/facet-rt-view-$$-$RANDOM
	if [ ! -e "$_c" ] && [ ! -L "$_c" ]; then
		rt_guest=$_c
		break
	fi
done
[ -n "$rt_guest" ] || fail "cannot find a name under /tmp for the view's mount point that does not exist"

RT_ROOT=$TEST_TMP/rt-root
mkdir -p "$RT_ROOT/usr" "$RT_ROOT/proc" "$RT_ROOT/dev" "$RT_ROOT/prog" "$RT_ROOT/scratch" ||
	fail "cannot make the root $RT_ROOT"
# A merged-/usr root: the dynamic loader, libc and /bin/sh come from the host's /usr.
for _d in bin lib lib32 lib64 libx32 sbin; do
	[ -L "/$_d" ] && ln -s "$(readlink "/$_d")" "$RT_ROOT/$_d"
done

# _rt_known PROGRAM BACKEND: the CASE names RT_KNOWN allows to differ for them.
_rt_known() {
	local p b c
	while read -r p b c _; do
		[ -n "$p" ] || continue
		case $p in \#*) continue ;; esac
		[ "$p" = "$1" ] || continue
		[ "$b" = "*" ] || [ "$b" = "$FACET_BACKEND" ] || continue
		echo "$c"
	done <<<"${RT_KNOWN:-}"
}

# _rt_strip FILE CASES...: FILE without the lines of those cases.
_rt_strip() {
	local f=$1
	shift
	local c args=()
	for c in "$@"; do
		args+=(-e "^$c: ")
	done
	if [ ${#args[@]} = 0 ]; then
		cat "$f"
	else
		grep -v "${args[@]}" "$f" || true
	fi
}

_rt_empty() { # DIR WHAT
	if [ -n "$(ls -A "$1")" ]; then
		echo "FAIL: $2 left files in its directory:"
		ls -lAR "$1" | head -n 20 | sed 's/^/    /'
		rm -rf "${1:?}"/* "${1:?}"/.[!.]* 2>/dev/null
		rt_failures=$((rt_failures + 1))
	fi
}

rt_compare() {
	local name=$1 prog=$2
	shift 2
	local native=$TEST_TMP/rt-native-$name scratch=$TEST_TMP/rt-scratch-$name
	mkdir -p "$native" "$scratch" || fail "cannot make directories for $name"

	# Natively, twice.
	local i
	for i in 1 2; do
		run "$name.native$i" "$name.native$i.err" "$prog" "$native" "$@"
		expect_status 0 "$status" "$name natively" "$name.native$i" "$name.native$i.err"
		expect_empty "$name.native$i.err" "$name natively wrote to stderr"
		_rt_empty "$native" "$name natively"
	done
	if ! cmp -s "$name.native1" "$name.native2"; then
		echo "FAIL: two native runs of $name differ: it prints something that varies between runs"
		diff -u --label "run 1" --label "run 2" "$name.native1" "$name.native2" | head -n 40 | sed 's/^/    /'
		exit 1
	fi

	local known=() whole=
	mapfile -t known < <(_rt_known "$name")
	for i in "${known[@]}"; do
		[ "$i" = "*" ] && whole=yes
	done

	local mode view out what
	cp "$prog" "$RT_ROOT/prog/$name" 2>/dev/null || fail "cannot copy $prog"
	for mode in $RT_MODES; do
		for view in bind root host; do
			out=$name$mode.$view
			what="$name in facet $mode ($view view)"
			if [ "$view" = bind ]; then
				run "$out" "$out.err" facet_top "$mode" -b "$scratch:$rt_guest" -- "$prog" "$rt_guest" "$@"
			elif [ "$view" = host ]; then
				run "$out" "$out.err" facet_top "$mode" -b /:/ -- "$prog" "$scratch" "$@"
			else
				run "$out" "$out.err" facet_top "$mode" -r "$RT_ROOT" -b /usr:/usr:ro -b /proc:/proc -b /dev:/dev \
					-b "$scratch:/scratch" -- "/prog/$name" /scratch "$@"
			fi
			if [ -e "$rt_guest" ] || [ -L "$rt_guest" ]; then
				rm -rf "$rt_guest"
				fail "the view created its mount point $rt_guest on the host"
			fi
			if [ -n "$whole" ]; then
				rm -rf "${scratch:?}"/* "${scratch:?}"/.[!.]* 2>/dev/null
				if [ "$status" != 0 ] || [ -s "$out.err" ] || ! cmp -s "$name.native1" "$out"; then
					rt_notes+=("known bug: $what differs (exit status $status; RT_KNOWN: $name $FACET_BACKEND *)")
				else
					rt_notes+=("fixed? $what is as native although RT_KNOWN lists it for $FACET_BACKEND")
				fi
				continue
			fi
			_rt_empty "$scratch" "$what"
			if [ "$status" != 0 ] || [ -s "$out.err" ]; then
				echo "FAIL: $what: exit status $status"
				[ ! -s "$out.err" ] || show "$out.err" 15
				diff -u --label native --label view "$name.native1" "$out" | head -n 30 | sed 's/^/    /'
				rt_failures=$((rt_failures + 1))
				continue
			fi
			if ! cmp -s <(_rt_strip "$name.native1" "${known[@]}") <(_rt_strip "$out" "${known[@]}"); then
				echo "FAIL: $what differs from native (- native, + view):"
				diff -u --label native --label view <(_rt_strip "$name.native1" "${known[@]}") \
					<(_rt_strip "$out" "${known[@]}") | head -n 60 | sed 's/^/    /'
				rt_failures=$((rt_failures + 1))
			fi
			for i in "${known[@]}"; do
				if cmp -s <(grep "^$i: " "$name.native1") <(grep "^$i: " "$out"); then
					rt_notes+=("fixed? $what: '$i' is as native although RT_KNOWN lists it for $FACET_BACKEND")
				else
					rt_notes+=("known bug: $what: $(grep "^$i: " "$out" | head -n 1) (native: $(grep "^$i: " "$name.native1" | head -n 1))")
				fi
			done
		done
	done
}

rt_done() {
	local n
	for n in "${rt_notes[@]}"; do
		note "$n"
	done
	[ "$rt_failures" = 0 ] || fail "$rt_failures run(s) differ from native"
	[ "$_checks_failed" = 0 ] || fail "$_checks_failed check(s) failed (see above)"
	echo ok
}
