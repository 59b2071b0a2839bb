#!/usr/bin/env bash
# fixture: debian-root
# A Debian root of another release than the host's, seen through facet -R,
# runs its own programs with its own ld.so and libraries: shell pipelines,
# coreutils, ldd, dpkg, apt-get, perl and gcc print what they print under
# chroot (recorded by tests/fixtures/debian-root.sh, as root), and a trace
# shows the paths the guest uses, not the host's. All of it runs in every
# mode of the in-process runtime (issue 7): --fast (the default),
# --confine and --no-fast, with the same expected output.
#
# The root comes from the fixture: tests/run-tests.sh builds it (as root)
# and passes its path in FACET_DEBIAN_ROOT, or why there is none in
# FACET_DEBIAN_ROOT_SKIP (no mirror reachable: skip) or
# FACET_DEBIAN_ROOT_ERROR (fail). Run by hand, the test asks the fixture
# script itself, which reuses a cached root as any user.
set -u
source "$(dirname "$0")/../lib.sh"

FIXTURE=$TESTS_DIR/fixtures/debian-root.sh
COMMANDS=$TESTS_DIR/fixtures/debian-root-commands.sh
GUEST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

need_debian_root
ROOT=$FACET_DEBIAN_ROOT
EXPECTED=$ROOT.expected
[ -d "$ROOT" ] || fail "FACET_DEBIAN_ROOT=$ROOT is not a directory"
[ -r "$EXPECTED/commands.sha256" ] || fail "no expected outputs in $EXPECTED: run $FIXTURE as root"
[ "$(cat "$EXPECTED/commands.sha256")" = "$(sha256sum <"$COMMANDS" | cut -d' ' -f1)" ] ||
	fail "$EXPECTED was recorded for another version of $COMMANDS: run $FIXTURE as root"

MODES="--fast --confine --no-fast"
MODE=--fast

# in_view OUT CMD...: runs CMD in the view of the root (in MODE), in /, with
# the environment of the chroot reference, stdout and stderr in OUT; sets
# status.
in_view() {
	local out=$1
	shift
	status=0
	env -i PATH="$GUEST_PATH" HOME="$HOME" LC_ALL=C TZ=UTC \
		timeout -k 5 60 "$FACET" --backend="$FACET_BACKEND" "$MODE" -R "$ROOT" -w / -- "$@" \
		</dev/null >"$out" 2>&1 || status=$?
}

# compare WHAT WANT_OUT WANT_STATUS GOT_OUT GOT_STATUS: notes a difference
# (with a diff) and counts it.
differences=0
compare() {
	local what=$1 want=$2 want_st=$3 got=$4 got_st=$5
	if [ "$got_st" = "$want_st" ] && cmp -s "$want" "$got"; then
		return
	fi
	echo "FAIL: $what (< expected, > in the view, facet $MODE)"
	[ "$got_st" = "$want_st" ] || echo "    exit status $got_st, expected $want_st"
	diff "$want" "$got" | head -n 30 | sed 's/^/    /'
	differences=$((differences + 1))
}

# cmd NAME COMPARE ARGV... (see debian-root-commands.sh)
cmd() {
	local name=$1 against=$2
	shift 2
	local what="$name: $*"
	case $what in *$'\n'*) what="$name: $1 $2 SCRIPT" ;; esac
	in_view "$name$MODE.view" "$@"
	case $against in
	chroot)
		compare "$what" "$EXPECTED/$name.out" "$(cat "$EXPECTED/$name.status")" \
			"$name$MODE.view" "$status"
		;;
	host)
		local view_status=$status
		status=0
		env -i PATH="$GUEST_PATH" HOME="$HOME" LC_ALL=C TZ=UTC "$@" \
			</dev/null >"$name.host" 2>&1 || status=$?
		compare "$what, as on the host" "$name.host" "$status" "$name$MODE.view" "$view_status"
		;;
	*) fail "$COMMANDS: $name: unknown comparison '$against'" ;;
	esac
}
# shellcheck source=../fixtures/debian-root-commands.sh
source "$COMMANDS"

# A trace names files as the guest names them: the view's /etc/debian_version
# and the guest's /usr/bin/cat, never a path under the host's ROOT.
trace_names_guest_paths() {
	local trace=trace$MODE out=traced$MODE.out
	status=0
	env -i PATH="$GUEST_PATH" HOME="$HOME" LC_ALL=C TZ=UTC \
		timeout -k 5 60 "$FACET" --backend="$FACET_BACKEND" "$MODE" -R "$ROOT" -w / --trace=%file -o "$trace" \
		-- cat /etc/debian_version </dev/null >"$out" 2>"$out.err" || status=$?
	if [ "$status" != 0 ]; then
		echo "FAIL: facet $MODE -R ROOT --trace=%file cat /etc/debian_version: exit status $status"
		show "$out.err"
		differences=$((differences + 1))
		return
	fi
	compare "cat /etc/debian_version under --trace=%file" "$EXPECTED/debian-version.out" 0 "$out" 0
	expect_grep "$trace" '^[0-9]+ +execve\("/usr/bin/cat", \["cat", "/etc/debian_version"\].* = 0$' \
		"--trace=%file ($MODE): the exec of the guest's /usr/bin/cat"
	expect_grep "$trace" '^[0-9]+ +openat\(AT_FDCWD, "/etc/debian_version", O_RDONLY\) = [0-9]+$' \
		"--trace=%file ($MODE): the open of the guest's /etc/debian_version"
	# Strings are cut at 32 characters, as strace -s 32 does: look for
	# the start of the root's path.
	local host_path="\"${ROOT:0:32}"
	if grep -qF "$host_path" "$trace"; then
		echo "FAIL: --trace=%file ($MODE) shows host paths under $ROOT:"
		grep -nF "$host_path" "$trace" | head -n 20 | sed 's/^/    | /'
		differences=$((differences + 1))
	fi
}

for MODE in $MODES; do
	# The guest's own `true` first: if the view cannot even run that, one
	# message says so instead of one per command.
	in_view "true$MODE.view" true
	if [ "$status" != 0 ]; then
		echo "FAIL: facet $MODE -R $ROOT -- true: exit status $status, expected 0"
		show "true$MODE.view"
		differences=$((differences + 1))
		continue
	fi
	debian_root_commands
	trace_names_guest_paths
done

[ "$differences" = 0 ] || fail "$differences difference(s) between facet -R $ROOT and chroot (modes: $MODES)"
echo ok
