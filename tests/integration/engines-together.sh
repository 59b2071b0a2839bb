#!/usr/bin/env bash
# Engines together: the example engine examples/netdeny, built with its own
# Makefile against the uninstalled libfacet and loaded with --engine, fails
# every network call ahead of the tracer; the program sees the errno it
# chose, the trace shows the refused calls, and netdeny's summary counts
# them. A missing or unusable engine is a usage error (exit 2, one line).
set -u
source "$(dirname "$0")/../lib.sh"

need_cmd python3
# The real interpreter, not a wrapper script (pyenv shims are shell scripts).
PY=$(python3 -c 'import sys; print(sys.executable)') || fail "cannot find python3's executable"
"$PY" -c 'import ctypes' 2>/dev/null || skip "python3 has no ctypes module"

BUILD=$(cd "$(dirname "$FACET")" && pwd) || fail "cannot find the build directory of $FACET"
SRC=$TESTS_DIR/../examples/netdeny

# --- (a) build the example ----------------------------------------------------
if [ -f "$SRC/Makefile" ] && [ -f "$SRC/netdeny.c" ]; then
	need_cmd make cc pkg-config
	PCDIR=$BUILD/meson-uninstalled
	[ -f "$PCDIR/libfacet-uninstalled.pc" ] || fail "$PCDIR/libfacet-uninstalled.pc is missing"
	export PKG_CONFIG_PATH=$PCDIR
	# Meson's uninstalled .pc gives -I<build> -I<source> but not
	# -I<source>/include, where <facet/facet.h> is (the library target has
	# no include_directories): add it only while that is so.
	cppflags=
	found=
	for f in $(pkg-config --cflags libfacet); do
		case $f in -I*) [ -f "${f#-I}/facet/facet.h" ] && found=1 ;; esac
	done
	if [ -z "$found" ]; then
		cppflags="-I$(pkg-config --variable=srcdir libfacet)/include"
		note "the uninstalled libfacet.pc does not find <facet/facet.h>; building with $cppflags"
	fi
	# Build a copy: the test must not write into the source tree.
	mkdir netdeny || fail "cannot create $TEST_TMP/netdeny"
	cp "$SRC/Makefile" "$SRC/netdeny.c" netdeny/ || fail "cannot copy $SRC"
	run make.out make.err make -C netdeny CPPFLAGS="$cppflags"
	expect_status 0 "$status" "make in a copy of examples/netdeny" make.out make.err
	expect_no_grep make.err 'warning:' "warnings building netdeny.so"
	ENGINE=$TEST_TMP/netdeny/netdeny.so
	[ -f "$ENGINE" ] || fail "make did not produce $ENGINE"
else
	# tests/run-tests.sh, run as root, copies only build/ and tests/ for the
	# unprivileged test user, so examples/ is out of reach: use the
	# netdeny.so that Meson built from the same source.
	ENGINE=$BUILD/examples/netdeny/netdeny.so
	[ -f "$ENGINE" ] || skip "neither $SRC nor the Meson-built $ENGINE is there"
	note "examples/ is not reachable from $TESTS_DIR; using the Meson-built $ENGINE"
fi

# Two socket() calls and a connect() on fd -1: netdeny refuses connect
# before the kernel could say EBADF.
cat >prog.py <<'EOF'
import ctypes, errno, socket
for i in range(2):
    try:
        socket.socket()
        print("socket ok")
    except OSError as e:
        print("socket", type(e).__name__, errno.errorcode.get(e.errno, e.errno))
libc = ctypes.CDLL(None, use_errno=True)
r = libc.connect(-1, None, 0)
print("connect", r, errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()) if r < 0 else "")
EOF

# summary_count NAME: netdeny's count for call NAME in err (0 if absent).
summary_count() {
	sed -n 's/^netdeny: refused [0-9]* network calls* (\(.*\))$/\1/p' err | tr ',' '\n' |
		awk -v name="$1" '$1 == name { n = $2 } END { print n + 0 }'
}

# check_refused ERRNO WHAT: checks out (the program's view) and err
# (netdeny's summary). The program may make more network calls than its
# own (glibc asks nscd for user names over a Unix socket, for one).
check_refused() {
	local e=$1 what=$2
	[ "$(grep -c "^socket PermissionError $e\$" out)" = 2 ] ||
		{ echo "FAIL: $what: python did not get PermissionError ($e) from both socket() calls"; show out; show err; exit 1; }
	expect_grep out "^connect -1 $e\$" "$what: connect(-1, NULL, 0) failed with $e"
	expect_grep err '^netdeny: refused [0-9]+ network calls \([a-z0-9_]+ [0-9]+(, [a-z0-9_]+ [0-9]+)*\)$' \
		"$what: netdeny's summary"
	[ "$(grep -c '^netdeny: ' err)" = 1 ] || { echo "FAIL: $what: netdeny's summary is not one line"; show err; exit 1; }
	if [ "$(summary_count socket)" -lt 2 ] || [ "$(summary_count connect)" -lt 1 ]; then
		echo "FAIL: $what: netdeny did not count 2 socket() and 1 connect()"
		show err
		exit 1
	fi
	# The total is the sum of the counts per call.
	local total sum
	total=$(sed -n 's/^netdeny: refused \([0-9]*\) .*/\1/p' err)
	sum=$(sed -n 's/^netdeny: refused [0-9]* network calls* (\(.*\))$/\1/p' err | tr ',' '\n' |
		awk '{ s += $2 } END { print s + 0 }')
	[ "$total" = "$sum" ] || { echo "FAIL: $what: netdeny's total $total is not the sum $sum of its counts"; show err; exit 1; }
}

