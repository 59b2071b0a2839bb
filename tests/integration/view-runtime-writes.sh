#!/usr/bin/env bash
# Writes in a view, which fast mode makes in the process where the mount
# is writable (src/rt/calls.c, write_open_call and unlink_call): an open
# that creates or truncates, unlink, and access W_OK give the same answers and leave
# the same files in every mode. Names relative to the cwd (the runtime
# takes the cwd's name, rt_cwd), absolute ones, symlinks that lead into
# another mount, a read-only mount (EROFS, nothing written), a directory,
# names that start with "./" (tar -x in the cwd),
# missing directories, and a cwd changed by chdir. helper-sites makes each
# call twice from a site of the patchable shape: the second goes through
# the runtime in fast mode.
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
SITES=$(helper sites)
patches() { [ "$1" = --fast ] && [ "$FACET_BACKEND" = notify ] && echo yes || echo no; }

# What helper-sites --write prints for NAME: creat C (twice), access
# W_OK A (twice), excl E, unlink U1 then U2.
writes() { printf 'creat %s: %s\ncreat %s: %s\nwaccess %s: %s\nwaccess %s: %s\nexcl %s: %s\nunlink %s: %s\nunlink %s: %s\n' \
	"$1" "$2" "$1" "$2" "$1" "$3" "$1" "$3" "$1" "$4" "$1" "$5" "$1" "$6"; }

fixture() {
	rm -rf "$TEST_TMP/a" "$TEST_TMP/b" "$TEST_TMP/ro"
	mkdir -p "$TEST_TMP/a/d" "$TEST_TMP/a/sub" "$TEST_TMP/b" "$TEST_TMP/ro" || fail "cannot make the fixture"
	echo f >"$TEST_TMP/a/f"
	echo keep >"$TEST_TMP/ro/f"
	ln -s tgt "$TEST_TMP/a/dl"             # dangling, relative
	ln -s /mnt/b/made "$TEST_TMP/a/abs"    # dangling, into the other mount
}

NAMES=(new /mnt/a/new2 sub/new3 dl abs d nothere/x f/x /mnt/ro/new /mnt/ro/f /mnt/b/new4 ./new7 .//sub/./new8 ./d ./f/x
	./nothere/y ./abs /mnt/a/sub/../new9 /mnt/a/./sub//./new10 /mnt/a/../ro/new11 /mnt/ro/./new12 /mnt/a/nothere/../new13
	/mnt/a/f/../new14)
expect=$(
	writes new ok ok EEXIST ok ENOENT
	writes /mnt/a/new2 ok ok EEXIST ok ENOENT
	writes sub/new3 ok ok EEXIST ok ENOENT
	writes dl ok ok EEXIST ok ENOENT         # creates tgt; unlink removes the link
	writes abs ok ok EEXIST ok ENOENT        # creates /mnt/b/made
	writes d EISDIR ok EEXIST EISDIR EISDIR
	writes nothere/x ENOENT ENOENT ENOENT ENOENT ENOENT
	writes f/x ENOTDIR ENOTDIR ENOTDIR ENOTDIR ENOTDIR
	writes /mnt/ro/new EROFS ENOENT EROFS EROFS EROFS
	writes /mnt/ro/f EROFS EROFS EEXIST EROFS EROFS
	writes /mnt/b/new4 ok ok EEXIST ok ENOENT
	writes ./new7 ok ok EEXIST ok ENOENT     # tar -x in the cwd names its files so
	writes .//sub/./new8 ok ok EEXIST ok ENOENT
	writes ./d EISDIR ok EEXIST EISDIR EISDIR
	writes ./f/x ENOTDIR ENOTDIR ENOTDIR ENOTDIR ENOTDIR
	writes ./nothere/y ENOENT ENOENT ENOENT ENOENT ENOENT
	writes ./abs ok ok EEXIST ok ENOENT      # creates /mnt/b/made again
	# Absolute paths with "." and "..": within a mount, out of it, into
	# the read-only one.
	writes /mnt/a/sub/../new9 ok ok EEXIST ok ENOENT
	writes /mnt/a/./sub//./new10 ok ok EEXIST ok ENOENT
	writes /mnt/a/../ro/new11 EROFS ENOENT EROFS EROFS EROFS
	writes /mnt/ro/./new12 EROFS ENOENT EROFS EROFS EROFS
	writes /mnt/a/nothere/../new13 ENOENT ENOENT ENOENT ENOENT ENOENT
	writes /mnt/a/f/../new14 ENOTDIR ENOTDIR ENOTDIR ENOTDIR ENOTDIR
)
# What the host has afterwards: the files the links led to, each "w".
left="$TEST_TMP/a/tgt: w
$TEST_TMP/b/made: w
$TEST_TMP/ro/f: keep
$TEST_TMP/ro/f"
for mode in --fast --confine --no-fast; do
	fixture
	check "$mode: writes, and patched" "$expect
