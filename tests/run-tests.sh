#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/run-tests.sh [PATTERN...] — builds facet and runs the whole test suite.
#
#  1. configures (meson setup) and builds (ninja) into $BUILD_DIR (default: build);
#  2. runs the unit tests, $BUILD_DIR/tests/test-*;
#  3. runs every integration test tests/integration/*.sh once per back end
#     (FACET_BACKEND=notify and =ptrace), as an unprivileged user: as root it
#     creates the user facet-test if needed, copies the build and test
#     directories to a fresh temporary directory that user owns and runs the
#     tests there with setpriv; otherwise it runs them as the current user.
#     A test with a line "# run-as: root" needs facet to be privileged (a
#     command that changes its credentials): as root the runner runs it as
#     root, in the same copy; otherwise it runs it as the others, and the
#     test skips, saying why.
#
# Each test gets FACET, HELPERS, TEST_TMP (a fresh directory, removed
# afterwards) and FACET_BACKEND in a clean environment, a time limit, and
# stdin from /dev/null. A test with a line "# fixture: debian-root" also gets
# FACET_DEBIAN_ROOT (or FACET_DEBIAN_ROOT_SKIP / _ERROR): the runner first
# runs tests/fixtures/debian-root.sh, still as root, which builds a Debian
# root outside the repository once (FACET_TEST_CACHE, default
# /var/cache/facet-tests) and reuses it later. A program or script exits 0 to pass, 77 to skip
# (its last line of output says why), anything else to fail.
#
# PATTERNs, if given, select the tests whose names contain one of them.
# Environment: BUILD_DIR, FACET_BACKENDS (default "notify ptrace"),
# TEST_TIMEOUT (seconds per test, default 120), FIXTURE_TIMEOUT (seconds for
# preparing a fixture, default 900), FACET_TEST_USER (default facet-test),
# MESON_ARGS (extra arguments for meson setup), and the fixture scripts'
# variables (FACET_TEST_CACHE, FACET_DEBIAN_RELEASE, FACET_DEBIAN_MIRROR).
#
# A test that leaves a process behind fails (the process is killed).
# Prints PASS/FAIL/SKIP lines and, last, "N passed, N failed, N skipped";
# exits 1 if anything failed. Never reads stdin.

set -u

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1

