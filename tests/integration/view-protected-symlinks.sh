#!/usr/bin/env bash
# run-as: root
# fs.protected_symlinks in a view. Where the view follows a symlink itself
# (an absolute target, ".." out of a directory: the supervisor's resolver
# and the runtime both rewrite the path), it applies the kernel's rule: a
# path's last name that is a symlink in a sticky world-writable directory,
# owned neither by the follower nor by the directory's owner, is refused
# with EACCES — the /tmp attack the sysctl exists to stop, O_CREAT through
# a planted dangling link included. Where the view hands the kernel a
# directory on the way (unlink, mkdir, a create), that directory's name is
# not the path's last, and the kernel must not take it for one. Every
# answer is compared with the kernel's, natively, in every mode, with
# facet run by the user and with facet run as root and the command made
# that user (the supervisor then wears the command's fsuid).
#
# Needs root, to turn the sysctl on for the test (it is restored after).
set -u
source "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] ||
	skip "not root: the test turns fs.protected_symlinks on (run tests/run-tests.sh as root)"
need_facet
need_cmd setpriv python3
SYSCTL=/proc/sys/fs/protected_symlinks
before=$(cat "$SYSCTL" 2>/dev/null) || skip "no $SYSCTL: the kernel lacks fs.protected_symlinks"
echo 1 >"$SYSCTL" 2>/dev/null || skip "cannot write $SYSCTL (a read-only /proc/sys)"
on_exit "echo $before >$SYSCTL"

USER_ID=4243 # the follower; named nowhere
NOBODY=65534 # owns the planted links
AS_USER=(setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups)
chmod 755 "$TEST_TMP"
ST=$TEST_TMP/st

# A sticky world-writable directory owned by root, as /tmp is.
fixture() {
	rm -rf "$ST"
	mkdir -m 1777 "$ST" && mkdir -m 777 "$ST/sub" || fail "cannot make $ST"
	echo secret >"$ST/target" && echo f >"$ST/sub/f" && echo g >"$ST/sub/g" && chmod 666 "$ST/sub/f" "$ST/sub/g"
	ln -s "$ST/target" "$ST/other"   # absolute: the view follows it itself
	ln -s target "$ST/rel"           # relative: the kernel does
	ln -s "$ST/sub" "$ST/other_d"
	ln -s "$ST/planted" "$ST/dang"   # dangling: an O_CREAT through it
	ln -s "$ST/target" "$ST/rootl"   # the directory's owner's: followed
	chown -h $NOBODY "$ST/other" "$ST/rel" "$ST/other_d" "$ST/dang"
	ln -s "$ST/target" "$ST/mine"    # the follower's own: followed
	ln -s "$ST/other" "$ST/mine2"    # the follower's, to a refused one
	ln -s "$ST/other_d" "$ST/mine_d"
	chown -h $USER_ID "$ST/mine" "$ST/mine2" "$ST/mine_d"
}

# openat2 with RESOLVE_NO_SYMLINKS: the kernel checks fs.protected_symlinks
# before it refuses the link (EACCES, not ELOOP).
cat >openat2.py <<'EOF'
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
how = (ctypes.c_uint64 * 3)(os.O_RDONLY, 0, 0x04)  # RESOLVE_NO_SYMLINKS
for name in sys.argv[1:]:
    fd = libc.syscall(437, -100, name.encode(), ctypes.byref(how), 24)
    print("openat2 %s NO_SYMLINKS: %s" % (name, "ok" if fd >= 0 else errno.errorcode[ctypes.get_errno()]))
EOF
chmod 644 openat2.py

# Writes below a directory fd through that symlink (other_d/...), each
# twice (the second from a patched site): the kernel checks a symlink
# only as a path's last name.
cat >dirfd.py <<'EOF'
import os
d = os.open(".", os.O_RDONLY)
def t(what, f):
    try:
        f()
        print("dirfd", what, "ok")
    except OSError as e:
        print("dirfd", what, e.strerror)
t("rename", lambda: os.rename("other_d/g", "other_d/g3", src_dir_fd=d, dst_dir_fd=d))
t("rename back", lambda: os.rename("other_d/g3", "other_d/g", src_dir_fd=d, dst_dir_fd=d))
for n in ("n1", "n2"):
    t("create " + n, lambda: os.close(os.open("other_d/" + n, os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=d)))
for n in ("n1", "n2"):
    t("unlink " + n, lambda: os.unlink("other_d/" + n, dir_fd=d))
EOF
chmod 644 dirfd.py

cat >probe.sh <<EOF
cd "$ST" || exit 1
t() { printf '%s: ' "\$*"; "\$@" >/dev/null 2>&1 && echo ok || echo fail; }
for n in other rootl rel mine mine2 other_d/f mine_d/f other_d/ mine_d/ other_d/. dang; do
	t cat \$n; t test -e \$n; t test -h \$n
done
t sh -c 'echo x >dang'; t test -e planted; t sh -c 'echo x >>other'
t touch other_d/new; t mkdir other_d/dir; t rm other_d/new; t rmdir other_d/dir
t mv other_d/g other_d/g2; t mv other_d/g2 other_d/g; t ln -s x other_d/lk; t rm other_d/lk
t ls other_d/.; t ls -L other_d; t ls other_d/; t stat -c %s other_d/f
t sh -c 'echo x >other_d/f'; t sh -c 'exec 3<other_d/f'
ls -a other_d/. 2>&1
python3 "$TEST_TMP/openat2.py" other mine rootl
python3 "$TEST_TMP/dirfd.py"
EOF
chmod 644 probe.sh

fixture
run native.out native.err "${AS_USER[@]}" sh "$TEST_TMP/probe.sh"
expect_status 0 "$status" "the probe, natively" native.out native.err
# The kernel's own answers, so that the test cannot pass with the sysctl off.
for want in "openat2 other NO_SYMLINKS: EACCES" "openat2 mine NO_SYMLINKS: ELOOP" "cat other: fail" "cat rel: fail" "cat mine2: fail" "test -e other_d/: fail" \
	"sh -c echo x >dang: fail" "cat rootl: ok" "cat mine: ok" "cat other_d/f: ok" "mkdir other_d/dir: ok"; do
	grep -qxF "$want" native.out || fail "natively, expected \"$want\" with fs.protected_symlinks=1: $(cat native.out)"
done

# The directory as a mount of its own, and with a mount point in it (then
# the supervisor walks it name by name: src/vfs/resolve.c, follow_link).
mkdir -p "$TEST_TMP/inner" || fail "cannot make $TEST_TMP/inner"
for mounts in "-b $ST:$ST" "-b $ST:$ST -b $TEST_TMP/inner:$ST/inner"; do
	for mode in --fast --confine --no-fast; do
		fixture
		# shellcheck disable=SC2086 # $mounts: words
		check "$mode $mounts, facet run by the user" "$(cat native.out)" \
			"${AS_USER[@]}" "$FACET" --backend="$FACET_BACKEND" "$mode" $mounts -- sh "$TEST_TMP/probe.sh"
		check "$mode $mounts: nothing planted" "" find "$ST" -name planted
		fixture
		# shellcheck disable=SC2086
		check "$mode $mounts, facet run by root, the command by the user" "$(cat native.out)" \
			"$FACET" --backend="$FACET_BACKEND" "$mode" $mounts -- "${AS_USER[@]}" sh "$TEST_TMP/probe.sh"
	done
done
checks_done
