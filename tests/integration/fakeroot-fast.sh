#!/usr/bin/env bash
# Fake root (facet -0) shows the same owners, modes and device nodes
# whoever answers the stat family and the directory listings: the
# supervisor (--no-fast) or, in fast mode, the runtime inside each process,
# which maps the record of owners read-only (src/rt/fake.c). One session
# makes the files (chown, chmod, mknod) and then reads them back with ls,
# stat, find (getdents64's d_type), python's os.stat and os.scandir, and
# a program whose calls come from patchable sites (helper-fake-sites, also
# static): several directories, relative and absolute names, so that the
# later calls of each call site go through the runtime. Both outputs must be the expected
# ones; in fast mode on the notify back end the helper's sites must be
# patched and the record mapped, and no fd of the runtime's left open.
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
SITES=$(helper fake-sites)
SITES_STATIC=$HELPERS/helper-fake-sites-static
[ -x "$SITES_STATIC" ] || { note "helper-fake-sites-static was not built (no static linking here)"; SITES_STATIC=; }
have_python=yes
command -v python3 >/dev/null 2>&1 || { note "no python3: its part is left out"; have_python=; }

# The names ls -l shows for the ids the script gives away.
name_of() { getent "$1" "$2" | cut -d: -f1 | grep . || echo "$2"; }
u5=$(name_of passwd 5)
g7=$(name_of group 7)

cat >"$TEST_TMP/script.sh" <<'EOF'
umask 022
rm -rf w && mkdir w && cd w || exit 1
touch f0 f1 f2 f3 f4 f5
chown 0:0 f1 && chown 5:7 f2 && chmod 4755 f3 && chmod 000 f4 || exit 1
mknod c c 1 3 && mknod b b 8 1 && mkdir d && chmod 0 d && chown 5:7 d || exit 1
for i in 1 2 3 4; do
	mkdir s$i && mknod s$i/c c 1 $i && mknod s$i/b b 8 $i && touch s$i/f && chown 5:7 s$i/f || exit 1
