#!/usr/bin/env bash
# What a user of a view sees: a mount point shows in its parent's listing
# (even where the host directory lacks it), its missing parents exist, the
# deepest mount wins whatever the order, :ro makes writes fail with EROFS,
# rename across mounts is EXDEV, a mount point cannot be removed (EBUSY),
# nothing of the host shows under -r, ".." never leaves the root, and the
# tracer prints the program's own (guest) paths.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd python3

mkdir -p a/sub b c root/etc root/bin
echo in-a >a/file
echo in-b >b/file
echo in-c >c/file
G=/tmp/facet-view-mounts-$$-$RANDOM   # a guest path that does not exist on the host
[ ! -e "$G" ] || skip "$G exists"

v() { "$FACET" --backend="$FACET_BACKEND" "$@"; }

# A mount point under a missing parent: the parents exist, and list it.
out=$(v -b "$TEST_TMP/a:$G/x/y" sh -c "ls $G; ls $G/x; cat $G/x/y/file; stat -c %F $G/x") ||
	fail "a mount under missing parents: exit status $?"
[ "$out" = "$(printf 'x\ny\nin-a\ndirectory')" ] || fail "a mount under missing parents: got '$out'"

# A mount point in an existing host directory that lacks it (/tmp): listed,
# with the right type, and found by find.
name=${G#/tmp/}
# ls opens the directory from libc's open site, which fast mode patches:
# by its absolute name and its name in the cwd, the supervisor's fd.
out=$(v -b "$TEST_TMP/a:$G" sh -c "ls -a /tmp | grep -x '$name'; cd / && ls -a tmp | grep -x '$name'
	cd /tmp && ls -a | grep -x '$name'; find /tmp -maxdepth 1 -name '$name' -type d") ||
	fail "listing /tmp in a view: exit status $?"
[ "$out" = "$(printf '%s\n%s\n%s\n%s' "$name" "$name" "$name" "$G")" ] || fail "the mount point $G is not listed in /tmp: got '$out'"

# A mount point named relative to its parent's fd: stat, lstat and statx
# find the mount's root, not the host directory under it.
out=$(v -b "$TEST_TMP/a:$G" python3 -c "
import os
d = os.open('/tmp', os.O_RDONLY | os.O_DIRECTORY)
want = os.stat('$TEST_TMP/a')
for f in (True, False):
    print(os.path.samestat(os.stat('$name', dir_fd=d, follow_symlinks=f), want))
") || fail "stat of a mount point by its parent's fd: exit status $?"
[ "$out" = "$(printf 'True\nTrue')" ] || fail "stat of a mount point by its parent's fd: got '$out'"

# Mount points a host directory lacks, with a nested one in between in
# the table's order (/x, /x/q, /z): each directory lists its own.
mkdir -p "$TEST_TMP/aug/d" "$TEST_TMP/aug/x" "$TEST_TMP/aug/q" "$TEST_TMP/aug/z" || fail "cannot make the fixture"
D=$TEST_TMP/aug/d
out=$(v -b "$TEST_TMP/aug/x:$D/x" -b "$TEST_TMP/aug/q:$D/x/q" -b "$TEST_TMP/aug/z:$D/z" \
	sh -c "ls -a $D | tr '\n' ' '; ls -a $D/x | tr '\n' ' '; stat -c %h $D $D/x") ||
	fail "nested mount points: exit status $?"
[ "$out" = "$(printf '. .. x z . .. q 4\n3')" ] || fail "nested mount points are listed in the wrong directories: got '$out'"

# The deepest mount wins, whatever the order on the command line.
for order in "-b $TEST_TMP/b:$G/in -b $TEST_TMP/a:$G" "-b $TEST_TMP/a:$G -b $TEST_TMP/b:$G/in"; do
	# shellcheck disable=SC2086
	out=$(v $order sh -c "cat $G/file $G/in/file") || fail "nested mounts ($order): exit $?"
	[ "$out" = "$(printf 'in-a\nin-b')" ] || fail "nested mounts ($order): got '$out'"
done

# :ro: reads work, every kind of write fails with EROFS; the host is unchanged.
cat >writes.py <<'PY'
import errno, os, sys
d = sys.argv[1]
def attempt(what, f):
    try:
        f()
        print(what, "ok")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
attempt("open-w", lambda: os.close(os.open(d + "/file", os.O_WRONLY)))
attempt("creat", lambda: os.close(os.open(d + "/new", os.O_CREAT | os.O_WRONLY, 0o644)))
attempt("mkdir", lambda: os.mkdir(d + "/newdir"))
attempt("unlink", lambda: os.unlink(d + "/file"))
attempt("rename", lambda: os.rename(d + "/file", d + "/file2"))
attempt("chmod", lambda: os.chmod(d + "/file", 0o600))
attempt("symlink", lambda: os.symlink("x", d + "/link"))
attempt("utime", lambda: os.utime(d + "/file", (1, 1)))
attempt("truncate", lambda: os.truncate(d + "/file", 0))
attempt("mkdir-existing", lambda: os.mkdir(d + "/sub"))
attempt("read", lambda: open(d + "/file").read())
attempt("access-w", lambda: os.access(d + "/file", os.W_OK) or (_ for _ in ()).throw(OSError(errno.EROFS, "")))
print("statvfs-ro", bool(os.statvfs(d).f_flag & os.ST_RDONLY))
PY
v -b "$TEST_TMP/a:$G:ro" python3 writes.py "$G" >ro.out 2>ro.err || { show ro.err; fail "the :ro test program failed"; }
cat >ro.expected <<'X'
open-w EROFS
creat EROFS
mkdir EROFS
unlink EROFS
rename EROFS
chmod EROFS
symlink EROFS
utime EROFS
truncate EROFS
mkdir-existing EEXIST
read ok
access-w EROFS
statvfs-ro True
X
diff -u ro.expected ro.out >ro.diff || { sed 's/^/    /' ro.diff; fail "writes on a :ro mount"; }
[ "$(cat a/file)" = in-a ] && [ ! -e a/new ] && [ ! -e a/newdir ] || fail "a :ro mount was written on the host"

# Across mounts, rename is EXDEV (mv then copies); a mount point is busy.
cat >cross.py <<'PY'
import errno, os, sys
g = sys.argv[1]
for what, f in (("rename-across", lambda: os.rename(g + "/a/file", g + "/b/file-moved")),
                ("rmdir-mount-point", lambda: os.rmdir(g + "/b")),
                ("rename-mount-point", lambda: os.rename(g + "/b", g + "/b2"))):
    try:
        f()
        print(what, "ok")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
PY
out=$(v -b "$TEST_TMP/a:$G/a" -b "$TEST_TMP/b:$G/b" python3 cross.py "$G") || fail "cross.py: exit status $?"
[ "$out" = "$(printf 'rename-across EXDEV\nrmdir-mount-point EBUSY\nrename-mount-point EBUSY')" ] ||
	fail "across mounts: got '$out'"

# -r: only the root and what is bound; ".." stays at "/"; getcwd and
# /proc/self/cwd are guest paths. (The root has no programs: the host's
# /usr and the merged-/usr links make one.)
for d in bin lib lib64 sbin; do
	[ -L "/$d" ] && ln -sfn "$(readlink "/$d")" "root/$d"
done
out=$(v -r "$TEST_TMP/root" -b /usr -b /proc -b "$TEST_TMP/c:/data" -w /data sh -c \
	'pwd; cat file; ls /; cd /..; pwd; cd /../../..; ls -d ./etc; readlink /proc/self/cwd; test -e /etc/hostname || echo no-host-etc') ||
	fail "-r: exit status $?"
got_ls=$(echo "$out" | sed -n '3,$p' | head -n -4 | sort)
want_ls=$({ ls -1A root; printf '%s\n' data proc usr; } | sort -u)
[ "$(echo "$out" | sed -n 1,2p)" = "$(printf '/data\nin-c')" ] || fail "-r -w /data: got '$out'"
[ "$got_ls" = "$want_ls" ] || fail "-r: ls / shows '$got_ls', expected '$want_ls'"
[ "$(echo "$out" | tail -n 4)" = "$(printf '/\n./etc\n/\nno-host-etc')" ] || fail "-r: .. or cwd: got '$out'"

# /proc/self/mountinfo, /proc/PID/mounts and /proc/mounts list the view's
# mounts (mountpoint(1), findmnt and df read them): a bind at its guest
# path, of its host directory, read-only where the view's is; IDs unique
# and each parent listed (but the root's); under -r nothing of the host
# but what is bound, and no host path as a mount point.
mkdir -p ro
for mode in "" --confine --no-fast; do
	# shellcheck disable=SC2086
	out=$(v $mode -b "$TEST_TMP/a:$G" -b "$TEST_TMP/ro:$G/ro:ro" sh -c "
		mountpoint -q $G && echo mountpoint; mountpoint -q /tmp || echo not-mountpoint
		awk '\$5 == \"$G\" { sub(/.*\\//, \"\", \$4); print \$4, substr(\$6, 1, 3) }' /proc/self/mountinfo
		awk '\$5 == \"$G/ro\" { print substr(\$6, 1, 3) }' /proc/\$\$/mountinfo
		awk '\$2 == \"$G/ro\" { print \$3 != \"\", substr(\$4, 1, 3) }' /proc/mounts
		awk '{ id[\$1]++; p[NR] = \$2 } END { for (i in id) if (id[i] > 1) print \"dup\", i
			for (n = 2; n <= NR; n++) if (!(p[n] in id)) print \"orphan\", p[n] }' /proc/self/mountinfo") ||
		fail "mountinfo ($mode): exit status $?"
	[ "$out" = "$(printf 'mountpoint\nnot-mountpoint\na rw,\nro,\n1 ro,')" ] ||
		fail "the view's mounts in mountinfo ($mode): got '$out'"
done
# (The root has no awk: /etc/alternatives is the host's.)
mi=$(v -r "$TEST_TMP/root" -b /usr -b /proc -b "$TEST_TMP/c:/data" cat /proc/self/mountinfo) ||
	fail "mountinfo under -r: exit status $?"
points=$(echo "$mi" | awk '{ print $5 }')
for want in / /usr /proc /data; do
	echo "$points" | grep -qx -- "$want" || fail "mountinfo under -r lacks $want: got '$mi'"
done
# (Host mounts below a bind come with it: /proc's binfmt_misc.)
echo "$points" | grep -qvx -- '/\|/usr\(/.*\)\?\|/proc\(/.*\)\?\|/data\(/.*\)\?' &&
	fail "mountinfo under -r lists more than the view's mounts: '$mi'"
[ "$(echo "$mi" | awk '$5 == "/" { print $4 }' | sed 's|.*/||')" = root ] ||
	fail "the root's entry must name its host directory: got '$mi'"

# The tracer prints guest paths.
v -b "$TEST_TMP/a:$G" --trace=openat -o trace cat "$G/file" >/dev/null || fail "trace in a view: exit $?"
expect_grep trace "openat\(AT_FDCWD, \"$G/file\", O_RDONLY\) = 3" "the trace shows the guest path"
expect_no_grep trace "$TEST_TMP/a" "the trace shows no host path of the mount"
# Tracing every call: no number is left for the filter to allow by number
# alone (src/core/filter.c), in fast mode too.
v -b "$TEST_TMP/a:$G" --trace -o trace-all cat "$G/file" >/dev/null || fail "trace of every call in a view: exit $?"
expect_grep trace-all "openat\(AT_FDCWD, \"$G/file\", O_RDONLY\) = 3" "the trace of every call shows the guest path"
# AF_UNIX names: bind, sendto and sendmsg reach the socket the view shows,
# getsockname gives back the program's name.
cat >unix.py <<'PY'
import socket, sys
g = sys.argv[1]
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a.bind(g + "/sock")
b = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
b.sendto(b"one", g + "/sock")
b.sendmsg([b"two"], [], 0, g + "/sock")
print(a.recv(9).decode(), a.recv(9).decode(), a.getsockname() == g + "/sock")
PY
out=$(v -b "$TEST_TMP/c:$G" python3 unix.py "$G") || fail "unix.py: exit $?"
[ "$out" = "one two True" ] || fail "AF_UNIX in a view: got '$out'"
[ -S c/sock ] || fail "the socket was not made in the bound directory"

# Calls that would bypass the view are refused with the kernel's errno,
# and -v says so once per call.
cat >bypass.py <<'PY'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
for name, nr, args in (("io_uring_setup", 425, (8, 0)), ("io_uring_setup", 425, (8, 0)),
                       ("open_by_handle_at", 304, (0, 0, 0)), ("name_to_handle_at", 303, (0, 0, 0, 0, 0))):
    r = libc.syscall(nr, *args)
    print(name, r, os.strerror(ctypes.get_errno()))
PY
v -v -b "$TEST_TMP/a:$G" python3 bypass.py >bypass.out 2>bypass.err || fail "bypass.py: exit $?"
cat >bypass.expected <<'X'
io_uring_setup -1 Function not implemented
io_uring_setup -1 Function not implemented
open_by_handle_at -1 Operation not permitted
name_to_handle_at -1 Operation not permitted
X
diff -u bypass.expected bypass.out || fail "calls that bypass a view"
[ "$(grep -c 'io_uring_setup is refused in the view' bypass.err)" = 1 ] || { show bypass.err; fail "-v must say once that io_uring_setup is refused"; }
echo ok
