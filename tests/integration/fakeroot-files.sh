#!/usr/bin/env bash
# Fake root's files (facet -0): chown, chmod bits the real user cannot keep,
# device nodes, and what tools that copy or archive files make of them —
# cp -a, tar -p, dpkg-deb --build — the same in fast mode and with the
# supervisor alone. What the tree did shows inside; outside, the files are
# the real user's, still usable by the real user, and archives made inside
# carry the owners the tree gave.
set -u
source "$(dirname "$0")/../lib.sh"

need_cmd tar
need_cmd install

# The script the tree runs; one line per check.
cat >"$TEST_TMP/inside.sh" <<'EOF2'
set -u
touch f && chown 0:0 f && echo "chown 0:0: $(stat -c %u:%g f)"
touch g && chown 5:7 g && echo "chown 5:7: $(stat -c %u:%g g)"
chown :9 g && echo "chown :9: $(stat -c %u:%g g)"
echo "new file: $(stat -c %u:%g f)"
install -o root -g root -m 4755 /bin/true t && echo "install: $(stat -c '%A %U %G' t)"
chown 1 t && echo "chown drops setuid: $(stat -c '%A %u' t)"
mknod d c 1 3 && echo "mknod: $(stat -c '%F %t,%T %U:%G %s' d)"
mknod b b 8 1 && echo "mknod block: $(stat -c '%F %t,%T' b)"
chmod 640 d && echo "chmod device: $(stat -c '%A' d)"
mkfifo p && echo "mkfifo: $(stat -c %F p)"
echo data >r && chmod 000 r && echo "chmod 000: $(stat -c %a r) $(cat r)"
mkdir dd && chmod 0 dd && touch dd/in && echo "chmod 0 dir: $(stat -c %a dd) $(ls dd)"
chmod 1777 dd && echo "sticky: $(stat -c %A dd)"
mkdir -p tree/sub && echo x >tree/sub/a && chown -R 1:1 tree/sub && chown 2:3 tree/sub/a
chmod 4711 tree/sub/a
cp -a tree copy && echo "cp -a: $(stat -c '%u:%g %a' copy/sub copy/sub/a | tr '\n' ' ')"
tar -cpf t.tar tree && mkdir x && tar -xpf t.tar -C x && echo "tar -p: $(stat -c '%u:%g %a' x/tree/sub x/tree/sub/a | tr '\n' ' ')"
ln tree/sub/a hard && echo "hard link: $(stat -c %u:%g hard)"
mv g g2 && echo "rename: $(stat -c %u:%g g2)"
python3 -c 'import os; s = os.stat("d"); print("python:", s.st_uid, os.major(s.st_rdev), os.minor(s.st_rdev))'
echo "ls: $(ls -l d | cut -d' ' -f1,3,4,5,6)"
echo "find -type c: $(find . -type c | sort | tr '\n' ' ')"
rm g2 && touch g3 && echo "after rm: $(stat -c %u:%g g3)"
ls -ln --time-style=+ . | awk 'NR > 1 { print "ln:", $1, $3, $4, $NF }'
mkdir m && cd m || exit 1
touch s && chown 5:5 s && python3 -c 'import os; os.rename("s", "./s")' && echo "rename onto itself: $(stat -c %u:%g s)"
mkdir sg && chgrp 50 sg && chmod 2775 sg && touch sg/f && mkdir sg/sub &&
	echo "set-group-ID dir: $(stat -c %g sg/f) $(stat -c '%g %A' sg/sub)"
python3 -c '
import errno, os
for what, call in (("fchmod", lambda: os.fchmod(-100, 0o700)), ("fchown", lambda: os.fchown(-100, 1, 1))):
    try:
        call()
        print(what, "AT_FDCWD: ok")
    except OSError as e:
        print(what, "AT_FDCWD:", errno.errorcode[e.errno])
fd = os.open(".", os.O_PATH)
try:
    os.fchmod(fd, 0o700)
    print("fchmod O_PATH: ok")
except OSError as e:
    print("fchmod O_PATH:", errno.errorcode[e.errno])
'
# Last: the tree may cut the file its runtimes map the record from (in
# fast mode, at 0x05100000). The supervisor keeps its own copy; a process
# that had it mapped faults at its next stat (this shell: so nothing
# after this, and stat by its full name, which the shell looks up in no
# directory); one started after maps nothing and asks the supervisor.
o=$(awk '$1 ~ /^0*5100000-/ { print $6; exit }' /proc/self/maps)
[ -z "$o" ] || truncate -s 0 "$o" 2>/dev/null || true
exec /usr/bin/stat -c 'record file cut: %u:%g' s
EOF2