patched: open=$(patches "$mode") unlink=$(patches "$mode") access=$(patches "$mode")" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		"$SITES" --write "${NAMES[@]}"
	check "$mode: what the host has" "$left" \
		sh -c "for f in '$TEST_TMP/a/tgt' '$TEST_TMP/b/made' '$TEST_TMP/ro/f'; do printf '%s: %s\\n' \"\$f\" \"\$(cat \"\$f\")\"; done; find '$TEST_TMP/ro' '$TEST_TMP/a/sub' -mindepth 1"
done

# After chdir, relative names start at the new cwd; in the read-only
# mount they fail.
for mode in --fast --confine --no-fast; do
	fixture
	p="patched: open=$(patches "$mode") unlink=$(patches "$mode") access=$(patches "$mode")"
	check "$mode: relative names after chdir" "$(writes new5 ok ok EEXIST ok ENOENT)
$p
$(writes new6 EROFS ENOENT EROFS EROFS EROFS)
$p" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		sh -c "cd sub && '$SITES' --write new5 && cd /mnt/ro && '$SITES' --write new6"
done

# Shell redirections, and rm, as a build makes them.
for mode in --fast --confine --no-fast; do
	fixture
	check "$mode: a shell's writes" "one
two
gone" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -w /mnt/a -- \
		sh -c 'echo one >o; echo two >>o; cat o; : >o; [ -s o ] && echo "not truncated"; rm o; [ -e o ] || echo gone'
done
# Spellings: a doubled slash, a trailing one (W_OK of the directory), and
# a symlink to a directory in a directory above mount points (/mnt/r holds
# the mount point /mnt/r/sub/m), through which rm removes a file.
for mode in --fast --confine --no-fast; do
	fixture
	rm -rf "$TEST_TMP/r" "$TEST_TMP/s"
	mkdir -p "$TEST_TMP/r/real" "$TEST_TMP/r/sub/m" "$TEST_TMP/s" && ln -s real "$TEST_TMP/r/link" &&
		echo f >"$TEST_TMP/r/real/f" && echo g >"$TEST_TMP/r/real/g" || fail "cannot make the fixture"
	check "$mode: //, a trailing /, a linked directory above mount points" "dd
writable
removed
removed" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/r:/mnt/r" -b "$TEST_TMP/s:/mnt/r/sub/m" -w /mnt/a -- \
		sh -c 'echo dd >/mnt/a//dd && cat /mnt/a/dd; [ -w /mnt/a/ ] && echo writable
		rm /mnt/r/link/f && [ ! -e /mnt/r/real/f ] && echo removed
		cd /mnt/r && rm link/g && [ ! -e real/g ] && echo removed'
done

# Creations relative to a directory fd (tar -C, and every *at() walk
# that writes): the runtime makes them below a directory of a writable
# mount. A symlink out of it, and "..", are the supervisor's; so is a
# directory whose host path a read-only mount shows too: written to
# through the host's own path (the root mount, writable), refused through
# the read-only mount. Timestamps set through an fd follow the mount the
# fd was opened through, not the deepest one holding its host path.
# (python's os.open with dir_fd: glibc's openat, patched at its first call.)
cat >"$TEST_TMP/write_in.py" <<'PY'
import errno, os, sys
def name(e):
    return errno.errorcode.get(e.errno, str(e))
