#!/usr/bin/env bash
# Fake root's writes in fast mode (src/rt/calls.c, rt/fake.c): while a
# process is -0's root, the runtime makes the writes whose answer and
# record are the kernel's (creates, unlink, rename, utimensat, chmod
# that keeps the real user's bits, chown that gives the file to root) and
# leaves the others to the supervisor, which records them. The same
# script must leave the same tree, as the tree sees it, in every mode;
# a process that has changed its identity makes none of them itself.
# Then the program's O_PATH opens, which the runtime makes too (the
# supervisor could only make them by ptrace, ADDFD refusing such fds).
#
# That fast mode makes these calls in the process, not by a round trip,
# is read from the program's own voluntary context switches (getrusage):
# it sleeps once in each call the supervisor answers.
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
need_cmd python3

cat >"$TEST_TMP/writes.py" <<'PY'
import errno, os, stat, sys

def e(f, *a, **k):
    try:
        r = f(*a, **k)
        return "ok" if r is None or isinstance(r, int) else str(r)
    except OSError as x:
        return errno.errorcode[x.errno]

def show(names):
    for n in names:
        try:
            st = os.lstat(n)
            print(f"  {n} {st.st_uid}:{st.st_gid} {stat.filemode(st.st_mode)}")
        except OSError as x:
            print(f"  {n} {errno.errorcode[x.errno]}")

