#!/usr/bin/env bash
# fixture: debian-root
# Fake root in a Debian root (facet -0 -R ROOT), as proot-distro uses
# PRoot's -0: dpkg -i of a package whose maintainer script adds a system
# user and chowns a directory to it, then apt-get install of a local .deb,
# with no network, succeed and are recorded as installed; with
# --fakeroot-state a second run still sees the owners the first gave. In
# fast mode and with the supervisor alone.
#
# The cached root (tests/fixtures/debian-root.sh) is root's and read-only
# here: the test gives the view writable copies of its /etc, /var and /opt,
# where dpkg, apt and useradd write, and an empty /root.
set -u
source "$(dirname "$0")/../lib.sh"

GUEST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

need_debian_root
ROOT=$FACET_DEBIAN_ROOT
[ -x "$ROOT/usr/bin/dpkg" ] || fail "$ROOT has no dpkg"
need_cmd dpkg-deb

# Two packages, built on the host with root as owner.
build_pkg() { # NAME POSTINST
	local d=$TEST_TMP/src-$1
	mkdir -p "$d/DEBIAN" "$d/opt/$1" "$d/var/lib/$1"
	printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: facet tests <t@example.org>\nDescription: %s\n' \
		"$1" "a package of facet's tests" >"$d/DEBIAN/control"
	printf '#!/bin/sh\necho hello from %s\n' "$1" >"$d/opt/$1/hello" && chmod 755 "$d/opt/$1/hello"
	if [ -n "$2" ]; then
		printf '#!/bin/sh\nset -e\n%s\n' "$2" >"$d/DEBIAN/postinst" && chmod 755 "$d/DEBIAN/postinst"
	fi
	dpkg-deb --root-owner-group --build "$d" "$TEST_TMP/$1.deb" >/dev/null || fail "cannot build $1.deb"
}
build_pkg facet-demo 'if [ "$1" = configure ]; then
	getent passwd facetd >/dev/null || useradd --system --no-create-home --home-dir /nonexistent facetd
	chown facetd:facetd /var/lib/facet-demo
	chmod 4755 /opt/facet-demo/hello
fi'
build_pkg facet-demo2 ''

for mode in ${FAKEROOT_MODES:---fast --no-fast}; do
	W=$TEST_TMP/w$mode
	mkdir -p "$W" || exit 1
	for d in etc var opt; do
		cp -a "$ROOT/$d" "$W/$d" || fail "cannot copy $ROOT/$d"
	done
	# root's home: the root's own is root's, mode 700, unreadable here
	mkdir -p "$W/root" || exit 1
	STATE=$W/state
	# in_root OUT CMD...: CMD in the root under facet -0, with the state.
	in_root() {
		local out=$1
		shift
		status=0
		env -i PATH="$GUEST_PATH" HOME=/root LC_ALL=C TZ=UTC DEBIAN_FRONTEND=noninteractive \
			timeout -k 5 120 "$FACET" --backend="$FACET_BACKEND" "$mode" -0 --fakeroot-state "$STATE" \
			-R "$ROOT" -b "$W/etc:/etc" -b "$W/var:/var" -b "$W/opt:/opt" -b "$W/root:/root" -b "$TEST_TMP:/pkgs" -w / -- "$@" \
			</dev/null >"$out" 2>&1 || status=$?
	}
	in_root "$W/dpkg.out" dpkg -i /pkgs/facet-demo.deb
	[ "$status" = 0 ] || { cat "$W/dpkg.out"; fail "$mode: dpkg -i failed ($status)"; }
	in_root "$W/apt.out" apt-get install -y /pkgs/facet-demo2.deb
	[ "$status" = 0 ] || { cat "$W/apt.out"; fail "$mode: apt-get install of a local .deb failed ($status)"; }

	# A second run: dpkg knows both, the owners are those the first gave.
	in_root "$W/check.out" sh -c 'dpkg -s facet-demo facet-demo2 | grep "^Status"
		stat -c "%U:%G %A" /var/lib/facet-demo /opt/facet-demo/hello /opt/facet-demo2/hello
		id -un; /opt/facet-demo/hello'
	cat >"$W/want" <<'EOF2'
Status: install ok installed
Status: install ok installed
facetd:facetd drwxr-xr-x
root:root -rwsr-xr-x
root:root -rwxr-xr-x
root
hello from facet-demo
EOF2
	diff -u "$W/want" "$W/check.out" || fail "$mode: the second run does not see what the first installed"
	# Outside, the files are the real user's.
	[ "$(stat -c %u "$W/var/lib/facet-demo")" = "$(id -u)" ] || fail "$mode: /var/lib/facet-demo is not the real user's"
done
exit 0