for arg in sys.argv[1:]:
    if arg.startswith("times="):
        answers = []
        for path in arg[6:].split(","):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.utime(fd, (1, 1))
                answers.append("ok")
            except OSError as e:
                answers.append(name(e))
            os.close(fd)
        print("times:", *answers)
        continue
    if arg.startswith("dir="):
        d, dname = os.open(arg[4:], os.O_RDONLY | os.O_DIRECTORY), arg[4:]
        continue
    op, _, target = arg.partition(":")
    if op in ("rename", "symlink", "link"):  # rename:OLD>NEW, link:OLD>NEW, symlink:TARGET>NAME
        one, two = target.split(">")
        fd_of = lambda n: {} if n.startswith("/") else {"dir_fd": d}
        try:
            if op in ("rename", "link"):
                fds = {**{"src_" + k: v for k, v in fd_of(one).items()}, **{"dst_" + k: v for k, v in fd_of(two).items()}}
                if op == "link":
                    os.link(one, two, follow_symlinks=False, **fds)  # linkat(..., 0), as git's link()
                else:
                    os.rename(one, two, **fds)
            else:
                os.symlink(one, two, **fd_of(two))
            print(op, dname, target + ":", "ok")
        except OSError as e:
            print(op, dname, target + ":", name(e))
        continue
    if target:  # mkdir:NAME, rmdir:NAME, unlink:NAME, utime:NAME, lutime:NAME; an absolute NAME without the fd
        fn = {"mkdir": lambda n, **k: os.mkdir(n, 0o750, **k), "rmdir": os.rmdir, "unlink": os.unlink,
              "utime": lambda n, **k: os.utime(n, (7, 7), **k),
              "lutime": lambda n, **k: os.utime(n, (7, 7), follow_symlinks=False, **k),
              "chmod": lambda n, **k: os.chmod(n, 0o750, **k)}[op]
        try:
            fn(target, **({} if target.startswith("/") else {"dir_fd": d}))
            print(op, dname, target + ":", "ok")
        except OSError as e:
            print(op, dname, target + ":", name(e))
        continue
    for flags, label in ((os.O_WRONLY | os.O_CREAT | os.O_TRUNC, "creat"),) * 2 + ((os.O_WRONLY | os.O_CREAT | os.O_EXCL, "excl"),):
        try:
            fd = os.open(arg, flags, 0o640, dir_fd=d)
            if label == "creat":
                os.write(fd, b"w")
            os.close(fd)
            print(label, dname, arg + ":", "ok")
        except OSError as e:
            print(label, dname, arg + ":", name(e))
PY
wi() { printf 'creat %s %s: %s\ncreat %s %s: %s\nexcl %s %s: %s\n' "$1" "$2" "$3" "$1" "$2" "$3" "$1" "$2" "$4"; }
for mode in --fast --confine --no-fast; do
	fixture
	check "$mode: creations below a directory fd" "$(wi /mnt/a new ok EEXIST; wi /mnt/a sub/new3 ok EEXIST
		wi /mnt/a dl ok EEXIST; wi /mnt/a abs ok EEXIST; wi /mnt/a ../a/up ok EEXIST; wi /mnt/a d EISDIR EEXIST
		wi /mnt/a nothere/x ENOENT ENOENT; wi /mnt/a f/x ENOTDIR ENOTDIR
		wi /mnt/ro new EROFS EROFS; wi /mnt/ro f EROFS EEXIST; wi "$TEST_TMP/ro" new7 ok EEXIST)
times: EROFS ok" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		python3 "$TEST_TMP/write_in.py" dir=/mnt/a new sub/new3 dl abs ../a/up d nothere/x f/x \
		dir=/mnt/ro new f "dir=$TEST_TMP/ro" new7 "times=/mnt/ro/new7,$TEST_TMP/ro/new7"
	check "$mode: names made and removed below a directory fd" "mkdir /mnt/a m1: ok