os.umask(0o022)
os.mkdir("w")
os.chdir("w")
# Files made and given to root, as tar -x and dpkg do: nothing recorded.
for i in range(3):
    fd = os.open(f"f{i}", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.write(fd, b"x")
    print(f"f{i}", e(os.fchown, fd, 0, 0), e(os.fchmod, fd, 0o644), e(os.utime, fd, (1, 2)))
    os.close(fd)
os.mkdir("d")
os.symlink("f0", "l")
print("chown d", e(os.chown, "d", 0, 0), "lchown l", e(os.lchown, "l", 0, 0), "chown l", e(os.chown, "l", -1, 0))
print("chmod d", e(os.chmod, "d", 0o755), "chmod f1 by name", e(os.chmod, "f1", 0o640))
# Given away, or a mode without the real user's bits: recorded.
fd = os.open("f1", os.O_RDONLY)
print("fchown f1 5:7", e(os.fchown, fd, 5, 7))
os.close(fd)
fd = os.open("f2", os.O_RDONLY)
print("fchmod f2 0444", e(os.fchmod, fd, 0o444))
os.close(fd)
# A set-user-ID file: root's chown takes the bit away.
fd = os.open("s", os.O_CREAT | os.O_WRONLY, 0o644)
print("s", e(os.fchmod, fd, 0o4755), e(os.fchown, fd, 0, 0))
os.close(fd)
# A directory whose group is recorded, set-group-ID: what is made in it
# takes that group.
os.mkdir("g")
print("g", e(os.chown, "g", 0, 7), e(os.chmod, "g", 0o2775))
fd = os.open("g/new", os.O_CREAT | os.O_WRONLY, 0o644)
os.close(fd)
os.mkdir("g/sub")
# A directory given away, not set-group-ID: what is made in it is root's
# (the runtime's, as where nothing is recorded); a file given away keeps
# its owner through a chmod that keeps the real user's bits.
os.mkdir("h")
print("h", e(os.chown, "h", 5, 7))
fd = os.open("h/new", os.O_CREAT | os.O_WRONLY, 0o600)
print("h/new", e(os.fchown, fd, 5, 7), e(os.fchmod, fd, 0o640), e(os.chmod, "h/new", 0o604))
os.close(fd)
os.mkdir("h/sub")
# A directory made without its owner's bits (install -d -m 555): root
# still makes files in it.
os.mkdir("x", 0o555)
print("x/f", e(lambda: os.close(os.open("x/f", os.O_CREAT | os.O_WRONLY, 0o644))))
# A file whose owner's bits refuse what root may do (made under umask
# 777, as git's 0444 objects are to a write): root opens it all the same,
# and its host mode stays (checked below).
os.umask(0o777)
os.close(os.open("locked", os.O_CREAT | os.O_WRONLY, 0o644))
os.umask(0o022)
print("locked", e(lambda: os.close(os.open("locked", os.O_RDONLY))),
      e(lambda: os.close(os.open("locked", os.O_WRONLY | os.O_APPEND))))
# A directory of the real user's made outside facet without its owner's
# write bit (a 0555 tree): root makes and removes names in it all the
# same, and its host mode stays (checked below).
print("pre", e(lambda: os.close(os.open("../pre/new", os.O_CREAT | os.O_WRONLY, 0o644))), e(os.mkdir, "../pre/d"),
      e(os.rename, "../pre/f", "../pre/g"), e(os.symlink, "g", "../pre/l"), e(os.unlink, "../pre/l"),
      e(os.rmdir, "../pre/d"))
# And one without its owner's search bit (0600, as tar leaves a directory
# until it sets its mode, or 0000): root looks names up in it all the
# same, as CAP_DAC_READ_SEARCH lets it; the host modes stay (below).
def read(n):
    with open(n) as f:
        return f.read().strip()
for d in ("../pre/s", "../pre/z"):
    print(d, e(lambda: os.stat(d + "/f").st_size), e(read, d + "/f"), e(os.listdir, d),
          e(lambda: "ok" if os.access(d + "/f", os.R_OK) else "no"), e(lambda: os.open(d + "/f", os.O_PATH)))
# Root enters such a directory too (chdir, fchdir), and works from there.
here = os.getcwd()
def inside(enter):
    enter()
    return " ".join([os.getcwd().rsplit("/", 2)[-2] + "/" + os.getcwd().rsplit("/", 1)[-1], read("f"),
                     str(os.listdir(".")), str(os.stat("f").st_size)])
print("cd", e(inside, lambda: os.chdir("../pre/s")))
os.chdir(here)
zfd = os.open("../pre/z", os.O_RDONLY | os.O_DIRECTORY)
print("fchdir", e(inside, lambda: os.fchdir(zfd)))
os.chdir(here)
os.close(zfd)
# Errors: an O_PATH fd, a missing name, a read-only mount.
fd = os.open("f0", os.O_PATH)
print("O_PATH", e(os.fchown, fd, 0, 0), e(os.fchmod, fd, 0o644), e(os.utime, fd, (1, 2)))
# fchownat of the fd itself (AT_EMPTY_PATH) takes an O_PATH fd, and the cwd.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def fchownat_empty(fd):
    return "ok" if libc.fchownat(fd, b"", 0, 0, 0x1000) == 0 else errno.errorcode[ctypes.get_errno()]
print("fchownat empty", fchownat_empty(fd), fchownat_empty(-100))
os.close(fd)
print("missing", e(os.chown, "nope", 0, 0), e(os.chmod, "nope", 0o644), e(os.unlink, "nope"))
print("ro", e(os.chown, "/mnt/ro/f", 0, 0), e(os.chmod, "/mnt/ro/f", 0o644))
fd = os.open("/mnt/ro/f", os.O_RDONLY)
print("ro fd", e(os.fchown, fd, 0, 0), e(os.fchmod, fd, 0o644))
os.close(fd)
show(["d", "f0", "f1", "f2", "g", "g/new", "g/sub", "h", "h/new", "h/sub", "l", "locked", "s", "x", "x/f", "../pre",
      "../pre/g"])
# Removals and renames of recorded files: their records go with them, and
# a file made after shows as root's.
print("rm f1", e(os.unlink, "f1"), "rename f0 over f2", e(os.rename, "f0", "f2"))
for i in range(3):
    os.close(os.open(f"n{i}", os.O_CREAT | os.O_WRONLY, 0o644))
# With records about: an open that creates through a dangling symlink,
# and O_EXCL on it.
os.symlink("through", "dl")
print("create through dl", e(lambda: os.close(os.open("dl", os.O_CREAT | os.O_WRONLY, 0o644))),
      "excl on dl", e(os.open, "dl", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
# Made below a directory fd through a directory (tar -C): in the
# set-group-ID g its group, in h (given away) root's; through a symlink to
# a directory, and to follow at the last name; the fd the lowest free.
dfd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
def made(name, flags=os.O_CREAT | os.O_WRONLY):
    return e(lambda: os.close(os.open(name, flags, 0o640, dir_fd=dfd)))
os.symlink("h", "hl")
os.symlink("v4", "h/dl")
made("h/warm") # the call site's first call is the supervisor's (it patches the site)
print("below fd", made("g/v1"), made("./h//v2"), made("hl/v3"), made("h/dl"),
      made("h/dl", os.O_CREAT | os.O_EXCL | os.O_WRONLY), made("h/v2", os.O_CREAT | os.O_EXCL | os.O_WRONLY),
      made("nodir/v"), made("../w/h/v5"))
low = os.open("/dev/null", os.O_RDONLY)
os.close(low)
fd = os.open("h/v6", os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=dfd)
print("lowest", fd == low)
os.close(fd)
os.close(dfd)
show(["g/v1", "h/v2", "h/v3", "h/v4", "h/v5", "h/v6"])
# glibc's fchmodat(AT_SYMLINK_NOFOLLOW): an O_PATH fd, then chmod of
# /proc/self/fd/N, which the runtime makes where nothing is recorded.
def lchmod(name, mode):
    return "ok" if libc.fchmodat(-100, name.encode(), mode, 0x100) == 0 else errno.errorcode[ctypes.get_errno()]
print("lchmod", lchmod("d", 0o750), lchmod("n0", 0o444), lchmod("l", 0o644), lchmod("/mnt/ro/f", 0o644))
show(["d", "f1", "f2", "g", "g/new", "g/sub", "l", "n0", "n1", "n2", "s", "through"])
# Another identity: its files are recorded as its own, and it may not
# give them away.
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.setgid(5)
    os.setuid(5)
    fd = os.open("u", os.O_CREAT | os.O_WRONLY, 0o644)
    print("as 5: fchown u 0:0", e(os.fchown, fd, 0, 0), "fchown u 5:5", e(os.fchown, fd, 5, 5),
          "chmod g/new", e(os.chmod, "g/new", 0o600))
    os.close(fd)
    # Not root: its own directory without write permission refuses it.
    os.mkdir("u5", 0o500)
    print("as 5: u5/f", e(os.open, "u5/f", os.O_CREAT | os.O_WRONLY, 0o644), "locked", e(os.open, "locked", os.O_RDONLY),
          "pre/g", e(os.unlink, "../pre/g"), "pre/s/f", e(os.stat, "../pre/s/f"), "cd pre/s", e(os.chdir, "../pre/s"))
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
show(["u", "g/new"])
PY

cat >"$TEST_TMP/expected" <<'EOF'
f0 ok ok ok
f1 ok ok ok
f2 ok ok ok
chown d ok lchown l ok chown l ok
chmod d ok chmod f1 by name ok
fchown f1 5:7 ok
fchmod f2 0444 ok
s ok ok
g ok ok
h ok
h/new ok ok ok
x/f ok
locked ok ok
pre ok ok ok ok ok ok
../pre/s ok hi ['f'] ok ok
../pre/z ok hi ['f'] ok ok
cd pre/s hi ['f'] 3
fchdir pre/z hi ['f'] 3
O_PATH EBADF EBADF EBADF
fchownat empty ok ok
missing ENOENT ENOENT ENOENT
ro EROFS EROFS
ro fd EROFS EROFS
  d 0:0 drwxr-xr-x
  f0 0:0 -rw-r--r--
  f1 5:7 -rw-r-----
  f2 0:0 -r--r--r--
  g 0:7 drwxrwsr-x
  g/new 0:7 -rw-r--r--
  g/sub 0:7 drwxr-sr-x
  h 5:7 drwxr-xr-x
  h/new 5:7 -rw----r--
  h/sub 0:0 drwxr-xr-x
  l 0:0 lrwxrwxrwx
  locked 0:0 ----------
  s 0:0 -rwxr-xr-x
  x 0:0 dr-xr-xr-x
  x/f 0:0 -rw-r--r--
  ../pre 0:0 dr-xr-xr-x
  ../pre/g 0:0 -rw-r--r--
rm f1 ok rename f0 over f2 ok
create through dl ok excl on dl EEXIST
below fd ok ok ok ok EEXIST EEXIST ENOENT ok
lowest True
  g/v1 0:7 -rw-r-----
  h/v2 0:0 -rw-r-----
  h/v3 0:0 -rw-r-----
  h/v4 0:0 -rw-r-----
  h/v5 0:0 -rw-r-----
  h/v6 0:0 -rw-------
lchmod ok ok ENOTSUP EROFS
  d 0:0 drwxr-x---
  f1 ENOENT
  f2 0:0 -rw-r--r--
  g 0:7 drwxrwsr-x
  g/new 0:7 -rw-r--r--
  g/sub 0:7 drwxr-sr-x
  l 0:0 lrwxrwxrwx
  n0 0:0 -r--r--r--
  n1 0:0 -rw-r--r--
  n2 0:0 -rw-r--r--
  s 0:0 -rwxr-xr-x
  through 0:0 -rw-r--r--
as 5: fchown u 0:0 EPERM fchown u 5:5 ok chmod g/new EPERM
as 5: u5/f EACCES locked EACCES pre/g EACCES pre/s/f EACCES cd pre/s EACCES
  u 5:5 -rw-r--r--
  g/new 0:7 -rw-r--r--
EOF

mkdir -p "$TEST_TMP/ro" && echo keep >"$TEST_TMP/ro/f"
for mode in --fast --confine --no-fast; do
	rm -rf "$TEST_TMP/w"
	[ -d "$TEST_TMP/pre" ] && chmod -R u+rwx "$TEST_TMP/pre"
	rm -rf "$TEST_TMP/pre" && mkdir -p "$TEST_TMP/pre/s" "$TEST_TMP/pre/z" && touch "$TEST_TMP/pre/f" &&
		echo hi >"$TEST_TMP/pre/s/f" && echo hi >"$TEST_TMP/pre/z/f" &&
		chmod 600 "$TEST_TMP/pre/s" && chmod 000 "$TEST_TMP/pre/z" && chmod 555 "$TEST_TMP/pre"
	run "$TEST_TMP/out$mode" "$TEST_TMP/err$mode" facet_top "$mode" -0 -b "$TEST_TMP/ro:/mnt/ro:ro" -w "$TEST_TMP" \
		-- python3 "$TEST_TMP/writes.py"
	if [ "$(stat -c %a "$TEST_TMP/w/locked" "$TEST_TMP/pre" "$TEST_TMP/pre/s" "$TEST_TMP/pre/z" 2>&1 |
		tr '\n' ' ')" != "0 555 600 0 " ]; then
		echo "FAIL: $mode: the host's mode of a file or directory fake root got past its owner's bits changed"
		_checks_failed=$((_checks_failed + 1))
	fi
	if [ "$status" != 0 ] || ! diff -u "$TEST_TMP/expected" "$TEST_TMP/out$mode" >"$TEST_TMP/diff"; then
		echo "FAIL: $mode: the tree is not as fake root leaves it (exit $status)"
		show "$TEST_TMP/diff" 60
		show "$TEST_TMP/err$mode"
		_checks_failed=$((_checks_failed + 1))
	fi
done
chmod -R u+rwx "$TEST_TMP/pre" # for the test's clean-up
check "the read-only mount's file is untouched" "keep" cat "$TEST_TMP/ro/f"

# The same creates relative to the cwd (tar -x run in the directory), in a
# view with no read-only mount: there the runtime makes them below the
# cwd as below a directory fd, without the cwd's name (rt_cwd_writes_below).
cat >"$TEST_TMP/cwd.py" <<'PY'
import errno, os, stat
def e(f):
    try:
        f()
        return "ok"
    except OSError as x:
        return errno.errorcode[x.errno]
os.umask(0o022)
os.mkdir("c")
os.chdir("c")
os.mkdir("g")
os.chown("g", 0, 7)
os.chmod("g", 0o2775)
os.mkdir("h")
os.chown("h", 5, 7)
os.symlink("h", "hl")
os.symlink("v4", "h/dl")
def made(name, flags=os.O_CREAT | os.O_WRONLY):
    return e(lambda: os.close(os.open(name, flags, 0o640)))
made("h/warm") # the call site's first call is the supervisor's (it patches the site)
print("cwd", made("g/v1"), made("./h//v2"), made("hl/v3"), made("h/dl"),
      made("h/dl", os.O_CREAT | os.O_EXCL | os.O_WRONLY), made("h/v2", os.O_CREAT | os.O_EXCL | os.O_WRONLY),
      made("nodir/v"), made("v0"), e(lambda: os.mkdir("./h/d")), e(lambda: os.mkdir("g/d")), e(lambda: os.rmdir("h/d")))
for n in ["g/v1", "h/v2", "h/v3", "h/v4", "v0", "g/d", "h/d"]:
    try:
        st = os.lstat(n)
        print(f"  {n} {st.st_uid}:{st.st_gid} {stat.filemode(st.st_mode)}")
    except OSError as x:
        print(f"  {n} {errno.errorcode[x.errno]}")
PY
for mode in --fast --no-fast; do
	rm -rf "$TEST_TMP/c"
	check "$mode: creates relative to the cwd with records about" "cwd ok ok ok ok EEXIST EEXIST ENOENT ok ok ok ok
  g/v1 0:7 -rw-r-----
  h/v2 0:0 -rw-r-----
  h/v3 0:0 -rw-r-----
  h/v4 0:0 -rw-r-----
  v0 0:0 -rw-r-----
  g/d 0:7 drwxr-sr-x
  h/d ENOENT" sh -c "cd '$TEST_TMP' && $(printf '%q ' "$FACET") --backend=$FACET_BACKEND $mode -0 -- python3 cwd.py"
done

# The record the runtimes map is the supervisor's memfd, which the tree
# may open (it is the same user's) but not shrink: the supervisor writes
# it through a shared mapping, which a shorter file would fault.
cat >"$TEST_TMP/record.py" <<'PY'
import errno, os
found = 0
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        continue
    for n in fds:
        try:
            if "facet-owners" not in os.readlink(f"/proc/{pid}/fd/{n}"):
                continue
            fd = os.open(f"/proc/{pid}/fd/{n}", os.O_RDWR)
        except OSError:
            continue
        found += 1
        for size in (0, 4096):
            try:
                os.ftruncate(fd, size)
                print("shrunk to", size)
            except OSError as x:
                assert x.errno == errno.EPERM, x
        os.close(fd)
print("record found" if found else "no record found")
open("after", "w").close()
os.chown("after", 5, 7)
st = os.stat("after")
print("after", st.st_uid, st.st_gid)
PY
for mode in --fast --no-fast; do
	check "$mode: the tree cannot shrink fake root's record" "record found
after 5 7" sh -c "cd '$TEST_TMP' && rm -f after && $(printf '%q ' "$FACET") --backend=$FACET_BACKEND $mode -0 -- python3 record.py"
done

# The program's O_PATH opens, in a view with mounts: the same answers in
# every mode (an fd at the lowest free number, close-on-exec as asked,
# the flags O_PATH drops ignored).
mkdir -p "$TEST_TMP/a/dir" "$TEST_TMP/b"
echo x >"$TEST_TMP/a/file"
ln -sf file "$TEST_TMP/a/link"
ln -sf /mnt/b "$TEST_TMP/a/tob"
ln -sf nowhere "$TEST_TMP/a/dangling"
cat >"$TEST_TMP/opath.py" <<'PY'
import ctypes, errno, fcntl, os, stat
libc = ctypes.CDLL(None, use_errno=True)
libc.openat.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
def kind(m):
    return "dir" if stat.S_ISDIR(m) else "lnk" if stat.S_ISLNK(m) else "reg" if stat.S_ISREG(m) else oct(m)
low = os.open("/", os.O_RDONLY)
os.close(low)
d = os.open("/mnt/a", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
cases = [("/mnt/a/file", 0), ("file", 0), ("/mnt/a/link", 0), ("link", os.O_NOFOLLOW), ("tob", 0),
         ("tob", os.O_NOFOLLOW), ("dangling", 0), ("dangling", os.O_NOFOLLOW), ("dir", os.O_DIRECTORY),
         ("file", os.O_DIRECTORY), ("link", os.O_NOFOLLOW | os.O_DIRECTORY), ("/mnt", 0), ("/mnt/b", 0),
         ("nope", 0), ("nope", os.O_CREAT | os.O_WRONLY), ("file/x", 0), ("/proc/self", 0), ("file", os.O_CLOEXEC)]
for name, flags in cases:
    # libc's openat: python's os.open adds O_CLOEXEC to every open.
    fd = libc.openat(d, name.encode(), os.O_PATH | flags, 0o644)
    if fd < 0:
        print(name, flags, errno.errorcode[ctypes.get_errno()])
        continue
    st = os.fstat(fd)
    cloexec = fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
    print(name, flags, "fd-low" if fd == low + 1 else f"fd {fd - low}", kind(st.st_mode), "cloexec" if cloexec else "inherit")
    os.close(fd)
print("created:", os.path.exists("/mnt/a/nope"))
PY
expected_opath="/mnt/a/file 0 fd-low reg inherit
file 0 fd-low reg inherit
/mnt/a/link 0 fd-low reg inherit
link 131072 fd-low lnk inherit
tob 0 fd-low dir inherit
tob 131072 fd-low lnk inherit
dangling 0 ENOENT
dangling 131072 fd-low lnk inherit
dir 65536 fd-low dir inherit
file 65536 ENOTDIR
link 196608 ENOTDIR
/mnt 0 fd-low dir inherit
/mnt/b 0 fd-low dir inherit
nope 0 ENOENT
nope 65 ENOENT
file/x 0 ENOTDIR
/proc/self 0 fd-low dir inherit
file 524288 fd-low reg cloexec
created: False"
for mode in --fast --confine --no-fast; do
	check "$mode: O_PATH opens" "$expected_opath" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -- python3 "$TEST_TMP/opath.py"
done

# In the process, not by a round trip: the program's context switches
# over 300 rounds of each kind of call, once the sites are patched.
cat >"$TEST_TMP/count.py" <<'PY'
import os, sys
import resource
def switches():
    return resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
what = sys.argv[1]
os.makedirs("c", exist_ok=True)
d = os.open("c", os.O_PATH | os.O_DIRECTORY)
def fake_round(i):
    fd = os.open(f"c/f{i}", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchown(fd, 0, 0)
    os.fchmod(fd, 0o644)
    os.utime(fd)
    os.close(fd)
    os.lchown(f"c/f{i}", 0, 0)
    os.chmod(f"c/f{i}", 0o644)
    os.chmod(f"c/f{i}", 0o644, follow_symlinks=False)
    os.rename(f"c/f{i}", f"c/g{i}")
    os.unlink(f"c/g{i}")
# tar -x or dpkg of files owned by another: each file made in a directory
# given away, then given away itself (the one round trip: a record), then
# chmodded; a symlink made and removed there. (A mkdir and rmdir sleep
# once in the kernel on some file systems, natively too.)
def given_round(i):
    fd = os.open(f"gd/f{i}", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchown(fd, 5, 7)
    os.fchmod(fd, 0o644)
    os.close(fd)
    os.chmod(f"gd/f{i}", 0o640)
    os.symlink(f"f{i}", f"gd/l{i}")
    os.unlink(f"gd/l{i}")
def opath_round(i):
    os.close(os.open("c", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC))
    os.close(os.open(".", os.O_PATH, dir_fd=d))
round_of = {"fake": fake_round, "given": given_round, "opath": opath_round}[what]
os.makedirs("gd", exist_ok=True)
os.chown("gd", 5, 7)
# A record about, as after any chown to another: creates must then look
# at their directory (fake_create_call).
with open("c/given", "w") as f:
    os.fchown(f.fileno(), 5, 7)
for i in range(20):
    round_of(i)
before = switches()
for i in range(300):
    round_of(i)
print(switches() - before)
PY
if [ "$FACET_BACKEND" = notify ]; then
	for what in fake given opath; do
		rm -rf "$TEST_TMP/c"
		fast=$(cd "$TEST_TMP" && "$FACET" --backend=notify -0 -- python3 "$TEST_TMP/count.py" "$what" 2>&1)
		rm -rf "$TEST_TMP/c"
		slow=$(cd "$TEST_TMP" && "$FACET" --backend=notify --no-fast -0 -- python3 "$TEST_TMP/count.py" "$what" 2>&1)
		case "$fast $slow" in
		*[!0-9\ ]*) echo "FAIL: $what: the counting script failed: fast '$fast', --no-fast '$slow'"
			_checks_failed=$((_checks_failed + 1)) ;;
		*)
			# The count discriminates: every call of --no-fast's is a
			# round trip; in fast mode none is, but given's fchown (a
			# record: one a round).
			least=600 most=30
			[ "$what" = given ] && least=1200 most=450
			if [ "$slow" -lt "$least" ] || [ "$fast" -ge "$most" ]; then
				echo "FAIL: $what: the program slept $fast times in fast mode over 300 rounds ($slow with --no-fast): the runtime does not make these calls"
				_checks_failed=$((_checks_failed + 1))
			fi
			# The supervisor's O_PATH opens (two a round) go down the
			# ptrace route at once, a seccomp stop and an exit stop
			# (~1200), not notified first and then deferred (five
			# sleeps each, ~3000).
			if [ "$what" = opath ] && [ "$slow" -gt 1800 ]; then
				echo "FAIL: opath: the program slept $slow times over 300 rounds with --no-fast: its O_PATH opens are notified, then deferred to ptrace"
				_checks_failed=$((_checks_failed + 1))
			fi ;;
		esac
	done
fi
checks_done