BUILD_DIR=${BUILD_DIR:-build}
case $BUILD_DIR in
/*) ;;
*) BUILD_DIR=$REPO/$BUILD_DIR ;;
esac
BACKENDS=${FACET_BACKENDS:-notify ptrace}
TIMEOUT=${TEST_TIMEOUT:-120}
FIXTURE_TIMEOUT=${FIXTURE_TIMEOUT:-900}
TEST_USER=${FACET_TEST_USER:-facet-test}
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PATTERNS=("$@")

passed=0
failed=0
skipped=0

LOGDIR=""     # runner's private scratch (logs)
WORK=""       # copy of build/ and tests/ for the unprivileged user (root only)
CUR_TMP=""    # TEST_TMP of the test that is running
CHILD=""      # pid of the running test (its timeout process)

cleanup() {
	if [ -n "$CHILD" ]; then
		kill -TERM "$CHILD" 2>/dev/null
		wait "$CHILD" 2>/dev/null
		CHILD=""
	fi
	reap_strays
	local d
	for d in "$CUR_TMP" "$WORK" "$LOGDIR"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		chmod -R u+rwX "$d" 2>/dev/null
		rm -rf "$d"
	done
	CUR_TMP=""
}
trap cleanup EXIT
trap 'echo "run-tests: interrupted" >&2; exit 130' INT TERM HUP

summary_and_exit() {
	echo "$passed passed, $failed failed, $skipped skipped"
	if [ "$failed" -eq 0 ]; then
		exit 0
	fi
	exit 1
}

indent() {
	sed 's/^/    /'
}

selected() {
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	local p
	for p in "${PATTERNS[@]}"; do
		case $1 in
		*"$p"*) return 0 ;;
		esac
	done
	return 1
}

# report NAME RC LOG [STRAYS]: prints the outcome of one test and counts it.
# A test that left processes behind (STRAYS, from reap_strays) fails.
report() {
	local name=$1 rc=$2 log=$3 strays=${4:-}
	if [ -n "$strays" ] && { [ "$rc" = 0 ] || [ "$rc" = 77 ]; }; then
		echo "FAIL $name (left processes behind)"
		printf '%s\n' "$strays"
		failed=$((failed + 1))
		return
	fi
	case $rc in
	0)
		echo "PASS $name"
		passed=$((passed + 1))
		;;
	77)
		local reason
		reason=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
		echo "SKIP $name: ${reason:-no reason given}"
		skipped=$((skipped + 1))
		;;
	*)
		local why="exit status $rc"
		case $rc in
		124) why="timed out after ${TIMEOUT}s" ;;
		137) why="killed (exit status 137; timed out after ${TIMEOUT}s?)" ;;
		esac
		echo "FAIL $name ($why)"
		if [ -s "$log" ]; then
			tail -n 200 "$log" | indent
		fi
		failed=$((failed + 1))
		;;
	esac
}

# run_bg LOG CMD...: runs CMD in the background with stdin from /dev/null and
# all output in LOG, and waits for it; an INT/TERM to the runner stops it.
# Sets RC.
run_bg() {
	local log=$1
	shift
	"$@" </dev/null >"$log" 2>&1 &
	CHILD=$!
	RC=0
	wait "$CHILD" || RC=$?
	CHILD=""
}

# Kills the processes left behind by the running test: those of the test's
# user that still have its TEST_TMP in their environment (so that another
# run of the suite is left alone), and prints a line for each. Zombies are
# skipped: they cannot be killed, and stay until someone reaps them.
# A test run as root may leave processes of any user (its command changes
# its credentials): STRAY_UID=any looks at all of them.
stray_pids() {
	local uid=${STRAY_UID:-${TEST_UID:-$(id -u)}} d puid
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" != "$$" ] || continue
		puid=$(awk '/^Uid:/ { print $2; exit }' "$d/status" 2>/dev/null) || continue
		[ "$uid" = any ] || [ "$puid" = "$uid" ] || continue
		grep -q '^State:[[:space:]]*Z' "$d/status" 2>/dev/null && continue
		{ tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF "TEST_TMP=$CUR_TMP" || continue
		echo "${d#/proc/}"
	done
}

reap_strays() {
	[ -n "$CUR_TMP" ] || return 0
	local pids p cmd
	pids=$(stray_pids)
	[ -n "$pids" ] || return 0
	# A process killed a moment ago may still be dying: look again.
	sleep 1
	pids=$(stray_pids)
	for p in $pids; do
		cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null)
		kill -KILL "$p" 2>/dev/null &&
			echo "    (killed process $p, left behind by the test: ${cmd:-?})"
	done
}

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/facet-run-tests.XXXXXX") || exit 1

# --- 1. build ------------------------------------------------------------------

build() {
	if [ ! -f "$BUILD_DIR/build.ninja" ]; then
		# shellcheck disable=SC2086
		meson setup ${MESON_ARGS:-} "$BUILD_DIR" || return 1
	fi
	ninja -C "$BUILD_DIR" || return 1
}

for tool in meson ninja timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL build ($tool is not installed; see .ci/run for the packages needed)"
		failed=$((failed + 1))
		summary_and_exit
	fi
done
build >"$LOGDIR/build.log" 2>&1 </dev/null
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "FAIL build (in $BUILD_DIR)"
	tail -n 80 "$LOGDIR/build.log" | indent
	failed=$((failed + 1))
	summary_and_exit
fi
echo "built in $BUILD_DIR"

# --- 2. unit tests ------------------------------------------------------------------

for t in "$BUILD_DIR"/tests/test-*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	selected "$name" || continue
	run_bg "$LOGDIR/unit.log" timeout -k 10 "$TIMEOUT" "$t"
	report "$name" "$RC" "$LOGDIR/unit.log"
done

# --- 3. integration tests -------------------------------------------------------------

tests=()
for t in "$REPO"/tests/integration/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	selected "$name" || continue
	tests+=("$name")
done
if [ ${#tests[@]} -eq 0 ]; then
	summary_and_exit
fi

as_user=()
if [ "$(id -u)" = 0 ]; then
	for tool in setpriv useradd; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "FAIL setup ($tool is not installed: util-linux and passwd are needed to run the tests unprivileged)"
			failed=$((failed + 1))
			summary_and_exit
		fi
	done
	if ! id -u "$TEST_USER" >/dev/null 2>&1; then
		if ! useradd --system --user-group --create-home --shell /bin/sh \
			--comment "facet test suite" "$TEST_USER" >"$LOGDIR/useradd.log" 2>&1; then
			echo "FAIL setup (cannot create the user $TEST_USER)"
			indent <"$LOGDIR/useradd.log"
			failed=$((failed + 1))
			summary_and_exit
		fi
	fi
	TEST_UID=$(id -u "$TEST_USER")
	TEST_GID=$(id -g "$TEST_USER")
	# The repository may not be reachable by that user: give it a copy of
	# the build (whose executables find libfacet through $ORIGIN-relative
	# run paths) and of the tests.
	WORK=$(mktemp -d /tmp/facet-tests.XXXXXX) || exit 1
	if ! cp -a "$BUILD_DIR" "$WORK/build" || ! cp -a "$REPO/tests" "$WORK/tests"; then
		echo "FAIL setup (cannot copy the build and tests to $WORK)"
		failed=$((failed + 1))
		summary_and_exit
	fi
	chown -R "$TEST_UID:$TEST_GID" "$WORK"
	chmod 755 "$WORK"
	# The sources too, for the test that builds facet inside a view.
	mkdir "$WORK/source"
	if [ -d "$REPO/.git" ] && command -v git >/dev/null 2>&1; then
		git -C "$REPO" ls-files -z | (cd "$REPO" && xargs -0 cp --parents -t "$WORK/source")
	else
		(cd "$REPO" && tar --exclude=./build* --exclude=./.git -cf - .) | tar -C "$WORK/source" -xf -
	fi
	chown -R "$TEST_UID:$TEST_GID" "$WORK/source"
	FACET=$WORK/build/facet
	HELPERS=$WORK/build/tests
	TESTS=$WORK/tests
	SOURCE_DIR=$WORK/source
	TEST_HOME=$WORK
	TEST_PATH=$SYSTEM_PATH
	as_user=(setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups)
	# Check the copy works for that user (executable there, shared libraries
	# found through the run path).
	if [ -x "$FACET" ] &&
		! (cd "$WORK" && "${as_user[@]}" env -i PATH="$TEST_PATH" "$FACET" --help) \
			>"$LOGDIR/check.log" 2>&1 </dev/null; then
		echo "FAIL setup (the copy $FACET does not run as $TEST_USER)"
		indent <"$LOGDIR/check.log"
		(cd "$WORK" && "${as_user[@]}" env -i PATH="$TEST_PATH" ldd "$FACET") 2>&1 | indent
		failed=$((failed + 1))
		summary_and_exit
	fi
else
	FACET=$BUILD_DIR/facet
	HELPERS=$BUILD_DIR/tests
	TESTS=$REPO/tests
	SOURCE_DIR=$REPO
	TEST_HOME=${HOME:-/tmp}
	TEST_PATH=${PATH:-$SYSTEM_PATH}
fi

# --- fixtures ---------------------------------------------------------------------
# A test that needs a fixture says so in a line "# fixture: NAME". The runner
# prepares each fixture a selected test needs once, before the tests (as root,
# still privileged: building a root takes debootstrap and chroot), and passes
# its result to the tests in the environment.

fixture_env=()

needs_fixture() { # NAME FIXTURE
	grep -qx "# fixture: $2" "$REPO/tests/integration/$1.sh"
}

runs_as_root() { # NAME
	grep -qx "# run-as: root" "$REPO/tests/integration/$1.sh"
}

# The Debian root (tests/fixtures/debian-root.sh): its path in
# FACET_DEBIAN_ROOT; or, without one, the script's one-line reason in
# FACET_DEBIAN_ROOT_SKIP when no mirror is reachable (status 69: the test
# skips) and in FACET_DEBIAN_ROOT_ERROR otherwise (the test fails).
prepare_debian_root() {
	local out=$LOGDIR/debian-root.out log=$LOGDIR/debian-root.log line
	echo "preparing the Debian root (tests/fixtures/debian-root.sh; building it takes a minute or more)"
	run_bg "$log" timeout -k 10 "$FIXTURE_TIMEOUT" \
		sh -c 'exec "$1" >"$2"' sh "$REPO/tests/fixtures/debian-root.sh" "$out"
	line=$(head -n 1 "$out" 2>/dev/null)
	case $RC in
	0)
		echo "Debian root: $line"
		fixture_env+=("FACET_DEBIAN_ROOT=$line")
		;;
	69)
		echo "no Debian root: $line"
		fixture_env+=("FACET_DEBIAN_ROOT_SKIP=$line")
		;;
	*)
		[ "$RC" = 124 ] && line="timed out after ${FIXTURE_TIMEOUT}s"
		echo "no Debian root (tests/fixtures/debian-root.sh exited with $RC): ${line:-no reason given}"
		tail -n 20 "$log" | indent
		fixture_env+=("FACET_DEBIAN_ROOT_ERROR=${line:-tests/fixtures/debian-root.sh exited with $RC}")
		;;
	esac
}

for name in "${tests[@]}"; do
	if needs_fixture "$name" debian-root; then
		prepare_debian_root
		break
	fi
done

# Pass a few locale and terminal settings through; everything else is reset.
keep_env=()
for v in LANG LC_ALL TERM TZ; do
	[ -n "${!v:-}" ] && keep_env+=("$v=${!v}")
done
# Background jobs start with SIGINT and SIGQUIT ignored: give the tests
# default signal dispositions, as from a terminal.
default_signals=()
if env --default-signal true >/dev/null 2>&1; then
	default_signals=(--default-signal)
fi
user_name=$(id -un "${TEST_UID:-$(id -u)}" 2>/dev/null || echo unknown)

for name in "${tests[@]}"; do
	test_user=("${as_user[@]}")
	test_user_name=$user_name
	STRAY_UID=
	if [ "$(id -u)" = 0 ] && runs_as_root "$name"; then
		test_user=()
		test_user_name=root
		STRAY_UID=any
	fi
	for backend in $BACKENDS; do
		if [ "$(id -u)" = 0 ]; then
			CUR_TMP=$(mktemp -d /tmp/facet-test.XXXXXX) || exit 1
			chown "$TEST_UID:$TEST_GID" "$CUR_TMP"
		else
			CUR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/facet-test.XXXXXX") || exit 1
		fi
		log=$LOGDIR/$name.$backend.log
		# cd in a subshell: the caller's directory may be out of the user's reach.
		run_bg "$log" sh -c 'cd "$1" && shift && exec "$@"' sh "$CUR_TMP" \
			timeout -k 10 "$TIMEOUT" "${test_user[@]}" \
			env -i "${default_signals[@]}" PATH="$TEST_PATH" HOME="$TEST_HOME" USER="$test_user_name" \
			LOGNAME="$test_user_name" \
			TMPDIR=/tmp "${keep_env[@]}" "${fixture_env[@]}" \
			FACET="$FACET" HELPERS="$HELPERS" TEST_TMP="$CUR_TMP" FACET_BACKEND="$backend" SOURCE_DIR="$SOURCE_DIR" \
			bash "$TESTS/integration/$name.sh"
		strays=$(reap_strays)
		report "$name [$backend]" "$RC" "$log" "$strays"
		chmod -R u+rwX "$CUR_TMP" 2>/dev/null
		rm -rf "$CUR_TMP"
		CUR_TMP=""
	done
done

summary_and_exit