mkdir /mnt/a m1: EEXIST
mkdir /mnt/a sub/m2: ok
mkdir /mnt/a nothere/m3: ENOENT
mkdir /mnt/a f/x: ENOTDIR
mkdir /mnt/a dl: EEXIST
rmdir /mnt/a sub: ENOTEMPTY
unlink /mnt/a sub/m2: EISDIR
rmdir /mnt/a sub/m2: ok
rmdir /mnt/a m1: ok
rmdir /mnt/a m1: ENOENT
rmdir /mnt/a f: ENOTDIR
unlink /mnt/a new: ok
unlink /mnt/a new: ENOENT
mkdir /mnt/a /mnt/a/abs1: ok
rmdir /mnt/a /mnt/a/abs1: ok
rmdir /mnt/a /mnt/a: EBUSY
mkdir /mnt a: EEXIST
rmdir /mnt a: EBUSY
mkdir /mnt/ro m: EROFS
unlink /mnt/ro f: EROFS
mkdir /mnt/ro /mnt/ro/x: EROFS
mkdir $TEST_TMP/ro m4: ok
rmdir $TEST_TMP/ro m4: ok" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		python3 "$TEST_TMP/write_in.py" dir=/mnt/a mkdir:m1 mkdir:m1 mkdir:sub/m2 mkdir:nothere/m3 mkdir:f/x mkdir:dl \
		rmdir:sub unlink:sub/m2 rmdir:sub/m2 rmdir:m1 rmdir:m1 rmdir:f unlink:new unlink:new \
		mkdir:/mnt/a/abs1 rmdir:/mnt/a/abs1 rmdir:/mnt/a dir=/mnt mkdir:a rmdir:a \
		dir=/mnt/ro mkdir:m unlink:f mkdir:/mnt/ro/x "dir=$TEST_TMP/ro" mkdir:m4 rmdir:m4
	check "$mode: what creations below a directory fd left" "$TEST_TMP/a/sub/new3: w
$TEST_TMP/a/tgt: w
$TEST_TMP/b/made: w
$TEST_TMP/a/up: w
$TEST_TMP/ro/new7: w
$TEST_TMP/ro/f: keep
f
new7" \
		sh -c "for f in a/sub/new3 a/tgt b/made a/up ro/new7 ro/f; do printf '%s: %s\\n' \"$TEST_TMP/\$f\" \"\$(cat \"$TEST_TMP/\$f\")\"; done; ls -A '$TEST_TMP/ro'"
	fixture
	check "$mode: renames and symlinks, below directory fds and by absolute name" "symlink /mnt/a tgt2>sl1: ok
symlink /mnt/a x>sl1: EEXIST
rename /mnt/a sl1>sl2: ok
rename /mnt/a sl1>sl3: ENOENT
mkdir /mnt/a r1: ok
rename /mnt/a r1>sub/r1: ok
rename /mnt/a sub/r1>/mnt/b/r1: EXDEV
rename /mnt/a /mnt/a/sub/r1>/mnt/a/r2: ok
rename /mnt/a r2>/mnt/a: EXDEV
rename /mnt/a f>/mnt/ro/f2: EXDEV
rename /mnt/a d>r2: ok
symlink /mnt/a >e1: ENOENT
rename /mnt/ro f>g: EROFS
symlink /mnt/ro x>s: EROFS
symlink $TEST_TMP/ro t>s5: ok
rename $TEST_TMP/ro s5>s6: ok
unlink $TEST_TMP/ro s6: ok
symlink /mnt x>a: EEXIST
rename /mnt a>z: EBUSY
$TEST_TMP/a/r2 $TEST_TMP/a/sl2 -> tgt2 $TEST_TMP/a/sub" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		sh -c "python3 '$TEST_TMP/write_in.py' dir=/mnt/a 'symlink:tgt2>sl1' 'symlink:x>sl1' 'rename:sl1>sl2' 'rename:sl1>sl3' \
		mkdir:r1 'rename:r1>sub/r1' 'rename:sub/r1>/mnt/b/r1' 'rename:/mnt/a/sub/r1>/mnt/a/r2' 'rename:r2>/mnt/a' \
		'rename:f>/mnt/ro/f2' 'rename:d>r2' 'symlink:>e1' dir=/mnt/ro 'rename:f>g' 'symlink:x>s' \
		'dir=$TEST_TMP/ro' 'symlink:t>s5' 'rename:s5>s6' unlink:s6 dir=/mnt 'symlink:x>a' 'rename:a>z'
		cd '$TEST_TMP/a' && echo \$(for n in r2 sl2 sub; do [ -L \$n ] && echo '$TEST_TMP'/a/\$n -\> \$(readlink \$n) || echo '$TEST_TMP'/a/\$n; done)"
	fixture
	check "$mode: hard links, below directory fds and by absolute name" "link /mnt/a f>hl1: ok
