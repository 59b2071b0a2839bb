#!/usr/bin/env bash
# open/openat are performed by the supervisor and the file injected into the
# tracee (notify back end), or left to the kernel where only it can do them
# (a FIFO that blocks for its writer). Each kind of open must give the traced
# program what it gets natively: same errors, same file, same flags.
set -u
. "$(dirname "$0")/../lib.sh"
need_cmd python3

cd "$TEST_TMP" || fail "cannot cd to $TEST_TMP"
mkdir dir && echo content >file && ln -s file link && ln -s nowhere dangling
mkfifo fifo
python3 - <<'PY' || skip "cannot make a unix socket here"
import socket; s = socket.socket(socket.AF_UNIX); s.bind("sock")
PY

cat >probe.py <<'PY'
import errno, fcntl, os, sys, threading, time
def attempt(label, path, flags, dirfd=None):
    try:
        fd = os.open(path, flags, dir_fd=dirfd)
    except OSError as e:
        print(label, errno.errorcode[e.errno]); return
    st = os.fstat(fd)
    fl = fcntl.fcntl(fd, fcntl.F_GETFL) & ~0o100000  # O_LARGEFILE is the kernel's business
    cloexec = fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
    same = (st.st_dev, st.st_ino) == ((os.stat(path, dir_fd=dirfd, follow_symlinks=not flags & os.O_NOFOLLOW).st_dev,
                                      os.stat(path, dir_fd=dirfd, follow_symlinks=not flags & os.O_NOFOLLOW).st_ino))
    print(label, "ok", oct(fl), "cloexec" if cloexec else "inherit", "same-file" if same else "OTHER-FILE")
    os.close(fd)
R, W = os.O_RDONLY, os.O_WRONLY
attempt("file", "file", R)
attempt("file-cloexec", "file", R | os.O_CLOEXEC)
attempt("file-append-nonblock", "file", W | os.O_APPEND | os.O_NONBLOCK)
attempt("dir", "dir", R | os.O_DIRECTORY)
attempt("dir-write", "dir", W)
attempt("file-as-dir", "file", R | os.O_DIRECTORY)
attempt("link", "link", R)
attempt("link-nofollow", "link", R | os.O_NOFOLLOW)
attempt("dangling", "dangling", R)
attempt("missing", "missing", R)
attempt("socket", "sock", R)
attempt("devnull", "/dev/null", os.O_RDWR)
attempt("o-path", "link", os.O_PATH | os.O_NOFOLLOW)
d = os.open("dir", os.O_RDONLY)
attempt("relative-to-dirfd", "../file", R, dirfd=d)
attempt("bad-dirfd", "file", R, dirfd=999)
# A FIFO blocks until a writer comes: only the kernel can do that open.
threading.Thread(target=lambda: (time.sleep(0.2), open("fifo", "w").write("x"))).start()
attempt("fifo", "fifo", R)
# /dev/fd/N and /proc/self/fd/N name the opener's own fds.
r, w = os.pipe()
attempt("dev-fd-pipe", "/dev/fd/%d" % r, R | os.O_NONBLOCK)
attempt("proc-self-fd", "/proc/self/fd/%d" % r, R | os.O_NONBLOCK)
PY

python3 probe.py >native 2>&1 || fail "probe failed natively: $(cat native)"
facet_trace -e trace=open,openat -o trace python3 probe.py >traced 2>&1 \
	|| fail "probe failed under facet trace: $(cat traced)"
diff -u native traced || fail "an open behaved differently under facet trace"
# Injected fds count against the tracee's own RLIMIT_NOFILE.
cat >emfile.py <<'PY'
import errno, os
fds = []
try:
    while True:
        fds.append(os.open("file", os.O_RDONLY))
except OSError as e:
    print("stopped", errno.errorcode[e.errno], len(fds))
PY
(ulimit -n 24 && python3 emfile.py) >native-emfile 2>&1
(ulimit -n 24 && facet_trace -o /dev/null python3 emfile.py) >traced-emfile 2>&1
diff -u native-emfile traced-emfile || fail "running out of fds differs under facet trace"

# The FIFO open blocks until the writer comes, so its line is split
# (<unfinished ...> / <... openat resumed>) as strace splits it.
join_trace trace trace.joined
grep -qE 'openat\(AT_FDCWD, "fifo", O_RDONLY\|O_CLOEXEC\) += [0-9]' trace.joined \
	|| fail "the FIFO open is missing from the trace or has no result: $(grep fifo trace)"
exit 0
