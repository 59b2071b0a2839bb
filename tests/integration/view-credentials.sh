#!/usr/bin/env bash
# run-as: root
# A view performs the tracee's path calls itself, and does so with the
# tracee's credentials: when facet runs as root and the command changes
# them (setpriv to another user, with or without supplementary groups, or
# root giving up capabilities), what it may read, list, search, create and
# execute in the view is what the kernel lets that user do natively, and
# the files it creates are that user's. Both with the supervisor's own
# calls (stat, open, mkdir... on the notify back end) and with those the
# kernel makes in the tracee through /proc/PID/fd names (chdir, exec
# through facet's loader, every open on the ptrace back end).
#
# Needs root: tests/run-tests.sh runs it as root when it runs as root.
set -u
source "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] ||
	skip "not root: only a privileged facet has commands that change their credentials (run tests/run-tests.sh as root)"
need_cmd setpriv

NOBODY=65534 # nobody and nogroup, by number: they need not be named
GROUP=4242   # a supplementary group, named nowhere

# The tree, readable by the other users up to its own modes.
chmod 755 "$TEST_TMP"
D=$TEST_TMP/tree
mkdir -p "$D/locked" "$D/group" "$D/mine" "$D/ro" || fail "cannot make $D"
echo pub >"$D/pub" && chmod 644 "$D/pub"
echo secret >"$D/secret" && chmod 600 "$D/secret"
echo f >"$D/locked/f" && chmod 700 "$D/locked"
echo g >"$D/group/f" && chown -R 0:$GROUP "$D/group" && chmod 770 "$D/group" && chmod 640 "$D/group/f"
chown $NOBODY:$NOBODY "$D/mine"
echo nob >"$D/nobody-only" && chown $NOBODY "$D/nobody-only" && chmod 600 "$D/nobody-only"
printf '#!/bin/sh\necho ran\n' >"$D/exe-root" && chmod 700 "$D/exe-root"
printf '#!/bin/sh\necho ran\n' >"$D/exe-all" && chmod 755 "$D/exe-all"

# probe.sh ROOT TAG: one line per check, what the kernel allowed.
cat >probe.sh <<'EOF'
r=$1 tag=$2
t() {
	label=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "$label: ok"; else echo "$label: denied"; fi
}
t read-pub cat "$r/pub"
t read-secret cat "$r/secret"
t read-nobody-only cat "$r/nobody-only"
t list-locked ls "$r/locked"
t stat-in-locked stat "$r/locked/f"
t cd-locked sh -c 'cd "$1"' sh "$r/locked"
t read-group cat "$r/group/f"
t list-group ls "$r/group"
t access-read-secret test -r "$r/secret"
t access-write-pub test -w "$r/pub"
t create-in-mine touch "$r/mine/file-$tag"
t mkdir-in-mine mkdir "$r/mine/dir-$tag"
t mkdir-in-ro mkdir "$r/ro/dir-$tag"
t exec-root-only "$r/exe-root"
t exec-all "$r/exe-all"
EOF
chmod 644 probe.sh

# compare WHAT TAG SETPRIV-ARGS...: the probe natively and in a view of $D
# at /mnt, both as setpriv SETPRIV-ARGS makes the command; what each
# created in $D/mine is named after TAG and where it ran.
compare() {
	local what=$1 tag=$2
	shift 2
	rm -rf "$D"/mine/* "$D"/ro/*
	run native.out native.err setpriv "$@" sh "$TEST_TMP/probe.sh" "$D" "$tag-native"
	expect_status 0 "$status" "$what natively" native.out native.err
	run view.out view.err "$FACET" --backend="$FACET_BACKEND" -b "$D:/mnt" -- \
		setpriv "$@" sh "$TEST_TMP/probe.sh" /mnt "$tag-view"
	expect_status 0 "$status" "$what in a view" view.out view.err
	diff -u native.out view.out >diff.out ||
		{ echo "FAIL: $what: the view allows other things than the kernel"; cat diff.out; show view.err; exit 1; }
	# What was created belongs to the same user, with the same mode.
	local f native view
	for f in file dir; do
		[ -e "$D/mine/$f-$tag-native" ] || continue
		native=$(stat -c '%u:%g %a' "$D/mine/$f-$tag-native")
		view=$(stat -c '%u:%g %a' "$D/mine/$f-$tag-view" 2>&1)
		[ "$native" = "$view" ] ||
			fail "$what: the $f created natively is $native, in the view: $view"
	done
}

# Another user, no supplementary group: the secret, the locked directory,
# the root-only program and the read-only directory are out of reach.
compare "nobody" nobody --reuid=$NOBODY --regid=$NOBODY --clear-groups
expect_grep native.out '^read-secret: denied$' "nobody natively (the test's own assumption)"
expect_grep view.out '^read-pub: ok$' "nobody in a view"
expect_grep view.out '^create-in-mine: ok$' "nobody in a view"
[ "$(stat -c %u:%g "$D/mine/file-nobody-view")" = "$NOBODY:$NOBODY" ] ||
	fail "nobody in a view: a new file belongs to $(stat -c %u:%g "$D/mine/file-nobody-view")"

# The same user with the group of $D/group.
compare "nobody with a supplementary group" group --reuid=$NOBODY --regid=$NOBODY --groups=$GROUP
expect_grep view.out '^read-group: ok$' "nobody with group $GROUP in a view"

# A group id that is not the user's: files are created with it.
compare "nobody with another group" othergroup --reuid=$NOBODY --regid=$GROUP --clear-groups
[ "$(stat -c %u:%g "$D/mine/file-othergroup-view")" = "$NOBODY:$GROUP" ] ||
	fail "nobody:$GROUP in a view: a new file belongs to $(stat -c %u:%g "$D/mine/file-othergroup-view")"

# Root without the capabilities that override file permissions: root's
# own files still, but no longer nobody's.
compare "root without CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER" rootcaps \
	--bounding-set=-dac_override,-dac_read_search,-fowner
expect_grep view.out '^read-nobody-only: denied$' "root without CAP_DAC_* in a view"
expect_grep view.out '^read-secret: ok$' "root without CAP_DAC_* in a view"

# A command whose credentials change after it started in the view, in a
# child: the tasks it creates keep them.
run out err "$FACET" --backend="$FACET_BACKEND" -b "$D:/mnt" -- sh -c \
	'cat /mnt/secret && setpriv --reuid='$NOBODY' --regid='$NOBODY' --clear-groups sh -c "cat /mnt/pub; (cat /mnt/secret) || echo denied"'
expect_status 0 "$status" "setpriv in a child" out err
[ "$(tr '\n' ' ' <out)" = "secret pub denied " ] || { echo "FAIL: setpriv in a child"; show out; show err; exit 1; }
echo ok