link /mnt/a f>hl1: EEXIST
link /mnt/a sub>hl2: EPERM
link /mnt/a f>/mnt/b/hl3: EXDEV
link /mnt/a /mnt/a/f>/mnt/a/sub/hl4: ok
link /mnt/a dl>hl5: ok
link /mnt/a nothere>hl6: ENOENT
link /mnt/ro f>h: EROFS
link $TEST_TMP/ro f>h7: ok
unlink $TEST_TMP/ro h7: ok
link /mnt a>z: EPERM
links of f: 3, hl5: dl -> tgt" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		sh -c "python3 '$TEST_TMP/write_in.py' dir=/mnt/a 'link:f>hl1' 'link:f>hl1' 'link:sub>hl2' 'link:f>/mnt/b/hl3' \
		'link:/mnt/a/f>/mnt/a/sub/hl4' 'link:dl>hl5' 'link:nothere>hl6' dir=/mnt/ro 'link:f>h' \
		'dir=$TEST_TMP/ro' 'link:f>h7' unlink:h7 dir=/mnt 'link:a>z'
		echo links of f: \$(stat -c %h '$TEST_TMP/a/f'), hl5: dl -\> \$(readlink '$TEST_TMP/a/hl5')"
	fixture
	check "$mode: times set by name, below directory fds and by absolute name" "utime /mnt/a f: ok
utime /mnt/a sub: ok
utime /mnt/a nothere: ENOENT
lutime /mnt/a dl: ok
utime /mnt/a dl: ENOENT
utime /mnt/a abs: ENOENT
utime /mnt/a /mnt/a/sub/: ok
utime /mnt/a /mnt/a/d: ok
lutime /mnt/a /mnt/a/abs: ok
utime /mnt/a f/x: ENOTDIR
utime /mnt/ro f: EROFS
lutime /mnt/ro f: EROFS
utime /mnt a: ok
lutime /mnt ro: EROFS
utime $TEST_TMP/ro f: ok
a a/abs a/d a/dl a/f a/sub ro/f" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		sh -c "python3 '$TEST_TMP/write_in.py' dir=/mnt/a utime:f utime:sub utime:nothere lutime:dl utime:dl utime:abs \
		utime:/mnt/a/sub/ utime:/mnt/a/d lutime:/mnt/a/abs utime:f/x dir=/mnt/ro utime:f lutime:f dir=/mnt utime:a lutime:ro \
		'dir=$TEST_TMP/ro' utime:f
		cd '$TEST_TMP' && echo \$(for f in a a/abs a/d a/dl a/f a/sub b ro ro/f; do [ \$(stat -c %Y \$f) = 7 ] && echo \$f; done)"
	fixture
	ln -s f "$TEST_TMP/a/fl"
	check "$mode: chmod, below directory fds and by absolute name" "chmod /mnt/a f: ok
