#!/usr/bin/env bash
# How a view finds and starts programs, with the answers PRoot's own tests
# give (tests/PROOT-COVERAGE.md maps them): a static program runs in a root
# that holds nothing else; the command is searched in the guest's PATH and
# a relative one from -w; argv[0] is the name as typed; scripts run through
# PATH, by path and through symlinks, their interpreter found in the root;
# absolute symlinks are followed inside the root, at exec too;
# /proc/self/exe names the program in guest terms; symlink targets are
# read and written verbatim; chroot inside the root moves "/" for absolute
# symlinks too; ld.so runs programs; the working directory is the caller's
# by default. Every check runs; all failures are listed at the end.
set -u
source "$(dirname "$0")/../lib.sh"

PT=$HELPERS/helper-pathtool
[ -x "$PT" ] || skip "helper-pathtool was not built (no static linking here)"

# A root with nothing but the multi-call static program under its names.
R=$TEST_TMP/root
mkdir -p "$R/bin" "$R/tmp/l1" "$R/tmp/l2" "$R/tmp/c2" "$R/tmp/c"
ln "$PT" "$R/bin/pathtool" 2>/dev/null || cp "$PT" "$R/bin/pathtool" || fail "cannot copy $PT"
for n in true false argv pwd readlink ls cat cd fcd exec chroot symlink exe comm; do
	ln "$R/bin/pathtool" "$R/bin/$n" || fail "cannot link $R/bin/$n"
done
ln -s /usr/bin/true "$R/bin/abs-true"
ln -s ./true "$R/bin/rel-true"
printf '#!/bin/argv -x\n' >"$R/tmp/script"
chmod 755 "$R/tmp/script"
ln -s script "$R/tmp/script-link"
printf '#!/bin/true\n' >"$R/tmp/noexec"
chmod 644 "$R/tmp/noexec"
# Chains of absolute symlinks, meaningful only inside the root.
ln -s /bin/true "$R/tmp/l1/true"
ln -s /tmp/l1/true "$R/tmp/l2/true"
ln -s /bin/exe "$R/tmp/l1/exe"
ln -s /tmp/l1/exe "$R/tmp/l2/exe"
# After chroot /tmp: /c/true -> /c2/true, the program.
ln "$R/bin/pathtool" "$R/tmp/c2/true"
ln -s /c2/true "$R/tmp/c/true"

# --- a static program, and the command found in the guest ---------------------------
check "a static program in a root with nothing else" "" facet_top -r "$R" /bin/true
check "the command found through the guest's PATH" "" env PATH=/bin "$FACET" --backend="$FACET_BACKEND" -r "$R" true
check "a PATH that names nothing in the guest" "facet: cannot run true: No such file or directory
[exit 127]" env PATH=/nib "$FACET" --backend="$FACET_BACKEND" -r "$R" true
check "./true from -w /bin" "" facet_top -r "$R" -w /bin ./true
check "bin/true from -w /" "" facet_top -r "$R" -w / bin/true
check "bin/./true from -w /" "" facet_top -r "$R" -w / bin/./true
check "../bin/true from -w / (.. stays at /)" "" facet_top -r "$R" -w / ../bin/true
check "/true is not in the root" "facet: cannot run /true: No such file or directory
[exit 127]" facet_top -r "$R" /true
check "./true from / is not there" "facet: cannot run ./true: No such file or directory
[exit 127]" facet_top -r "$R" ./true
check "a non-executable script" "facet: cannot run /tmp/noexec: Permission denied
[exit 126]" facet_top -r "$R" /tmp/noexec

# --- argv[0] and scripts ---------------------------------------------------------------
check "argv[0] is the name as typed (through PATH)" "argv" env PATH=/bin "$FACET" --backend="$FACET_BACKEND" -r "$R" argv
check "argv[0] is the path as typed" "/bin/argv a" facet_top -r "$R" /bin/argv a
check "a script found through PATH" "/bin/argv -x /tmp/script a" \
	env PATH=/tmp:/bin "$FACET" --backend="$FACET_BACKEND" -r "$R" script a