done
echo "== ls -ln"
ls -ln --time-style=+T . s1 s2 s3 s4 | awk '/^[-bcd]/ { if ($1 ~ /^[bc]/) print $1, $3, $4, $5 $6, $NF; else print $1, $3, $4, $NF }'
echo "== ls -l"
ls -ld --time-style=+T f1 f2 d c | awk '{ print $1, $3, $4, $NF }'
echo "== stat"
stat -c '%n %u:%g %A %t:%T' * s*/*
echo "== find"
find . -type c | sort
find . -type b | sort
find . -type d | sort
if [ -n "$PYTHON" ]; then
	echo "== python"
	python3 -c '
import os
for d in [".", "s1", "s2", "s3", "s4"]:
    for e in sorted(os.scandir(d), key=lambda e: e.name):
        st = os.stat(e.path, follow_symlinks=False)
        print(e.path, e.is_file(follow_symlinks=False), e.is_dir(follow_symlinks=False),
              oct(st.st_mode), st.st_uid, st.st_gid, os.major(st.st_rdev), os.minor(st.st_rdev))
'
fi
for h in $SITES; do
	echo "== $(basename "$h")"
	"$h" c b d f0 f1 f2 f3 f4 s1/c s2/b s3/f s4/c "$PWD/c" "$PWD/f2" "$PWD/s1/b"
done
EOF

expected_python() {
	[ -n "$have_python" ] || return 0
	echo "== python"
	echo "./b False False 0o60644 0 0 8 1"
	echo "./c False False 0o20644 0 0 1 3"
	echo "./d False True 0o40000 5 7 0 0"
	echo "./f0 True False 0o100644 0 0 0 0"
	echo "./f1 True False 0o100644 0 0 0 0"
	echo "./f2 True False 0o100644 5 7 0 0"
	echo "./f3 True False 0o104755 0 0 0 0"
	echo "./f4 True False 0o100000 0 0 0 0"
	echo "./f5 True False 0o100644 0 0 0 0"
	for i in 1 2 3 4; do echo "./s$i False True 0o40755 0 0 0 0"; done
	for i in 1 2 3 4; do
		echo "s$i/b False False 0o60644 0 0 8 $i"
		echo "s$i/c False False 0o20644 0 0 1 $i"
		echo "s$i/f True False 0o100644 5 7 0 0"
	done
}

{
	echo "== ls -ln"
	printf '%s\n' "brw-r--r-- 0 0 8,1 b" "crw-r--r-- 0 0 1,3 c" "d--------- 5 7 d" "-rw-r--r-- 0 0 f0" \
		"-rw-r--r-- 0 0 f1" "-rw-r--r-- 5 7 f2" "-rwsr-xr-x 0 0 f3" "---------- 0 0 f4" "-rw-r--r-- 0 0 f5"
	for i in 1 2 3 4; do echo "drwxr-xr-x 0 0 s$i"; done
	for i in 1 2 3 4; do printf '%s\n' "brw-r--r-- 0 0 8,$i b" "crw-r--r-- 0 0 1,$i c" "-rw-r--r-- 5 7 f"; done
	echo "== ls -l"
	printf '%s\n' "crw-r--r-- root root c" "d--------- $u5 $g7 d" "-rw-r--r-- root root f1" "-rw-r--r-- $u5 $g7 f2"
	echo "== stat"
	printf '%s\n' "b 0:0 brw-r--r-- 8:1" "c 0:0 crw-r--r-- 1:3" "d 5:7 d--------- 0:0" "f0 0:0 -rw-r--r-- 0:0" \
		"f1 0:0 -rw-r--r-- 0:0" "f2 5:7 -rw-r--r-- 0:0" "f3 0:0 -rwsr-xr-x 0:0" "f4 0:0 ---------- 0:0" \
		"f5 0:0 -rw-r--r-- 0:0"
	for i in 1 2 3 4; do echo "s$i 0:0 drwxr-xr-x 0:0"; done
	for i in 1 2 3 4; do printf '%s\n' "s$i/b 0:0 brw-r--r-- 8:$i" "s$i/c 0:0 crw-r--r-- 1:$i" "s$i/f 5:7 -rw-r--r-- 0:0"; done
	echo "== find"
	printf '%s\n' ./c ./s1/c ./s2/c ./s3/c ./s4/c ./b ./s1/b ./s2/b ./s3/b ./s4/b . ./d ./s1 ./s2 ./s3 ./s4
	expected_python
} >"$TEST_TMP/expected-tools"

# What the helper must print in every mode (but its last lines).
sites_expected() {
	local round n line
	for round in 1 2; do
		for n in c b d f0 f1 f2 f3 f4 s1/c s2/b s3/f s4/c ABS/c ABS/f2 ABS/s1/b; do
			case $n in
			c | ABS/c) line="0:0 020644 1:3 0" ;;
			b) line="0:0 060644 8:1 0" ;;
			d) line="5:7 040000 0:0" ;;
			f2 | s3/f | ABS/f2) line="5:7 100644 0:0 0" ;;
			f3) line="0:0 104755 0:0 0" ;;
			f4) line="0:0 100000 0:0 0" ;;
			s1/c) line="0:0 020644 1:1 0" ;;
			s2/b) line="0:0 060644 8:2 0" ;;
			ABS/s1/b) line="0:0 060644 8:1 0" ;;
			s4/c) line="0:0 020644 1:4 0" ;;
			*) line="0:0 100644 0:0 0" ;;
			esac
			for call in stat lstat newfstatat statx fstat fstatat-empty; do
				echo "$call $n: $line"
			done
		done
		printf '%s\n' "dirent b: 6" "dirent c: 2" "dirent d: 4" "dirent f0: 8" "dirent f1: 8" "dirent f2: 8" \
			"dirent f3: 8" "dirent f4: 8" "dirent f5: 8" "dirent s1: 4" "dirent s2: 4" "dirent s3: 4" "dirent s4: 4"
	done
}

fast_yes=no
[ "$FACET_BACKEND" = notify ] && fast_yes=yes
for mode in --fast --no-fast; do
	out=$TEST_TMP/out$mode
	run "$out" "$TEST_TMP/err$mode" env PYTHON="$have_python" SITES="$SITES $SITES_STATIC" \
		"$FACET" --backend="$FACET_BACKEND" "$mode" -0 -w "$TEST_TMP" -- sh "$TEST_TMP/script.sh"
	if [ "$status" != 0 ] || [ -s "$TEST_TMP/err$mode" ]; then
		echo "FAIL: $mode: the script exited $status"
		show "$TEST_TMP/err$mode"
		_checks_failed=$((_checks_failed + 1))
		continue
	fi
	# The tools' part, then each helper's.
	sed '/^== helper-/,$d' "$out" >"$TEST_TMP/tools$mode"
	if ! diff -u "$TEST_TMP/expected-tools" "$TEST_TMP/tools$mode" >"$TEST_TMP/diff"; then
		echo "FAIL: $mode: ls, stat, find and python see other owners, modes or types"
		show "$TEST_TMP/diff" 80
		_checks_failed=$((_checks_failed + 1))
	fi
	want_patch=no want_record=absent
	[ "$mode" = --fast ] && want_patch=$fast_yes && [ "$fast_yes" = yes ] && want_record=mapped
	for h in $SITES $SITES_STATIC; do
		name=$(basename "$h")
		# Absolute names (the helper's cwd, w) as ABS.
		awk -v h="== $name" '$0 == h { on = 1; next } /^== / { on = 0 } on' "$out" |
			sed 's|^\([a-z-]*\) /[^:]*/w/|\1 ABS/|' >"$TEST_TMP/$name$mode"
		{
			sites_expected
			echo "patched: stat=$want_patch lstat=$want_patch newfstatat=$want_patch statx=$want_patch fstat=$want_patch getdents=$want_patch"
			echo "record: $want_record"
		} >"$TEST_TMP/$name.expected"
		grep -v '^fds:' "$TEST_TMP/$name$mode" >"$TEST_TMP/$name$mode.cut"
		if ! diff -u "$TEST_TMP/$name.expected" "$TEST_TMP/$name$mode.cut" >"$TEST_TMP/diff"; then
			echo "FAIL: $mode: $name sees other owners, modes or types, or its sites were not served as expected"
			show "$TEST_TMP/diff" 80
			_checks_failed=$((_checks_failed + 1))
		fi
	done
done

# The runtime's fd for the record is never left to the program: the same
# fds in both modes.
for h in $SITES $SITES_STATIC; do
	name=$(basename "$h")
	fast=$(grep '^fds:' "$TEST_TMP/$name--fast" 2>/dev/null)
	slow=$(grep '^fds:' "$TEST_TMP/$name--no-fast" 2>/dev/null)
	if [ -z "$fast" ] || [ "$fast" != "$slow" ]; then
		echo "FAIL: $name holds other fds in fast mode: '$fast', without the runtime: '$slow'"
		_checks_failed=$((_checks_failed + 1))
	fi
done
checks_done