chmod /mnt/a f: ok
chmod /mnt/a sub: ok
chmod /mnt/a nothere: ENOENT
chmod /mnt/a dl: ENOENT
chmod /mnt/a abs: ENOENT
chmod /mnt/a /mnt/a/d: ok
chmod /mnt/a /mnt/a/sub/: ok
chmod /mnt/a f/x: ENOTDIR
chmod /mnt/a fl: ok
chmod /mnt/a /mnt/a/fl: ok
chmod /mnt/ro f: EROFS
chmod /mnt a: ok
chmod /mnt ro: EROFS
chmod $TEST_TMP/ro f: ok
a 750 a/d 750 a/dl 777 a/f 750 a/fl 777 a/sub 750 ro 755 ro/f 750" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/b:/mnt/b" -b "$TEST_TMP/ro:/mnt/ro:ro" -w /mnt/a -- \
		sh -c "python3 '$TEST_TMP/write_in.py' dir=/mnt/a chmod:f chmod:f chmod:sub chmod:nothere chmod:dl chmod:abs \
		chmod:/mnt/a/d chmod:/mnt/a/sub/ chmod:f/x chmod:fl chmod:/mnt/a/fl dir=/mnt/ro chmod:f dir=/mnt chmod:a chmod:ro \
		'dir=$TEST_TMP/ro' chmod:f
		cd '$TEST_TMP' && echo \$(stat -c '%n %a' a a/d a/dl a/f a/fl a/sub ro ro/f)"
done

# Names the kernel finds too long (ENAMETOOLONG): a long path below a
# directory fd, and an absolute one of more than PATH_MAX in all; and a
# rename between two fds whose host directories lie in different mounts,
# one of them named by a mark left on its number by dup2 (EXDEV, nothing
# moved).
cat >"$TEST_TMP/edges.py" <<'PY'
import os
def tell(label, f):
    try:
        f()
        print(label + ":", "ok")
    except OSError as e:
        print(label + ":", os.strerror(e.errno))
d = os.open("/mnt/a", os.O_RDONLY | os.O_DIRECTORY)
for i in range(3):  # the first calls patch the sites
    os.mkdir("zz", dir_fd=d); os.rename("zz", "zy", src_dir_fd=d, dst_dir_fd=d); os.rmdir("zy", dir_fd=d)
tell("mkdir below, long", lambda: os.mkdir("a/" * 3000 + "b", dir_fd=d))
tell("unlink below, long", lambda: os.unlink("a/" * 3000 + "b", dir_fd=d))
p = "/mnt/a/deep"
while len(p) < 3880:
    p += "/" + "d" * 200
    os.makedirs(p, exist_ok=True)
tell("mkdir, more than PATH_MAX", lambda: os.mkdir(p + "/" + "x" * 250))
tell("symlink, more than PATH_MAX", lambda: os.symlink("t", p + "/" + "x" * 250))
b = os.open("/mnt/b", os.O_RDONLY | os.O_DIRECTORY)
x = os.open("/mnt/a2", os.O_RDONLY | os.O_DIRECTORY)
os.dup2(x, b)
b2 = os.open("/mnt/b", os.O_RDONLY | os.O_DIRECTORY)
open("/mnt/a/mv", "w").close()
tell("rename across mounts, after dup2", lambda: os.rename("mv", "mv", src_dir_fd=b, dst_dir_fd=b2))
print("moved:", os.path.exists("/mnt/b/mv"))
# utimensat's own checks: no O_PATH fd, no flags on the fd itself, two on a name.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def utimensat(fd, name, flags):
    r = libc.syscall({"x86_64": 280, "aarch64": 88}[os.uname().machine], fd, name, None, flags)
    return "ok" if r == 0 else os.strerror(ctypes.get_errno())
f = os.open("/mnt/a/mv", os.O_RDONLY)
o = os.open("/mnt/a/mv", os.O_PATH)
for i in range(2):
    print("times:", utimensat(o, None, 0), "|", utimensat(f, None, 0x8000), "|", utimensat(f, None, 0x100), "|",
          utimensat(-100, b"/mnt/a/mv", 0x8000), "|", utimensat(o, b"", 0x1000), "|", utimensat(-100, None, 0))
# fchmodat2 (Linux 6.6): not following a symlink, EOPNOTSUPP; a file, done.
os.symlink("mv", "/mnt/a/mvlink")
def fchmodat2(name, flags):
    r = libc.syscall(452, -100, name, 0o600, flags)
    return "ok" if r == 0 else os.strerror(ctypes.get_errno())