check "a script by absolute path" "/bin/argv -x /tmp/script" facet_top -r "$R" /tmp/script
check "a script by relative path" "/bin/argv -x ./script" facet_top -r "$R" -w /tmp ./script
check "a script through a symlink keeps the symlink's name" "/bin/argv -x /tmp/script-link" facet_top -r "$R" /tmp/script-link
# What a program printed of its arguments: their count, the first and the
# last, and whether those from the first number on are 1 to N in order.
argv_summary() {
	local from=$1
	shift
	"$@" | awk -v from="$from" '{ ok = "in order"; for (i = from; i <= NF; i++) if ($i != i - from + 1) ok = "not in order";
				      print NF, $1, $NF, ok }'
}
# A script's argv is rebuilt for its interpreter; it may be as long as the
# kernel takes (xargs, find -exec {} +, libtool's link lines): not only
# the first 510 arguments (facet's limit before). And a program exec'd with
# a long argv gets its load plan: the kernel leaves the new stack hardly a
# page below the pointer, where the plan was written before. In every mode.
many=$(seq 3000)
longer=$(seq 30000)
for mode in --fast --confine --no-fast; do
	# shellcheck disable=SC2086 # one argument per number
	check "a script exec'd with 3000 arguments ($mode)" "3003 /bin/argv 3000 in order" \
		argv_summary 4 facet_top $mode -r "$R" /bin/exec /tmp/script /tmp/script $many
	# shellcheck disable=SC2086
	check "a program exec'd with 30000 arguments ($mode)" "30001 /bin/argv 30000 in order" \
		argv_summary 2 facet_top $mode -r "$R" /bin/exec /bin/argv /bin/argv $longer
done

# --- absolute symlinks inside the root ------------------------------------------------
check "a chain of absolute symlinks through PATH" "" env PATH=/tmp/l2 "$FACET" --backend="$FACET_BACKEND" -r "$R" true
check "a chain of absolute symlinks, path with //" "" facet_top -r "$R" //tmp/l2/true
check "/proc/self/exe after a chain of symlinks is the target" "/bin/exe" facet_top -r "$R" -b /proc /tmp/l2/exe
check "readlink /proc/self/exe in the root" "/bin/readlink" facet_top -r "$R" -b /proc readlink /proc/self/exe
check "readlink /proc/1/../self/exe in the root" "/bin/readlink" facet_top -r "$R" -b /proc readlink /proc/1/../self/exe
check "readlink /proc/self/exe/ is not a directory" "readlink: ENOTDIR
[exit 1]" facet_top -r "$R" -b /proc readlink /proc/self/exe/
run exe.out exe.err facet_top -r "$R" -b /proc cat /proc/self/exe
if [ "$status" != 0 ] || ! cmp -s exe.out "$R/bin/cat"; then
	check "reading /proc/self/exe reads the program" "same bytes as /bin/cat" echo "status $status, $(wc -c <exe.out) bytes, $(head -c 200 exe.err)"
fi
host_readlink=$(readlink -f "$(command -v readlink)")
check "readlink /proc/self/exe without a root" "$host_readlink" facet_top -b "$R:/mnt/facet-r-$$" readlink /proc/self/exe
check "readlink /proc/self/exe from a shell" "$host_readlink" facet_top -b "$R:/mnt/facet-r-$$" sh -c 'readlink /proc/self/exe'

