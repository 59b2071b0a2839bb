# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the integration tests in tests/integration/*.sh.
#
# Environment (set by tests/run-tests.sh; defaults allow running one test by
# hand from the repository, e.g. `FACET_BACKEND=ptrace tests/integration/exit-status.sh`):
#   FACET          the facet binary            (default: build/facet)
#   HELPERS        directory of helper-* bins  (default: build/tests)
#   TEST_TMP       a fresh scratch directory   (default: a new mktemp -d, removed at exit)
#   FACET_BACKEND  notify | ptrace | auto      (default: auto)
#
# A test exits 0 to pass, 1 to fail, 77 to skip; the last line it prints
# before skipping is the reason.

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${BUILD_DIR:=$TESTS_DIR/../build}"
: "${FACET:=$BUILD_DIR/facet}"
: "${HELPERS:=$BUILD_DIR/tests}"
: "${FACET_BACKEND:=auto}"

# on_exit 'COMMAND': runs COMMAND (with eval) when the test exits, after the
# ones registered before it. Use it rather than trap ... EXIT.
_on_exit=()
on_exit() {
	_on_exit+=("$1")
}
_run_on_exit() {
	local c
	for c in "${_on_exit[@]}"; do
		eval "$c"
	done
}
trap _run_on_exit EXIT

if [ -z "${TEST_TMP:-}" ]; then
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/facet-test.XXXXXX")
	on_exit 'rm -rf "$TEST_TMP"'