for i in range(2):
    print("fchmodat2:", fchmodat2(b"/mnt/a/mvlink", 0x100), "|", fchmodat2(b"/mnt/a/mv", 0x100), "|",
          fchmodat2(b"/mnt/a/mvlink", 0), "|", oct(os.stat("/mnt/a/mv").st_mode & 0o777))
PY
# fchmodat2 on a symlink not followed: EOPNOTSUPP, or ENOSYS before Linux 6.6.
ln -sfn nothere "$TEST_TMP/probe-link" || fail "cannot make a symlink"
nolchmod=$(python3 -c 'import ctypes, os, sys; l = ctypes.CDLL(None, use_errno=True); l.syscall(452, -100, sys.argv[1].encode(), 0o600, 0x100); print(os.strerror(ctypes.get_errno()))' "$TEST_TMP/probe-link")
for mode in --fast --confine --no-fast; do
	fixture
	check "$mode: long names, and a rename across mounts after dup2" "mkdir below, long: File name too long
unlink below, long: File name too long
mkdir, more than PATH_MAX: File name too long
symlink, more than PATH_MAX: File name too long
rename across mounts, after dup2: Invalid cross-device link
moved: False
times: Bad file descriptor | Invalid argument | Invalid argument | Invalid argument | ok | Bad address
times: Bad file descriptor | Invalid argument | Invalid argument | Invalid argument | ok | Bad address
fchmodat2: $nolchmod | ok | ok | 0o600
fchmodat2: $nolchmod | ok | ok | 0o600" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -b "$TEST_TMP/a:/mnt/a2" -b "$TEST_TMP/b:/mnt/b" -w /mnt/a -- \
		python3 "$TEST_TMP/edges.py"
done

# A write below a directory fd on a bind of the host's / (in another
# root, so that / is no directory above mount points) that leads into
# another host mount, procfs: fast mode answers as the supervisor does.
mkdir -p "$TEST_TMP/root/mnt/host" "$TEST_TMP/root/t" || fail "cannot make the root"
for l in bin lib lib64; do ln -sfn "usr/$l" "$TEST_TMP/root/$l"; done
cat >"$TEST_TMP/xdev.py" <<'PY'
import os
d = os.open("/mnt/host", os.O_RDONLY | os.O_DIRECTORY)
for i in range(3):  # the first call patches the site
    try:
        fd = os.open("proc/self/comm", os.O_WRONLY, dir_fd=d)
        os.write(fd, b"renamed")
        os.close(fd)
        print("comm:", open("/proc/self/comm").read().strip())
    except OSError as e:
        print("comm:", e.strerror)
PY
xdev() { facet_top "$1" -r "$TEST_TMP/root" -b /usr:/usr -b /:/mnt/host -b "$TEST_TMP:/t" -w / -- python3 /t/xdev.py; }
check "a write below a directory fd into another host mount" "$(xdev --no-fast 2>&1)" xdev --fast

# The fd an open gives is the lowest free, as the kernel's, for a file
# created through an absolute path too (the runtime's own fds move up).
for mode in --fast --no-fast; do
	fixture
	check "$mode: the lowest free fd" "0 0 0" \
		facet_top "$mode" -b "$TEST_TMP/a:/mnt/a" -w /mnt/a -- python3 -c '
