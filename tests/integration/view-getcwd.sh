#!/usr/bin/env bash
# getcwd in a view, which fast mode answers in the process from the names
# the supervisor writes at exec and chdir (src/core/view/rt_cwd.c): the
# same as natively after every way a cwd can change or be shared
# (helper-cwd: chdir, fchdir, threads, CLONE_FS, fork, vfork, a thread
# that unshared CLONE_FS), and the same in every mode after what the
# runtime cannot see itself: the directory renamed or removed by another
# process, one host directory at two places in the view, a small buffer.
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
CWD=$(helper cwd)

mkdir -p "$TEST_TMP/d" || fail "cannot make the fixture"
run native.out native.err "$CWD" "$TEST_TMP/d"
expect_status 0 "$status" "helper-cwd natively" native.out native.err
for mode in --fast --confine --no-fast; do
	check "$mode: helper-cwd in a view" "$(cat native.out)" facet_top "$mode" -b "$TEST_TMP/d:/mnt/d" -w / -- "$CWD" /mnt/d
done

cat >moves.py <<'PY'
import ctypes, errno, os, sys
def show(tag):
    out = []
    for _ in range(3):  # the first call may patch the site
        try:
            out.append(os.getcwd())
        except OSError as e:
            out.append(errno.errorcode[e.errno])
    print(tag, " ".join(out))
host = sys.argv[1]
os.makedirs("/mnt/x/sub", exist_ok=True)
os.chdir("/mnt/x/sub"); show("mount")
os.chdir(host + "/sub"); show("the same directory by its host name")
os.chdir("/mnt/x/sub"); show("back")
os.rename(host + "/sub", host + "/moved"); show("renamed")
os.rename(host + "/moved", host + "/sub")
os.mkdir("/mnt/x/gone"); os.chdir("/mnt/x/gone"); os.rmdir("/mnt/x/gone"); show("removed")
os.chdir("/"); show("root")
libc = ctypes.CDLL(None, use_errno=True)
for _ in range(2):  # the second from the patched site
    r = libc.syscall(79, ctypes.create_string_buffer(2), ctypes.c_size_t(1))
    print("small buffer", r, errno.errorcode.get(ctypes.get_errno()))
    r = libc.syscall(79, ctypes.c_void_p(4096), ctypes.c_size_t(100))
    print("bad buffer", r, errno.errorcode.get(ctypes.get_errno()))
PY
mkdir -p "$TEST_TMP/x" || fail "cannot make the fixture"
want="mount /mnt/x/sub /mnt/x/sub /mnt/x/sub
the same directory by its host name $TEST_TMP/x/sub $TEST_TMP/x/sub $TEST_TMP/x/sub
back /mnt/x/sub /mnt/x/sub /mnt/x/sub
renamed /mnt/x/moved /mnt/x/moved /mnt/x/moved
removed ENOENT ENOENT ENOENT
root / / /
small buffer -1 ERANGE
bad buffer -1 EFAULT
small buffer -1 ERANGE
bad buffer -1 EFAULT"
for mode in --fast --confine --no-fast; do
	check "$mode: getcwd after renames, removals, in a directory seen twice" "$want" \
		facet_top "$mode" -b "$TEST_TMP/x:/mnt/x" -w / -- python3 "$PWD/moves.py" "$TEST_TMP/x"
done
checks_done
