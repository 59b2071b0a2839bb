#!/usr/bin/env bash
# How -b reads its two paths, with the answers of PRoot's tests and of real
# bind mounts (tests/PROOT-COVERAGE.md maps them): a host path may be a
# symlink or relative (".", the default guest path being where it is); a
# guest path is resolved as mount(2) resolves its target, through the
# view's symlinks and ".."; file and directory binds nest in any order;
# mount points appear in missing and unreadable directories; a host
# directory bound at two guest paths is seen at the one that was used
# (getcwd, /proc/self/cwd); binding the host's / inside a root; a guest
# path longer than its host path. Every check runs; all failures are
# listed at the end.
set -u
source "$(dirname "$0")/../lib.sh"

PT=$HELPERS/helper-pathtool
[ -x "$PT" ] || skip "helper-pathtool was not built (no static linking here)"

R=$TEST_TMP/root
H=$TEST_TMP/host
G=/tmp/facet-bind-paths-$$-$RANDOM   # a guest path that does not exist on the host
[ ! -e "$G" ] || skip "$G exists"
mkdir -p "$R/bin" "$R/tmp/x/run/dbus" "$R/tmp/x/var" "$R/tmp/locked" "$H/a/b" "$H/sub/deeper"
ln "$PT" "$R/bin/pathtool" 2>/dev/null || cp "$PT" "$R/bin/pathtool" || fail "cannot copy $PT"
for n in true pwd readlink ls cat cd fcd; do
	ln "$R/bin/pathtool" "$R/bin/$n" || fail "cannot link $R/bin/$n"
done
echo one >"$H/f1"
echo two >"$H/f2"
ln -s "$H/f1" "$H/s1"
ln -s "$H/f2" "$H/s2"
ln -s ../run "$R/tmp/x/var/run"
chmod 0111 "$R/tmp/locked"

# --- the host path ---------------------------------------------------------------------------
check "a host path that is a symlink: its target is bound" "one" facet_top -b "$H/s1:$G" cat "$G"
check "a relative host path with a guest path" "reg f1" sh -c \
	"cd '$H/a/..' && '$FACET' --backend='$FACET_BACKEND' -b 'a/../f1:$G/f1' '$PT' ls '$G'"
# PRoot's `-b .`: the guest path is the host path, made absolute.
check "-b . binds the working directory at its own path" "reg f1
reg f2
lnk s1
lnk s2
dir sub" sh -c "cd '$H' && '$FACET' --backend='$FACET_BACKEND' -r '$R' -b . ls '$H' | grep -v ' a\$'"
ln -s /proc/self/mounts "$H/mounts-link"
check "-b RELATIVE-SYMLINK (to /proc/self/mounts)" "" sh -c \
	"cd '$H' && '$FACET' --backend='$FACET_BACKEND' -b mounts-link true"

# --- the guest path ----------------------------------------------------------------------------
check "a guest path with '..' is the path it names" "two" facet_top -b "$H/f2:/tmp/..$G" cat "$G"
# mount(2) follows a symlink at the mount point: bound at s2's target, f2.
check "a guest path that is a symlink: the bind is at its target" "one" facet_top -b "$H/f1:$H/s2" cat "$H/f2"
check "... and the symlink stays a symlink" "$H/f2" facet_top -b "$H/f1:$H/s2" "$PT" readlink "$H/s2"
# Debian's /var/run -> ../run: a bind at /var/run/... is a bind at /run/...
check "a guest path through a symlink in the root" "reg f1
reg f2" sh -c "'$FACET' --backend='$FACET_BACKEND' -r '$R' -b '$H:/tmp/x/var/run/dbus' ls /tmp/x/var/run/dbus/ | grep ' f[12]\$'"
check "... seen at the symlink's target too" "reg f1
reg f2" sh -c "'$FACET' --backend='$FACET_BACKEND' -r '$R' -b '$H:/tmp/x/var/run/dbus' ls /tmp/x/run/dbus | grep ' f[12]\$'"

# --- nesting, in any order --------------------------------------------------------------------------
check "file and directory binds nested (outer first)" "one
two" facet_top -b "$H/f1:$G/a/b/c" -b "$H/a/b:$G/a/b" -b "$H/f2:$G/a/d" -b "$H/a:$G/a" cat "$G/a/b/c" "$G/a/d"
check "file and directory binds nested (inner first)" "one
two" facet_top -b "$H/a:$G/a" -b "$H/f2:$G/a/d" -b "$H/a/b:$G/a/b" -b "$H/f1:$G/a/b/c" cat "$G/a/b/c" "$G/a/d"
check "a file bound inside a bound directory" "one" facet_top -b "$H/f1:$G/etc/fstab" -b /dev/null -b "/etc:$G/etc" cat "$G/etc/fstab"