fi
# Tests run in TEST_TMP: make the paths absolute first.
case $FACET in /*) ;; *) FACET=$PWD/$FACET ;; esac
case $HELPERS in /*) ;; *) HELPERS=$PWD/$HELPERS ;; esac
export FACET HELPERS TEST_TMP FACET_BACKEND
TEST_NAME=$(basename "$0" .sh)

# --- outcome ---------------------------------------------------------------

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# Prints a note (shown by the runner only when the test fails).
note() {
	echo "# $*"
}

# need_debian_root: a test with the line "# fixture: debian-root" gets the
# suite's Debian root in FACET_DEBIAN_ROOT from tests/run-tests.sh, or why
# there is none (skip or fail); run by hand, it asks the fixture script,
# which reuses a cached root as any user.
need_debian_root() {
	[ -z "${FACET_DEBIAN_ROOT_SKIP:-}" ] || skip "$FACET_DEBIAN_ROOT_SKIP"
	[ -z "${FACET_DEBIAN_ROOT_ERROR:-}" ] || fail "no Debian root: $FACET_DEBIAN_ROOT_ERROR"
	[ -n "${FACET_DEBIAN_ROOT:-}" ] && return 0
	local fixture=$TESTS_DIR/fixtures/debian-root.sh st=0
	FACET_DEBIAN_ROOT=$("$fixture" 2>fixture.err) || st=$?
	case $st in
	0) ;;
	69) skip "$FACET_DEBIAN_ROOT" ;;
	*) fail "no Debian root ($fixture exited with $st): $FACET_DEBIAN_ROOT" ;;
	esac
}

# --- running facet ----------------------------------------------------------

# facet trace with the back end under test.
facet_trace() {
	"$FACET" trace --backend="$FACET_BACKEND" "$@"
}

# The top-level form: facet [--trace[=SET]] [...] COMMAND.
facet_top() {
	"$FACET" --backend="$FACET_BACKEND" "$@"
}

# run OUT ERR CMD...: runs CMD with stdout/stderr in the files OUT and ERR
# (either may be - to leave it alone), stdin from /dev/null, and sets
# $status to its exit status. Never fails itself.
run() {
	local out=$1 err=$2
	shift 2
	status=0
	# Call facet directly, not through the shell functions: a shell reports
	# a child killed by a signal ("Terminated") on its stderr, which inside
	# a function would be ERR.
	case $1 in
	facet_trace) shift; set -- "$FACET" trace --backend="$FACET_BACKEND" "$@" ;;
	facet_top) shift; set -- "$FACET" --backend="$FACET_BACKEND" "$@" ;;
	esac
	if [ "$out" = - ] && [ "$err" = - ]; then
		"$@" </dev/null || status=$?
	elif [ "$out" = - ]; then
		"$@" </dev/null 2>"$err" || status=$?
	elif [ "$err" = - ]; then
		"$@" </dev/null >"$out" || status=$?
	else
		"$@" </dev/null >"$out" 2>"$err" || status=$?
	fi
	return 0
}

# --- requirements -------------------------------------------------------------

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# helper NAME: prints the path of helper-NAME (fails if it is missing).
helper() {
	local h="$HELPERS/helper-$1"
	[ -x "$h" ] || fail "helper $h is missing (build it first)"
	printf '%s\n' "$h"
}

need_facet() {
	[ -x "$FACET" ] || fail "facet binary $FACET is missing or not executable"
}

# --- checks --------------------------------------------------------------------

# show FILE [MAX]: prints FILE indented (at most MAX lines, default 40).
show() {
	local f=$1 max=${2:-40}
	if [ ! -e "$f" ]; then
		echo "    ($f does not exist)"
		return
	fi
	local n
	n=$(wc -l <"$f")
	echo "    --- $f ($n lines) ---"
	head -n "$max" "$f" | sed 's/^/    | /'
	[ "$n" -le "$max" ] || echo "    | ... ($((n - max)) more lines)"
}

# expect_status WANT GOT WHAT [FILES...]: fail unless GOT = WANT, showing FILES.
expect_status() {
	local want=$1 got=$2 what=$3
	shift 3
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit status $got, expected $want"
		local f
		for f in "$@"; do show "$f"; done
		exit 1
	fi
}

# expect_grep FILE ERE WHAT: fail unless FILE has a line matching ERE.
expect_grep() {
	if ! grep -Eq -- "$2" "$1"; then
		echo "FAIL: $3: no line matching /$2/ in $1"
		show "$1"
		exit 1
	fi
}

# expect_no_grep FILE ERE WHAT: fail if FILE has a line matching ERE.
expect_no_grep() {
	if grep -Eq -- "$2" "$1"; then
		echo "FAIL: $3: unexpected lines matching /$2/ in $1:"
		grep -En -- "$2" "$1" | head -n 20 | sed 's/^/    | /'
		exit 1
	fi
}

# expect_empty FILE WHAT
expect_empty() {
	if [ -s "$1" ]; then
		echo "FAIL: $2: $1 is not empty"
		show "$1"
		exit 1
	fi
}

# check WHAT WANT CMD...: runs CMD (stdin from /dev/null, stderr into
# stdout) and records a failure unless what it printed, followed by a line
# "[exit N]" when its status N is not 0, is WANT. The test goes on; a test
# made of checks ends with checks_done, which lists every failed check
# (the command, what was expected, what came) and exits 1 if one failed.
_checks_failed=0
check() {
	local what=$1 want=$2 got st=0
	shift 2
	got=$("$@" </dev/null 2>&1) || st=$?
	[ "$st" = 0 ] || got=$(printf '%s\n[exit %s]' "$got" "$st")
	[ "$got" = "$want" ] && return 0
	_checks_failed=$((_checks_failed + 1))
	echo "FAIL: $what"
	local shown
	case $1 in
	facet_top) shown="facet --backend=$FACET_BACKEND $(printf '%q ' "${@:2}")" ;;
	sh) shown="sh -c: $3" ;;
	*) shown=$(printf '%q ' "$@") ;;
	esac
	echo "    command:  $shown"
	echo "    expected: $(printf '%s' "$want" | sed '2,$s/^/              /')"
	echo "    got:      $(printf '%s' "$got" | sed '2,$s/^/              /')"
}

checks_done() {
	if [ "$_checks_failed" != 0 ]; then
		echo "FAIL: $_checks_failed check(s) failed (see above)"
		exit 1
	fi
	echo ok
	exit 0
}

NORMALIZE=$TESTS_DIR/integration/normalize-trace.py

# join_trace IN OUT: writes the text trace IN to OUT with calls that were
# split (<unfinished ...> / <... resumed>) joined into one line each, one
# space after the pid and " = " before the result, so that each call can
# be matched by one regular expression: "^PID name(args) = result".
join_trace() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
	python3 "$NORMALIZE" --join "$1" >"$2" || fail "cannot read the trace $1"
}

# Lines of a text trace that are system calls (not +++/--- events).
trace_calls() {
	grep -Ev '^[0-9]+ +(\+\+\+|---) ' "$1" || true
}

# procs_matching PATTERN: prints the pids of the processes whose command
# line (arguments joined by single spaces) matches the shell PATTERN.
procs_matching() {
	local d cmd
	for d in /proc/[0-9]*; do
		[ "$d" = "/proc/$$" ] && continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
		cmd=${cmd% }
		# shellcheck disable=SC2254
		case $cmd in
		$1) echo "${d#/proc/}" ;;
		esac
	done
}

need_facet
cd "$TEST_TMP" || fail "cannot cd to TEST_TMP=$TEST_TMP"
