#!/usr/bin/env bash
# Landlock in a view: in the fast (default) and --confine modes the tree is
# confined by the kernel to the host objects of the view's mounts, and the
# supervisor refuses in its name what the kernel would refuse it, so that
# both back ends answer alike; --no-fast does neither.
#  - Through an fd the command inherits from outside the view, nothing can
#    be opened, created, removed or executed (EACCES), nor reopened through
#    /proc/self/fd; stat, which Landlock does not check, still works, and
#    so do reads of the inherited fd itself. With --no-fast all of it works.
#  - Writes through a read-only mount fail with EROFS in every mode (the
#    view's answer; tests/unit/test-view-landlock checks that the kernel's
#    ruleset refuses them too, to a program that would get past the view).
#  - The tree cannot take the supervisor's fds (pidfd_getfd: EPERM): the
#    supervisor is outside its Landlock domain.
#  - -v says whether Landlock is used.
#  - The holder of the view's fds (core/view/holder.c) is facet-holder, a
#    program of its own and not a copy of facet, facet's child while the
#    tree runs, and gone when facet is.
set -u
source "$(dirname "$0")/../lib.sh"

try=$(helper try-call)
run v.out v.err "$FACET" -v --backend="$FACET_BACKEND" -b "$TEST_TMP:/mnt" true
expect_status 0 "$status" "facet -v" v.out v.err
why=$(sed -n 's/^facet: Landlock: not available (\(.*\))$/\1/p' v.err)
[ -z "$why" ] || skip "skipped: kernel has no Landlock ($why)"
expect_grep v.err '^facet: Landlock ABI [0-9]+: the tree is confined to the view.s mounts$' "-v in the fast mode"
run v.out v.err "$FACET" -v --no-fast --backend="$FACET_BACKEND" -b "$TEST_TMP:/mnt" true
expect_grep v.err '^facet: Landlock: not used \(--no-fast\)$' "-v with --no-fast"

# A root of its own (programs from the host's /usr), a writable and a
# read-only mount; "outside" is in no mount.
mkdir -p root/proc rw ro outside/sub
ln -s usr/bin root/bin
ln -s usr/lib root/lib
[ -e /lib64 ] && ln -s usr/lib64 root/lib64
echo outside >outside/file
echo rw >rw/file
echo ro >ro/file
cp "$try" outside/prog
cp "$try" root/try

# in_view MODE ARGS...: helper-try-call ARGS in the view, in MODE, with the
# directory "outside" as fd 3 and outside/file as fd 4.
in_view() {
	local mode=$1
	shift
	"$FACET" --backend="$FACET_BACKEND" "$mode" -r "$TEST_TMP/root" -b /usr:/usr -b /proc:/proc \
		-b "$TEST_TMP/rw:/rw" -b "$TEST_TMP/ro:/ro:ro" -- /try "$@" 3<"$TEST_TMP/outside" 4<"$TEST_TMP/outside/file"
}

outside_cases=(stat 3 file open 3 file r open 3 file w open 3 new creat open 3 sub dir mkdir 3 d
	exec 3 prog open cwd /proc/self/fd/4 r unlink 3 file)
for mode in --fast --confine; do
	check "an fd from outside the view ($mode)" "$(printf '%s\n' \
		'stat file: ok' 'open file: EACCES' 'open file: EACCES' 'open new: EACCES' 'open sub: EACCES' \
		'mkdir d: EACCES' 'exec prog: EACCES' 'open /proc/self/fd/4: EACCES' 'unlink file: EACCES')" \
		in_view "$mode" "${outside_cases[@]}"
	check "the supervisor's fds ($mode)" "getfd 0: EPERM" in_view "$mode" getfd parent 0
done
check "an fd from outside the view (--no-fast)" "$(printf '%s\n' \
	'stat file: ok' 'open file: ok' 'open file: ok' 'open new: ok' 'open sub: ok' 'mkdir d: ok' \
	'exec prog: ok' 'open /proc/self/fd/4: ok' 'unlink file: ok')" \
	in_view --no-fast "${outside_cases[@]}"
[ ! -e outside/file ] && [ -d outside/d ] && [ -e outside/new ] || fail "--no-fast: the calls through the fd did not change outside/"

# Reading the inherited fds themselves is no open: it works in every mode.
for mode in --fast --confine --no-fast; do
	echo outside >outside/file
	check "reading an inherited fd ($mode)" "outside" \
		"$FACET" --backend="$FACET_BACKEND" "$mode" -r "$TEST_TMP/root" -b /usr:/usr -- sh -c 'cat <&4' \
		4<"$TEST_TMP/outside/file"
done

# The mounts: the writable one takes writes, the read-only one refuses them
# with EROFS, however it is reached (by path, or through an inherited fd).
for mode in --fast --confine --no-fast; do
	rm -rf rw/new rw/d
	check "the writable mount ($mode)" "$(printf '%s\n' 'open /rw/file: ok' 'open /rw/new: ok' 'mkdir /rw/d: ok')" \
		in_view "$mode" open cwd /rw/file w open cwd /rw/new creat mkdir cwd /rw/d
	check "the read-only mount ($mode)" "$(printf '%s\n' 'open /ro/file: EROFS' 'open /ro/new: EROFS' \
		'mkdir /ro/d: EROFS' 'unlink /ro/file: EROFS' 'open /ro/file: ok')" \
		in_view "$mode" open cwd /ro/file w open cwd /ro/new creat mkdir cwd /ro/d unlink cwd /ro/file \
		open cwd /ro/file r
	check "the read-only mount through an fd ($mode)" "$(printf '%s\n' 'open file: EROFS' 'open file: ok')" \
		"$FACET" --backend="$FACET_BACKEND" "$mode" -r "$TEST_TMP/root" -b /usr:/usr -b "$TEST_TMP/ro:/ro:ro" \
		-- /try open 3 file w open 3 file r 3<"$TEST_TMP/ro"
done
[ "$(cat ro/file)" = ro ] && [ ! -e ro/new ] || fail "the read-only mount's host directory changed"

# The holder: facet-holder, beside facet-loader, a child of facet.
"$FACET" --backend="$FACET_BACKEND" -b "$TEST_TMP:/mnt" -- sleep 3 </dev/null &
fpid=$!
holder=
for _ in $(seq 100); do
	holder=$(pgrep -P "$fpid" -x facet-holder) && break
	sleep 0.05
done
[ -n "$holder" ] || fail "no facet-holder child of facet while the tree runs"
case "$(readlink "/proc/$holder/exe")" in
*/facet-holder) ;;
*) fail "the holder runs $(readlink "/proc/$holder/exe"), not facet-holder" ;;
esac
grep -q '^VmRSS:' "/proc/$holder/status" &&
	[ "$(awk '/^VmRSS:/ { print $2 }' "/proc/$holder/status")" -lt 512 ] ||
	fail "the holder is not a small program of its own: $(grep '^VmRSS:' "/proc/$holder/status")"
wait "$fpid" || fail "facet -- sleep 3 exited with $?"
[ "$(cat "/proc/$holder/comm" 2>/dev/null)" != facet-holder ] || fail "facet-holder outlived facet"

checks_done