# --- (b), (c): with the tracer; netdeny is attached first -----------------------
for e in EACCES EPERM; do
	arg=
	[ "$e" = EACCES ] || arg=:$e
	what="facet trace --engine=netdeny.so$arg"
	rm -f trace
	run out err "$FACET" trace --engine="$ENGINE$arg" --backend="$FACET_BACKEND" \
		-e trace=%network -o trace "$PY" prog.py
	expect_status 0 "$status" "$what" out err trace
	check_refused "$e" "$what"
	case $e in
	EACCES) msg='Permission denied' ;;
	EPERM) msg='Operation not permitted' ;;
	esac
	expect_grep trace "^[0-9]+ +socket\(AF_INET, SOCK_STREAM(\|SOCK_CLOEXEC)?, IPPROTO_IP\) += -1 $e \($msg\)\$" \
		"$what: the refused socket() in the trace"
	expect_grep trace "^[0-9]+ +connect\(-1, NULL, 0\) += -1 $e \($msg\)\$" \
		"$what: the refused connect() in the trace"
	# The tracer saw the calls netdeny refused, as many of each.
	total=$(sed -n 's/^netdeny: refused \([0-9]*\) .*/\1/p' err)
	traced=$(trace_calls trace | grep -c " = -1 $e ")
	[ "$traced" = "$total" ] ||
		{ echo "FAIL: $what: the trace shows $traced refused calls, netdeny counted $total"; show trace; show err; exit 1; }
	for name in socket connect; do
		n=$(trace_calls trace | grep -Ec "^[0-9]+ +$name\(.* = -1 $e ")
		[ "$n" = "$(summary_count "$name")" ] ||
			{ echo "FAIL: $what: $n refused $name() in the trace, netdeny counted $(summary_count "$name")"; show trace; show err; exit 1; }
	done
	expect_no_grep trace ' = [0-9]+$' "$what: a network call that succeeded"
done

# Without the tracer nobody wants the calls' results: on the notify back end
# they are refused through user notification instead of a ptrace stop.
run out err "$FACET" --engine="$ENGINE:EPERM" --backend="$FACET_BACKEND" "$PY" prog.py
expect_status 0 "$status" "facet --engine=netdeny.so:EPERM (no tracer)" out err
check_refused EPERM "facet --engine=netdeny.so:EPERM (no tracer)"

# --- (d) engines that cannot be loaded -------------------------------------------
run out err "$FACET" trace --engine=/nonexistent.so --backend="$FACET_BACKEND" -o trace sh -c 'echo ran'
expect_status 2 "$status" "facet trace --engine=/nonexistent.so" out err
expect_grep err '^facet: .*/nonexistent\.so' "the message names /nonexistent.so"
[ "$(wc -l <err)" -eq 1 ] || { echo "FAIL: the message about /nonexistent.so is not one line:"; show err; exit 1; }
expect_no_grep out 'ran' "the command ran though its engine could not be loaded"

# A shared object without facet_plugin_init.
if [ -f "$BUILD/libfacet.so.0" ]; then
	run out err "$FACET" --engine="$BUILD/libfacet.so.0" --backend="$FACET_BACKEND" sh -c 'echo ran'
	expect_status 2 "$status" "facet --engine=libfacet.so.0" out err
	expect_grep err 'facet_plugin_init' "the message says facet_plugin_init is missing"
	expect_no_grep out 'ran' "the command ran though its engine is not one"
fi

# An engine that refuses its argument (facet_plugin_init returns NULL).
run out err "$FACET" --engine="$ENGINE:EBOGUS" --backend="$FACET_BACKEND" sh -c 'echo ran'
expect_status 2 "$status" "facet --engine=netdeny.so:EBOGUS" out err
expect_grep err 'EBOGUS' "netdeny names the bad errno name"
expect_grep err '^facet: engine .*netdeny\.so refused to start: Invalid argument$' "facet says the engine refused"
expect_no_grep out 'ran' "the command ran though its engine refused to start"
echo ok