# --- symlink targets are text: read and written verbatim -----------------------------
H=$TEST_TMP/host
mkdir -p "$H"
ln -s /tmp/ced-host "$H/L"
ln -s /tmp/ced-guest "$R/tmp/L"
check "readlink of an absolute target (host path text)" "/usr/bin/true" facet_top -r "$R" readlink /bin/abs-true
check "readlink of a relative target" "./true" facet_top -r "$R" readlink /bin/rel-true
check "readlink with the host's / bound in the root" "/usr/bin/true" facet_top -r "$R" -b /:/host-rootfs readlink /bin/abs-true
check "readlink with the host's / bound in the root (relative)" "./true" facet_top -r "$R" -b /:/host-rootfs readlink /bin/rel-true
check "the root's symlink, not the host's" "/tmp/ced-guest" facet_top -r "$R" readlink /tmp/L
check "a bind over /tmp shows the host's symlink" "/tmp/ced-host" facet_top -r "$R" -b "$H:/tmp" readlink /tmp/L
check "a bound symlink's target is not rewritten" "/tmp/ced-host" facet_top -r "$R" -b "$H:/foo" readlink /foo/L
check "the root's /tmp is still the root's" "/tmp/ced-guest" facet_top -r "$R" -b "$H:/foo" readlink /tmp/L
check "the host's symlink seen through /host-rootfs" "/tmp/ced-host" facet_top -r "$R" -b /:/host-rootfs -b "$H:/foo" readlink "/host-rootfs$H/L"
check "symlink() in a bind" "" facet_top -r "$R" -b /:/host-rootfs -b "$H:/foo" -w /foo symlink /foo/bar L2
check "symlink() stores the target as given" "/foo/bar" readlink "$H/L2"
check "and reads it back as given" "/foo/bar" facet_top -r "$R" -b "$H:/foo" -w /foo readlink L2

# --- chroot inside the root ---------------------------------------------------------------
check "chroot . then exec" "" facet_top -r "$R" -w / chroot . /bin/true
check "chroot: getcwd is / after chdir /" "/" facet_top -r "$R" -w / chroot /bin /pwd
check "chroot: absolute symlinks follow the new root" "" facet_top -r "$R" -w / chroot /tmp /c/true
check "chroot: the old root's paths are gone" "exec: ENOENT
[exit 127]" facet_top -r "$R" -w / chroot /tmp /l1/true

# --- -r /, ld.so, the working directory -------------------------------------------------
check "-r / -w /usr, chdir share" "/usr/share" facet_top -r / -w /usr "$PT" cd share
check "-r / -w /usr, fchdir share" "/usr/share" facet_top -r / -w /usr "$PT" fcd share
LDSO=/lib64/ld-linux-x86-64.so.2
if [ -x "$LDSO" ]; then
	want=$("$LDSO" --list /usr/bin/true 2>&1 | sed 's/ (0x[0-9a-f]*)$//')
	check "ld.so --list (ldd) in a view" "$want" sh -c \
		"'$FACET' --backend='$FACET_BACKEND' -b '$R:/mnt/facet-r-$$' '$LDSO' --list /usr/bin/true 2>&1 | sed 's/ (0x[0-9a-f]*)\$//'"
	check "ld.so runs a program" "hi" facet_top -b "$R:/mnt/facet-r-$$" "$LDSO" /usr/bin/echo hi
fi
mkdir -p deep/sub
check "by default the working directory is the caller's" "$TEST_TMP/deep/sub" sh -c \
	"cd deep/sub && '$FACET' --backend='$FACET_BACKEND' -b '$R:/mnt/facet-r-$$' '$PT' pwd"
check "-w /tmp without a root" "/tmp" facet_top -w /tmp -b "$R:/mnt/facet-r-$$" pwd -P
check "-w /tmp: the shell's \$PWD" "/tmp" facet_top -w /tmp -b "$R:/mnt/facet-r-$$" sh -c 'echo $PWD'

# --- PATH lookups of the command itself -------------------------------------------------
mkdir -p pathdir/true
check "a directory named like the command in PATH is skipped" "" \
	env PATH="$TEST_TMP/pathdir:/usr/bin:/bin" "$FACET" --backend="$FACET_BACKEND" -b "$R:/mnt/facet-r-$$" true
check "... by the program's own execvp too" "" \
	env PATH="$TEST_TMP/pathdir:/usr/bin:/bin" "$FACET" --backend="$FACET_BACKEND" -b "$R:/mnt/facet-r-$$" env true