import os
os.close(0)
fds = []
for _ in range(3):
    fd = os.open("/mnt/a/sub/low", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    fds.append(fd)
    os.close(fd)
print(*fds)'
done

# One file at two places, writable at one and read-only at the other (a
# hard link between two bound directories): a write through the
# read-only place is refused however often the other was written first;
# and a chmod of /proc/self/fd/N (glibc's lchmod makes one) from a thread
# whose fd table is its own acts on the object the process's leader has
# at N, as the kernel's /proc/self does.
mkdir -p "$TEST_TMP/hl/w" "$TEST_TMP/hl/r"
echo x >"$TEST_TMP/hl/w/f"
ln "$TEST_TMP/hl/w/f" "$TEST_TMP/hl/r/f"
cat >"$TEST_TMP/hl.py" <<'PY'
import ctypes, errno, os, threading
libc = ctypes.CDLL(None, use_errno=True)
def lchmod(path, mode):
    return "ok" if libc.fchmodat(-100, path.encode(), mode, 0x100) == 0 else errno.errorcode[ctypes.get_errno()]
def e(f, *a):
    try:
        f(*a)
        return "ok"
    except OSError as x:
        return errno.errorcode[x.errno]
w = os.open("/mnt/w/f", os.O_RDONLY)
print("writable", [e(os.utime, w, (1, 1)) for _ in range(3)], [lchmod("/mnt/w/f", 0o644) for _ in range(3)])
r = os.open("/mnt/r/f", os.O_RDONLY)
print("read-only", [e(os.utime, r, (2, 2)) for _ in range(2)], [lchmod("/mnt/r/f", 0o600) for _ in range(2)])
def thread():
    libc.unshare(0x400)  # CLONE_FILES: a table of its own
    os.dup2(w, r)        # its r now names the writable place
    print("thread chmod of /proc/self/fd/N", e(os.chmod, "/proc/self/fd/%d" % r, 0o600))
t = threading.Thread(target=thread)
t.start()
t.join()
st = os.stat("/mnt/w/f")
print("mode", oct(st.st_mode & 0o777), "mtime", st.st_mtime)
PY
for mode in --fast --confine --no-fast; do
	chmod 644 "$TEST_TMP/hl/w/f"
	check "$mode: one file writable at one place, read-only at another" \
"writable ['ok', 'ok', 'ok'] ['ok', 'ok', 'ok']
read-only ['EROFS', 'EROFS'] ['EROFS', 'EROFS']
thread chmod of /proc/self/fd/N EROFS
mode 0o644 mtime 1.0" \
		facet_top "$mode" -b "$TEST_TMP/hl/w:/mnt/w" -b "$TEST_TMP/hl/r:/mnt/r:ro" -- python3 "$TEST_TMP/hl.py"
done

# A view whose root shows the host's / and where no mount refuses a
# write: the runtime writes below a directory fd without reading the fd's
# host path (rt_write_mount_of_fd). procfs stays the supervisor's, also
# under a number that named a writable directory before a dup2; the new
# file's name is its mount's. The same answers as natively, in every mode.
mkdir -p "$TEST_TMP/pw"
cat >"$TEST_TMP/pw.py" <<'PY'
import errno, os, sys
def e(f, *a, **k):
    try:
        f(*a, **k)
        return "ok"
    except OSError as x:
        return errno.errorcode[x.errno]
base = sys.argv[1]
d = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
p = os.open("/proc/self", os.O_RDONLY | os.O_DIRECTORY)
print("in procfs:", e(os.mkdir, "x", dir_fd=p), e(os.open, "n", os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=p), e(os.utime, p))
os.dup2(p, d)
print("after dup2:", e(os.mkdir, "y", dir_fd=d), e(os.open, "n", os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=d),
      os.path.exists(base + "/y"))
d = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
print("mkdir:", e(os.mkdir, "z", dir_fd=d), os.path.isdir(base + "/z"))
fd = os.open("z/f", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=d)
os.utime(fd, (1, 2))
print("made:", os.readlink("/proc/self/fd/%d" % fd).replace(base, "BASE"), os.stat("z/f", dir_fd=d).st_mtime)
os.rename("z/f", "z/g", src_dir_fd=d, dst_dir_fd=d)
print("renamed:", sorted(os.listdir(base + "/z")))
PY
native=$(rm -rf "$TEST_TMP/pw"/*; python3 "$TEST_TMP/pw.py" "$TEST_TMP/pw" 2>&1)
for mode in --fast --confine --no-fast; do
	rm -rf "$TEST_TMP/pw"/*
	check "$mode: writes below directory fds where every mount is writable" "$native" \
		facet_top "$mode" -b "$TEST_TMP/pw:/mnt/pw" -- python3 "$TEST_TMP/pw.py" /mnt/pw
done

checks_done