# --- mount points where the root's directories are missing or unreadable ----------------------------------
check "an unreadable directory stays unreadable" "ls: EACCES
[exit 1]" facet_top -r "$R" -b "$H/f1:/tmp/locked/m/file" ls /tmp/locked
check "a missing directory under it lists its mount point" "reg file" facet_top -r "$R" -b "$H/f1:/tmp/locked/m/file" ls /tmp/locked/m
check "... which can be read" "one" facet_top -r "$R" -b "$H/f1:/tmp/locked/m/file" cat /tmp/locked/m/file
check "... a directory's mount point is a directory" "dir file" facet_top -r "$R" -b "$H/a:/tmp/locked/m/file" ls /tmp/locked/m
check "two mount points in one missing directory" "reg file
reg motd" facet_top -r "$R" -b "$H/f1:/tmp/locked/m/file" -b "$H/f2:/tmp/locked/m/motd" ls /tmp/locked/m
check "a file under a missing directory beside a file" "one" \
	facet_top -r "$R" -b "$H/f2:/tmp/locked/m/motd" -b "$H/f1:/tmp/locked/m/file/motd" cat /tmp/locked/m/file/motd
check "missing trees at the root's top" "dir bin
dir this1
dir this2
dir tmp" facet_top -r "$R" -b "/usr/bin:/this1/does/not/exist" -b "/tmp:/this2/does/not/exist" ls /
mkdir -p "$R$TEST_TMP"
chmod a-w "$R$TEST_TMP"
check "missing parents under a read-only directory of the root" "dir deeper" \
	facet_top -r "$R" -b "$H/sub/deeper:$H/sub/deeper" ls "$H/sub/deeper/.."
# Writable and readable again now: TEST_TMP is removed before on_exit's commands run.
chmod 0755 "$R/tmp/locked"
chmod u+w "$R$TEST_TMP"

# --- a directory bound over a file and a file over a directory (PRoot allows both; mount(2) does not) ---
mkdir -p "$H/t/D" "$H/dd"
touch "$H/t/F" "$H/dd/inner"
ln -s "$H/t/F" "$H/t/to-file"
ln -s "$H/t/D" "$H/t/to-dir"
check "a directory over a file, through a symlink" "reg inner" facet_top -b "$H/dd:$H/t/F" "$PT" ls "$H/t/to-file"
check "... with a trailing /." "reg inner" facet_top -b "$H/dd:$H/t/F" "$PT" ls "$H/t/to-file/."
check "... and its .." "$H/t" facet_top -b "$H/dd:$H/t/F" "$PT" cd "$H/t/to-file/.."
check "a file over a directory, through a symlink" "one" facet_top -b "$H/f1:$H/t/D" cat "$H/t/to-dir"
check "... is no directory" "ls: ENOTDIR
[exit 1]" facet_top -b "$H/f1:$H/t/D" "$PT" ls "$H/t/to-dir/"
check "... nor has a .." "chdir: ENOTDIR
[exit 1]" facet_top -b "$H/f1:$H/t/D" "$PT" cd "$H/t/to-dir/.."

# --- one host directory at two guest paths ------------------------------------------------------------
for order in "-b $H:/a -b $H:/b" "-b $H:/b -b $H:/a"; do
	for w in /a /b; do
		# shellcheck disable=SC2086
		check "-w $w with $order" "$w" facet_top -w "$w" $order "$PT" pwd
	done
	# shellcheck disable=SC2086
	check "chdir /b with $order" "/b" facet_top $order "$PT" cd /b
	# shellcheck disable=SC2086
	check "fchdir /b with $order" "/b" facet_top $order "$PT" fcd /b
	# shellcheck disable=SC2086
	check "chdir /a with $order" "/a" facet_top $order "$PT" cd /a
done
check "the host path of a bound directory, entered by that path" "$H" facet_top -b "$H:/x" "$PT" cd "$H"
check "by default the caller's directory, under a bound one" "$H/sub" sh -c \
	"cd '$H/sub' && '$FACET' --backend='$FACET_BACKEND' -b '$H:/x' '$PT' pwd"
check "/proc/self/cwd after chdir to the host path" "$H" facet_top -b "$H:/x" sh -c "cd '$H' && readlink /proc/self/cwd"
check "/proc/self/fd/N of a file opened by its host path" "$H/f1" facet_top -b "$H:/x" sh -c "exec 3<'$H/f1' && readlink /proc/self/fd/3"
check "/proc/self/fd/N of a file opened at the second guest path" "/b/f1" facet_top -b "$H:/a" -b "$H:/b" sh -c "exec 3</b/f1 && readlink /proc/self/fd/3"

# --- the host's / in a root; a guest path longer than its host path ----------------------------------------
check "-b /:/hostfs -w /hostfs/etc" "/hostfs/etc" facet_top -r "$R" -b /:/hostfs -w /hostfs/etc pwd
check "-b /:/hostfs -w /hostfs" "/hostfs" facet_top -r "$R" -b /:/hostfs -w /hostfs pwd
check "-b /:/hostfs -w /" "/" facet_top -r "$R" -b /:/hostfs -w / pwd
check "a guest path longer than its host path" "/a-guest-path-much-longer-than-the-host-one" \
	facet_top -r "$R" -b /tmp:/a-guest-path-much-longer-than-the-host-one -w /a-guest-path-much-longer-than-the-host-one pwd

# --- nothing is made on the host -------------------------------------------------------------------------------
check "a file bound at a missing host name" "" facet_top -b "$H/f1:$H/bound-here" true
[ ! -e "$H/bound-here" ] || check "the mount point was not made on the host" "absent" echo present

checks_done