mkdir -p cwdcmd
ln -s "$(command -v true)" cwdcmd/false
check "PATH is searched, not the working directory" "
[exit 1]" sh -c "cd cwdcmd && '$FACET' --backend='$FACET_BACKEND' -b '$R:/mnt/facet-r-$$' false"

# --- a file bound where nothing is, run as the command -------------------------------------
check "a file bound at a new path, run" "" facet_top -r "$R" -b "$PT:/opt/new/true" /opt/new/true
check "a host program bound at a new top-level path, run" "" facet_top -b "/usr/bin/true:/facet-missing-$$/true" "/facet-missing-$$/true"
[ ! -e "/facet-missing-$$" ] || check "the mount point was not made on the host" "absent" echo present

# --- programs that PRoot once got wrong ------------------------------------------------------------
check "sh reads a script from /proc/self/fd/0 (a pipe)" "OK" sh -c \
	"echo 'echo OK' | '$FACET' --backend='$FACET_BACKEND' -b '$R:/mnt/facet-r-$$' sh /proc/self/fd/0"
if command -v make >/dev/null; then
	printf 'SHELL=/bin/bash\nFOO:=$(shell test -e /dev/null && echo OK)\nall:\n\t@/usr/bin/test -n "$(FOO)" && echo made\n' >t.mk
	check "make with SHELL=/bin/bash and \$(shell ...)" "made" facet_top -b "$R:/mnt/facet-r-$$" make -s -f "$TEST_TMP/t.mk"
fi
if command -v msgmerge >/dev/null && command -v timeout >/dev/null; then
	check "msgmerge ends" "" timeout 10 "$FACET" --backend="$FACET_BACKEND" -b "$R:/mnt/facet-r-$$" msgmerge -q /dev/null /dev/null
fi

# --- what the supervisor must leave to the program ----------------------------------------------
if command -v python3 >/dev/null; then
	check "the program's own SIGTRAP reaches its handler" "trap" facet_top -b "$R:/mnt/facet-r-$$" python3 -c \
		'import os, signal; signal.signal(signal.SIGTRAP, lambda *a: print("trap")); os.kill(os.getpid(), signal.SIGTRAP)'
fi
if command -v python3 >/dev/null; then
	check "500 children that exit at once, 300 killed while writing to a pipe" "done" facet_top -b "$R:/mnt/facet-r-$$" python3 -c '
import os
for i in range(500):
    if os.fork() == 0:
        os._exit(0)
for i in range(300):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        while True:
            os.write(w, b"!")
    os.kill(pid, 9)
    os.close(r)
    os.close(w)
print("done")'
fi
check "a trace in the root shows one execve, of the guest path" "" facet_top -r "$R" --trace=execve -o trace /bin/true
check "... that execve, and the end" 'PID execve("/bin/true", ["/bin/true"], ENV) = 0
PID +++ exited with 0 +++' sed -E 's/^[0-9]+ +/PID /; s|0x[0-9a-f]+ /\* [0-9]+ vars \*/|ENV|' trace

# The fds of programs an exec named are kept for the next exec of the same
# file (src/core/view/exec_fds.c): a program rewritten in place, removed
# and made again, or renamed, runs as it is now.
mkdir -p "$TEST_TMP/progs" || fail "cannot make the fixture"
for mode in --fast --no-fast; do
	check "$mode: a program changed between execs runs as changed" "t 0
f 1
t 0
t 0
f 1" \
		facet_top "$mode" -b "$TEST_TMP/progs:/mnt/p" -w /mnt/p -- sh -c '
		cp /bin/true x; ./x; echo t $?
		cat /bin/false >x; ./x; echo f $?
		rm x; cp /bin/true x; ./x; echo t $?
		cp /bin/false y; mv x z; ./z; echo t $?
		mv y x; ./x; echo f $?'
done

checks_done