cat >"$TEST_TMP/expected" <<'EOF2'
chown 0:0: 0:0
chown 5:7: 5:7
chown :9: 5:9
new file: 0:0
install: -rwsr-xr-x root root
chown drops setuid: -rwxr-xr-x 1
mknod: character special file 1,3 root:root 0
mknod block: block special file 8,1
chmod device: crw-r-----
mkfifo: fifo
chmod 000: 0 data
chmod 0 dir: 0 in
sticky: drwxrwxrwt
cp -a: 1:1 755 2:3 4711 
tar -p: 1:1 755 2:3 4711 
hard link: 2:3
rename: 5:9
python: 0 1 3
ls: crw-r----- root root 1, 3
find -type c: ./d 
after rm: 0:0
ln: brw-r--r-- 0 0 b
ln: drwxr-xr-x 0 0 copy
ln: crw-r----- 0 0 d
ln: drwxrwxrwt 0 0 dd
ln: -rw-r--r-- 0 0 f
ln: -rw-r--r-- 0 0 g3
ln: -rws--x--x 2 3 hard
ln: prw-r--r-- 0 0 p
ln: ---------- 0 0 r
ln: -rwxr-xr-x 1 0 t
ln: -rw-r--r-- 0 0 t.tar
ln: drwxr-xr-x 0 0 tree
ln: drwxr-xr-x 0 0 x
rename onto itself: 5:5
set-group-ID dir: 50 50 drwxr-sr-x
fchmod AT_FDCWD: EBADF
fchown AT_FDCWD: EBADF
fchmod O_PATH: EBADF
record file cut: 5:5
EOF2

me=$(id -u)
for mode in ${FAKEROOT_MODES:---fast --no-fast}; do
	w=$TEST_TMP/w$mode
	mkdir "$w" && cd "$w" || fail "cannot make $w"
	out=$TEST_TMP/out$mode err=$TEST_TMP/err$mode
	run "$out" "$err" facet_top $mode -0 sh -c 'umask 022; sh "$1"' sh "$TEST_TMP/inside.sh"
	[ "$status" = 0 ] || { cat "$out" "$err"; fail "$mode: the script failed ($status)"; }
	if ! diff -u "$TEST_TMP/expected" "$out"; then
		cat "$err"
		fail "$mode: the tree did not see what root would"
	fi

	# Outside: the real user's files, usable by the real user.
	[ "$(stat -c %u f)" = "$me" ] || fail "$mode: f is not the real user's on the host"
	[ -r r ] && [ -w r ] || fail "$mode: chmod 000 left r unusable by the real user"
	[ -d dd ] && [ -x dd ] && [ -w dd ] || fail "$mode: chmod 0 left dd unusable by the real user"
	[ -f d ] && [ ! -s d ] || fail "$mode: the device node is not an empty regular file on the host"
	# The archive made inside carries the owners the tree gave.
	tar --numeric-owner -tvf t.tar | awk '{ print $2, $6 }' >"$TEST_TMP/owners"
	printf '%s\n' "0/0 tree/" "1/1 tree/sub/" "2/3 tree/sub/a" >"$TEST_TMP/want"
	diff -u "$TEST_TMP/want" "$TEST_TMP/owners" || fail "$mode: tar -c inside did not record the tree's owners"
	cd "$TEST_TMP" || exit 1
done

# A package built inside from a tree chowned there.
if command -v dpkg-deb >/dev/null; then
	mkdir -p "$TEST_TMP/pkg" && cd "$TEST_TMP/pkg" || exit 1
	mkdir -p p/DEBIAN p/usr/bin p/var/lib/demo
	printf 'Package: demo\nVersion: 1\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: d\n' \
		>p/DEBIAN/control
	cp /bin/true p/usr/bin/demo
	run out err facet_top -0 sh -c 'chown -R 0:0 p && chown 1:1 p/var/lib/demo && dpkg-deb --build p demo.deb'
	[ "$status" = 0 ] || { cat out err; fail "dpkg-deb --build under -0 failed ($status)"; }
	dpkg-deb -c demo.deb | awk '{ print $2, $6 }' >list
	grep -qx 'root/root ./usr/bin/demo' list || { cat list; fail "dpkg-deb -c does not list root/root"; }
	grep -qx 'daemon/daemon ./var/lib/demo/' list || { cat list; fail "dpkg-deb -c does not list the chowned owner"; }
	if grep -v -e '^root/root ' -e '^daemon/daemon ' list; then
		fail "dpkg-deb -c lists other owners"
	fi
else
	note "dpkg-deb missing: the package check did not run"
fi
exit 0
