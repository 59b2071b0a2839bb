#!/usr/bin/env bash
# bench/run.sh: time workloads natively and under facet trace, strace, proot
# and fakeroot, and through views (bind mounts, an alternate root) under
# facet, proot and bwrap; measure facet's bare user-notification round trip
# against a stat it emulates; print Markdown tables of medians and ratios to
# native.
#
# usage: bench/run.sh [--quick]
# See bench/README.md for the environment variables and how to read the output.

set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

usage() {
	cat <<'EOF'
usage: bench/run.sh [--quick]

  --quick   3 runs instead of 5, smaller loop counts and directory trees

Environment: FACET (default <repo>/build/facet), BENCH_RUNS, BENCH_OUT
(default /tmp/facet-bench), BENCH_TIMEOUT (seconds per run, default 120),
BENCH_MICRO_BUDGET (seconds per micro-benchmark run, default 0.5; 0 = always
use the full loop count), BENCH_N_GETPPID, BENCH_N_STAT, BENCH_N_OPEN,
BENCH_FIND_DIR, BENCH_TAR_DIR, BENCH_PYTHON, BENCH_DEBIAN_ROOT (default
/var/cache/facet-tests/debian-trixie-minbase, from tests/fixtures/debian-root.sh),
BENCH_FR_TAR_DIR (tree for the fake-root tar, default /usr/share),
BENCH_UNTAR_ON (tmpfs, the default where /dev/shm has room, or disk),
BENCH_ONLY (workloads to run, e.g. "rtt vstat stat"; default all).
See bench/README.md.
EOF
}

quick=0
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

# ---------------------------------------------------------------- settings --

if [ $quick = 1 ]; then
	RUNS=${BENCH_RUNS:-3}
	N_GETPPID=${BENCH_N_GETPPID:-50000}
	N_STAT=${BENCH_N_STAT:-20000}
	N_OPEN=${BENCH_N_OPEN:-10000}
	FIND_DIR=${BENCH_FIND_DIR:-/usr/include}
	TAR_DIR=${BENCH_TAR_DIR:-/usr/include/linux}
	FR_TAR_DIR=${BENCH_FR_TAR_DIR:-/usr/include}
	MICRO_BUDGET=${BENCH_MICRO_BUDGET:-0.25}
else
	RUNS=${BENCH_RUNS:-5}
	N_GETPPID=${BENCH_N_GETPPID:-200000}
	N_STAT=${BENCH_N_STAT:-100000}
	N_OPEN=${BENCH_N_OPEN:-50000}
	FIND_DIR=${BENCH_FIND_DIR:-/usr/lib}
	TAR_DIR=${BENCH_TAR_DIR:-/usr/include}
	FR_TAR_DIR=${BENCH_FR_TAR_DIR:-/usr/share}
	MICRO_BUDGET=${BENCH_MICRO_BUDGET:-0.5}
fi
TIMEOUT=${BENCH_TIMEOUT:-120}
DEBIAN_ROOT=${BENCH_DEBIAN_ROOT:-${FACET_TEST_CACHE:-/var/cache/facet-tests}/debian-trixie-minbase}
OUT=${BENCH_OUT:-/tmp/facet-bench}
FACET=${FACET:-$root/build/facet}
case $FACET in /*) ;; *) FACET=$PWD/$FACET ;; esac

for v in RUNS N_GETPPID N_STAT N_OPEN TIMEOUT; do
	if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -lt 1 ]; then
		echo "run.sh: $v must be a positive integer (got '${!v}')" >&2
		exit 2
	fi
done
if ! [[ $MICRO_BUDGET =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
	echo "run.sh: BENCH_MICRO_BUDGET must be a number of seconds" >&2
	exit 2
fi

export LC_ALL=C
unset MAKEFLAGS MFLAGS MAKELEVEL

note() { printf '%s\n' "$*" >&2; }
die() { note "run.sh: $*"; exit 1; }

# A Python interpreter for the timing helper and the python3 workload.  Use
# the real executable, not a wrapper script (pyenv shims are shell scripts
# that would be traced and timed too).
if [ -n "${BENCH_PYTHON:-}" ]; then
	PY=$BENCH_PYTHON
else
	command -v python3 >/dev/null || die "python3 is required"
	PY=$(python3 -c 'import sys; print(sys.executable)') || die "python3 does not run"
fi
TIMEIT=("$PY" "$here/timeit.py")

mkdir -p "$OUT" 2>/dev/null && [ -w "$OUT" ] ||
	die "cannot write to $OUT (set BENCH_OUT to a writable directory)"
OUT=$(cd "$OUT" && pwd)
BIN=$OUT/bin
WORK=$OUT/work
LOGS=$OUT/logs
RAW=$OUT/raw.tsv
rm -rf "$WORK" "$LOGS"
mkdir -p "$BIN" "$WORK" "$LOGS" || die "cannot create directories under $OUT"
printf 'phase\tworkload\trunner\tn\twall_ns\tstatus\tuser_ns\tsys_ns\n' >"$RAW"

# ----------------------------------------------------------- micro helpers --
# Built here with the flags of the project so the harness works before the
# Meson build does; falls back to the Meson-built build/tests/helper-*.
CFLAGS_BENCH=(-std=gnu17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -O2)
for h in getppid-loop statloop openloop; do
	src=$root/tests/helpers/$h.c
	if command -v gcc >/dev/null && [ -f "$src" ] &&
		gcc "${CFLAGS_BENCH[@]}" -o "$BIN/$h" "$src" 2>"$LOGS/build-$h.err"; then
		continue
	fi
	if [ -x "$root/build/tests/helper-$h" ]; then
		cp "$root/build/tests/helper-$h" "$BIN/$h"
	else
		note "run.sh: cannot build $h (see $LOGS/build-$h.err); its row is skipped"
		rm -f "$BIN/$h"
	fi
done
# The engine that makes getppid a bare round trip (bench/roundtrip.c); the
# Meson-built one if gcc cannot build it here.
if command -v gcc >/dev/null && gcc "${CFLAGS_BENCH[@]}" -shared -fPIC -I"$root/include" \
	-o "$BIN/roundtrip.so" "$here/roundtrip.c" 2>"$LOGS/build-roundtrip.err"; then
	:
elif [ -f "$root/build/bench/roundtrip.so" ]; then
	cp "$root/build/bench/roundtrip.so" "$BIN/roundtrip.so"
else
	note "run.sh: cannot build roundtrip.so (see $LOGS/build-roundtrip.err); the round-trip rows are skipped"
	rm -f "$BIN/roundtrip.so"
fi

# The Go program of the runtime tests (its `stats N PATH` loop), for the
# vs-go row; skipped without Go (Debian: golang-go).
if command -v go >/dev/null && (cd "$root/tests/helpers/go/rtgo" &&
	env GOCACHE="$OUT/go-cache" GOPATH="$OUT/go-path" GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on \
		GOTOOLCHAIN=local GOTELEMETRY=off CGO_ENABLED=0 go build -buildvcs=false -o "$BIN/rtgo" .) \
	</dev/null >"$LOGS/build-rtgo.err" 2>&1; then
	:
else
	rm -f "$BIN/rtgo"
fi

# ----------------------------------------------------------------- runners --

# The trace table's columns, the view table's, the round-trip table's, and
# all of them.
TRACE_RUNNERS=(native facet facet-ptrace strace strace-seccomp proot fakeroot)
VIEW_RUNNERS=(native facet facet-confine facet-ptrace proot bwrap)
# Stats through a view: the runtime (fast mode) against the supervisor.
VS_RUNNERS=(native facet facet-confine)
RT_RUNNERS=(native facet)
# Fake root: facet -0 in fast mode and without the runtime, fakeroot, proot -0.
FR_RUNNERS=(native facet-0 facet-0-nofast fakeroot proot-0)
RUNNERS=(native facet facet-confine facet-ptrace strace strace-seccomp proot fakeroot bwrap facet-0 facet-0-nofast
	proot-0)
declare -A LABEL=(
	[native]="native"
	[facet]="facet trace"
	[facet-ptrace]="facet trace --backend=ptrace"
	[facet-confine]="facet --confine (a view)"
	[strace]="strace -f"
	[strace-seccomp]="strace -f --seccomp-bpf"
	[proot]="proot -b /usr"
	[fakeroot]="fakeroot"
	[bwrap]="bwrap"
	[facet-0]="facet -0"
	[facet-0-nofast]="facet -0 --no-fast"
	[proot-0]="proot -0"
)
# shellcheck disable=SC2034 # used by name: table FR_RUNNERS FRLABEL FR
declare -A FRLABEL=(
	[native]="native"
	[facet-0]="facet -0 (fast)"
	[facet-0-nofast]="facet -0 --no-fast"
	[fakeroot]="fakeroot"
	[proot-0]="proot -0"
)
# shellcheck disable=SC2034 # used by name: table VIEW_RUNNERS VLABEL VIEW
declare -A VLABEL=(
	[native]="native"
	[facet]="facet (fast)"
	[facet-confine]="facet --confine"
	[facet-ptrace]="facet --backend=ptrace"
	[proot]="proot"
	[bwrap]="bwrap"
)
# shellcheck disable=SC2034 # used by name: table VS_RUNNERS VSLABEL VS
declare -A VSLABEL=(
	[native]="native"
	[facet]="facet (fast)"
	[facet-confine]="facet --confine"
)
# shellcheck disable=SC2034 # used by name: table RT_RUNNERS RLABEL RT
declare -A RLABEL=(
	[native]="native"
	[facet]="facet --backend=notify"
)
declare -A UNAVAIL=()   # runner -> why it is not run at all ("n/a (...)")
declare -A UNAVAIL_WHY=() # runner -> the longer reason, listed under the table
declare -A BROKEN=()    # runner -> why it failed the pre-flight check

# Sets PFX to the command prefix of runner $1.
prefix() {
	case $1 in
	native) PFX=() ;;
	facet) PFX=("$FACET" trace -e trace=%file -o /dev/null --) ;;
	facet-ptrace) PFX=("$FACET" trace --backend=ptrace -e trace=%file -o /dev/null --) ;;
	facet-confine) PFX=("$FACET" --backend=notify --confine -b "/usr:$VIEW_USR" --) ;; # views only
	strace) PFX=(strace -f -o /dev/null) ;;
	strace-seccomp) PFX=(strace -f --seccomp-bpf -e trace=%file -o /dev/null) ;;
	proot) PFX=(proot -b /usr) ;;
	fakeroot) PFX=(fakeroot --) ;;
	bwrap) PFX=(bwrap --dev-bind / /) ;;
	facet-0) PFX=("$FACET" --backend=notify -0 --) ;;
	facet-0-nofast) PFX=("$FACET" --backend=notify --no-fast -0 --) ;;
	proot-0) PFX=(proot -0) ;;
	esac
}

[ -x "$FACET" ] || { UNAVAIL[facet]="n/a (not built)"; UNAVAIL[facet-ptrace]="n/a (not built)"
	UNAVAIL[facet-confine]="n/a (not built)"; UNAVAIL[facet-0]="n/a (not built)"
	UNAVAIL[facet-0-nofast]="n/a (not built)"; }
command -v strace >/dev/null || { UNAVAIL[strace]="n/a (not installed)"; UNAVAIL[strace-seccomp]="n/a (not installed)"; }
command -v proot >/dev/null || { UNAVAIL[proot]="n/a (not installed)"; UNAVAIL[proot-0]="n/a (not installed)"; }
command -v fakeroot >/dev/null || UNAVAIL[fakeroot]="n/a (not installed)"
# bwrap needs unprivileged user namespaces (or a setuid bwrap).
if ! command -v bwrap >/dev/null; then
	UNAVAIL[bwrap]="n/a (not installed)"
elif ! msg=$(bwrap --dev-bind / / true 2>&1 </dev/null); then
	UNAVAIL[bwrap]="skipped (no user namespaces)"
	UNAVAIL_WHY[bwrap]="bwrap cannot create a user namespace for $(id -un): $(printf '%s\n' "$msg" | tail -n 1 | cut -c1-160)"
fi

# ---------------------------------------------------------------- workloads --

# The round trip: the same two loops under facet, getppid answered
# CONTINUE (nothing done) and stat emulated in a view.
RT=(rtt vstat)
# Stats through a view (-b /usr:/mnt/usr): a name alone in the cwd, and an
# absolute path, each from glibc's stat, whose site fast mode patches; the
# absolute path from glibc's syscall(2), patched too (statloop -s); and
# from a site of no shape it patches (statloop -r); and a Go program's
# lstat of it (rtgo stats), from the site the loader patches.
VS=(vs-name vs-abs vs-thr vs-sys vs-raw vs-go)
# Fake root: tar of a big tree (the stat family, fstat and getdents64 on
# every file), tar -x of a package-like archive (every file root's: tar
# as root makes fchown, fchmod and utimensat on each), the same archive
# with every file another user's (an upstream tarball: each chown is a
# record of fake root's), and one stat of a name in the cwd and of an
# absolute path.
FR=(fr-tar fr-untar fr-untar-owned fr-stat-name fr-stat-abs)
MICRO=(getppid stat open "${RT[@]}" "${VS[@]}" fr-stat-name fr-stat-abs)
MACRO=(find tar python make)
VIEW=(start-view find-view tar-view untar-view untar-cwd-view python-root make-view)
TRACE=(getppid stat open "${MACRO[@]}")
WORKLOADS=("${TRACE[@]}" "${VIEW[@]}" "${RT[@]}" "${VS[@]}" "${FR[@]}")
declare -A N=([getppid]=$N_GETPPID [stat]=$N_STAT [open]=$N_OPEN [rtt]=$N_GETPPID [vstat]=$N_STAT
	[vs-name]=$N_STAT [vs-abs]=$N_STAT [vs-thr]=$N_STAT [vs-sys]=$N_STAT [vs-raw]=$N_STAT [vs-go]=$N_STAT [fr-stat-name]=$N_STAT [fr-stat-abs]=$N_STAT)
declare -A SHORT=([getppid]=getppid-loop [stat]=statloop [open]=openloop
	[rtt]="getppid-loop (round trip)" [vstat]="statloop (view)" [vs-name]="statloop (name)"
	[vs-abs]="statloop (absolute)" [vs-thr]="statloop (absolute, two threads)" [vs-sys]="statloop (absolute, syscall(2))" [vs-raw]="statloop (absolute, unpatched site)" [vs-go]="rtgo stats (Go, absolute)" [fr-stat-name]="statloop (fake root, name)"
	[fr-stat-abs]="statloop (fake root, absolute)")
declare -A WLABEL=(
	[getppid]="getppid-loop: getppid, untrapped (ns/call)"
	[stat]="statloop: stat, trapped (ns/call)"
	[open]="openloop: open+close (ns/pair)"
	[find]="\`find $FIND_DIR -xdev\`"
	[tar]="\`tar -C $TAR_DIR -cf - . \\| cat\`"
	[python]="\`python3 -c 'import json,sqlite3,email,http.client'\`"
	[make]="\`make -j2\` (bench/cproject, 13 files)"
	[fr-tar]="\`tar -C $FR_TAR_DIR -cf - . \\| wc -c\`"
	[fr-untar]="\`tar -xf\` of an archive of $TAR_DIR whose files are root's, into a fresh directory (natively: no chown)"
	[fr-untar-owned]="the same archive, its files owned by 1000:1000 (natively: no chown)"
	[fr-stat-name]="stat of a name in the cwd, \`-w /etc\` \`passwd\` (ns/call)"
	[fr-stat-abs]="stat of an absolute path, \`/etc/passwd\` (ns/call)"
)

# Views: the same workloads through a bind mount or in an alternate root.
# Native runs them on the host paths; facet, proot and bwrap make the same
# mount each (see view_cmd).
VIEW_USR=/mnt/usr           # where /usr is bound for find-view and tar-view
VIEW_PROJECT=/mnt/cproject  # where the project copy is bound for make-view
VIEW_UNTAR=/mnt/untar       # where untar-view's (fresh) directory is bound
UNTAR_RUNS=0                # untar-view's and fr-untar's directories so far
# Where the untar rows extract: a tmpfs (/dev/shm, with 2 GB free) unless
# BENCH_UNTAR_ON=disk. On this VM's disk the same native extraction took
# 0.19 s in one run and 0.58 s in the next (ext4's allocation and
# writeback), more than any runner adds; in memory the rows measure what
# the tools add. On disk no directory is removed before the runs end
# (~70 archives): ext4 skips the inodes freed in the last minutes, which
# costs a run more than any tool adds; in memory the last one is.
UNTAR_BASE=$WORK/untar
if [ "${BENCH_UNTAR_ON:-tmpfs}" != disk ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -gt 2000000 ] 2>/dev/null; then
	UNTAR_BASE=/dev/shm/facet-bench-untar.$$
fi
# Sets UNTAR_DIR to a new empty directory for an untar run (not timed).
untar_dir() {
	UNTAR_RUNS=$((UNTAR_RUNS + 1))
	case $UNTAR_BASE in /dev/shm/*) rm -rf "$UNTAR_BASE" ;; esac
	UNTAR_DIR=$UNTAR_BASE/$UNTAR_RUNS
	mkdir -p "$UNTAR_DIR"
}
PY_IMPORT='import json,sqlite3,email,http.client'
# in_view_usr PATH: PATH under /usr as seen through the bind of /usr.
in_view_usr() { printf '%s\n' "$VIEW_USR${1#/usr}"; }
# start-view: each runner's own start and end, the price of every command
# run through it, which short workloads (python-root) mostly measure.
START_TIMES=20
WLABEL+=(
	[start-view]="\`true\` $START_TIMES times, each started anew, \`-b /usr:$VIEW_USR\` (s for all $START_TIMES)"
	[find-view]="\`find $(in_view_usr "$FIND_DIR") -xdev\`, \`-b /usr:$VIEW_USR\`"
	[tar-view]="\`tar -C $(in_view_usr "$TAR_DIR") -cf - . \\| cat\`, \`-b /usr:$VIEW_USR\`"
	[python-root]="\`python3 -c '$PY_IMPORT'\` in \`-R\` of a Debian root"
	[make-view]="\`make -j2\` (bench/cproject), \`-b PROJECT:$VIEW_PROJECT\`"
	[untar-view]="\`tar -C $VIEW_UNTAR -xf\` (an archive of $TAR_DIR) into a fresh directory, \`-b DIR:$VIEW_UNTAR\`"
	[untar-cwd-view]="the same, \`tar -xf\` started in $VIEW_UNTAR (names relative to the cwd)"
	[rtt]="bare round trip: getppid notified, answered CONTINUE (ns/call)"
	[vstat]="stat emulated in a view, \`--no-fast -b /usr:$VIEW_USR\` (ns/call)"
	[vs-name]="stat of a name in the cwd, \`-w $VIEW_USR\` \`bin\` (ns/call)"
	[vs-abs]="stat of an absolute path, \`$VIEW_USR/bin\` (ns/call)"
	[vs-thr]="the same in a process with a second thread (ns/call)"
	[vs-sys]="the same from glibc's \`syscall(2)\`, its number in a register (ns/call)"
	[vs-raw]="the same from a site of no shape fast mode patches (ns/call)"
	[vs-go]="an lstat of it from a Go program, os.Lstat (ns/call)"
)
# Exit statuses other than 0 that the native run may have and that the other
# runners must then reproduce: find exits 1 when some directories are not
# readable, which is normal for an unprivileged user.
# tar exits 2 when some files are not readable (/usr/share has a few).
declare -A TOLERATED=([find]="1" [find-view]="1" [fr-tar]="2")
declare -A SKIP=()      # workload -> why it is skipped
declare -A EXPECT=()    # workload -> exit status every run must have

is_micro() {
	case $1 in getppid | stat | open | rtt | vstat | vs-name | vs-abs | vs-thr | vs-sys | vs-raw | vs-go | fr-stat-name | fr-stat-abs) return 0 ;; esac
	return 1
}
is_big_tree() { case $1 in fr-tar) return 0 ;; esac; return 1; }
is_fr() { case $1 in fr-tar | fr-untar | fr-untar-owned | fr-stat-name | fr-stat-abs) return 0 ;; esac; return 1; }
is_vs() { case $1 in vs-name | vs-abs | vs-thr | vs-sys | vs-raw | vs-go) return 0 ;; esac; return 1; }
is_view() { case $1 in start-view | find-view | tar-view | untar-view | untar-cwd-view | python-root | make-view) return 0 ;; esac; return 1; }
is_rt() { case $1 in rtt | vstat) return 0 ;; esac; return 1; }

# Sets RNS to the runners (columns) of workload $1.
runners_for() {
	if is_view "$1"; then
		RNS=("${VIEW_RUNNERS[@]}")
	elif is_rt "$1"; then
		RNS=("${RT_RUNNERS[@]}")
	elif is_vs "$1"; then
		RNS=("${VS_RUNNERS[@]}")
	elif is_fr "$1"; then
		RNS=("${FR_RUNNERS[@]}")
	else
		RNS=("${TRACE_RUNNERS[@]}")
	fi
}

[ -x "$BIN/getppid-loop" ] || SKIP[getppid]="helper not built"
[ -x "$BIN/statloop" ] || SKIP[stat]="helper not built"
[ -x "$BIN/openloop" ] || SKIP[open]="helper not built"
[ -x "$BIN/getppid-loop" ] || SKIP[rtt]="helper not built"
[ -f "$BIN/roundtrip.so" ] || SKIP[rtt]="bench/roundtrip.c not built"
[ -x "$BIN/statloop" ] || SKIP[vstat]="helper not built"
[ -x "$BIN/statloop" ] || { SKIP[vs-name]="helper not built"; SKIP[vs-abs]="helper not built"; SKIP[vs-thr]="helper not built"; SKIP[vs-sys]="helper not built"; SKIP[vs-raw]="helper not built"; }
[ -x "$BIN/rtgo" ] || SKIP[vs-go]="go is not installed (Debian: golang-go), or rtgo did not build (logs/build-rtgo.err)"
[ -d "$FIND_DIR" ] || SKIP[find]="$FIND_DIR does not exist"
[ -d "$TAR_DIR" ] || SKIP[tar]="$TAR_DIR does not exist"
[ -d "$TAR_DIR" ] || SKIP[untar-view]="$TAR_DIR does not exist"
[ -d "$TAR_DIR" ] || SKIP[untar-cwd-view]="$TAR_DIR does not exist"
command -v tar >/dev/null || SKIP[tar]="tar not installed"
[ -d "$FR_TAR_DIR" ] || SKIP[fr-tar]="$FR_TAR_DIR does not exist"
command -v tar >/dev/null || SKIP[fr-tar]="tar not installed"
[ -d "$TAR_DIR" ] || SKIP[fr-untar]="$TAR_DIR does not exist"
[ -d "$TAR_DIR" ] || SKIP[fr-untar-owned]="$TAR_DIR does not exist"
[ -x "$BIN/statloop" ] || { SKIP[fr-stat-name]="helper not built"; SKIP[fr-stat-abs]="helper not built"; }
command -v make >/dev/null || SKIP[make]="make not installed"
command -v cc >/dev/null || SKIP[make]="no C compiler (cc)"
for wl in find tar make; do
	[ -z "${SKIP[$wl]:-}" ] || SKIP[$wl-view]=${SKIP[$wl]}
done
case $FIND_DIR in /usr/*) ;; *) SKIP[find-view]="BENCH_FIND_DIR ($FIND_DIR) is not under /usr" ;; esac
case $TAR_DIR in /usr/*) ;; *) SKIP[tar-view]="BENCH_TAR_DIR ($TAR_DIR) is not under /usr" ;; esac
# The root of the distribution test, built as root by tests/fixtures/debian-root.sh.
if [ ! -d "$DEBIAN_ROOT" ]; then
	SKIP[python-root]="no Debian root in $DEBIAN_ROOT (build it once, as root, with tests/fixtures/debian-root.sh, or set BENCH_DEBIAN_ROOT)"
elif [ ! -x "$DEBIAN_ROOT/usr/bin/python3" ]; then
	SKIP[python-root]="no python3 in $DEBIAN_ROOT"
elif [ ! -e "$DEBIAN_ROOT/lib64/ld-linux-x86-64.so.2" ]; then
	SKIP[python-root]="no x86-64 ld.so in $DEBIAN_ROOT (the native run uses it)"
fi
# BENCH_ONLY: the workloads to run (names as in raw.tsv), the rest skipped.
if [ -n "${BENCH_ONLY:-}" ]; then
	for wl in "${WORKLOADS[@]}"; do
		[[ " ${BENCH_ONLY//,/ } " == *" $wl "* ]] || SKIP[$wl]="not in BENCH_ONLY"
	done
fi

# Sets WCMD to the command of workload $1 with loop count $2 (micro only).
# For make, first makes a fresh copy of the project (not timed).
wcmd() {
	case $1 in
	getppid) WCMD=("$BIN/getppid-loop" "$2") ;;
	stat) WCMD=("$BIN/statloop" "$2") ;;
	open) WCMD=("$BIN/openloop" "$2") ;;
	find) WCMD=(find "$FIND_DIR" -xdev) ;;
	tar) WCMD=(bash -c 'set -o pipefail; tar -C "$1" -cf - . | cat >/dev/null' bash "$TAR_DIR") ;;
	python) WCMD=("$PY" -c 'import json,sqlite3,email,http.client') ;;
	fr-tar) WCMD=(bash -c 'set -o pipefail; tar -C "$1" -cf - . | wc -c >/dev/null' bash "$FR_TAR_DIR") ;;
	fr-untar)
		# A package's archive: every file root's. Into a new directory
		# each run, as untar-view's (view_cmd).
		[ -f "$WORK/fr-untar.tar" ] ||
			tar -C "$TAR_DIR" --owner=0 --group=0 --numeric-owner -cf "$WORK/fr-untar.tar" .
		untar_dir
		WCMD=(tar -C "$UNTAR_DIR" -xf "$WORK/fr-untar.tar")
		;;
	fr-untar-owned)
		[ -f "$WORK/fr-untar-owned.tar" ] ||
			tar -C "$TAR_DIR" --owner=1000 --group=1000 --numeric-owner -cf "$WORK/fr-untar-owned.tar" .
		untar_dir
		WCMD=(tar -C "$UNTAR_DIR" -xf "$WORK/fr-untar-owned.tar")
		;;
	fr-stat-name) WCMD=(env -C /etc "$BIN/statloop" "$2" passwd) ;;
	fr-stat-abs) WCMD=("$BIN/statloop" "$2" /etc/passwd) ;;
	make)
		rm -rf "$WORK/cproject"
		cp -R "$here/cproject" "$WORK/cproject"
		WCMD=(make -s -j2 -C "$WORK/cproject" all check)
		;;
	esac
}

# Sets CMD to view workload $1 under runner $2. The host directory HOST is
# mounted at GUEST, or ROOT is the root; the native run is the same
# workload on the host paths. Native python-root runs the root's own python3
# with the root's ld.so and libraries, straight from the host paths: the same
# program and files as in the root, with nothing translated.
view_cmd() {
	local wl=$1 rn=$2 host="" guest="" root="" native inview
	case $wl in
	start-view)
		host=/usr guest=$VIEW_USR
		native=(/usr/bin/true)
		inview=("$(in_view_usr /usr/bin/true)")
		;;
	find-view)
		host=/usr guest=$VIEW_USR
		native=(find "$FIND_DIR" -xdev)
		inview=(find "$(in_view_usr "$FIND_DIR")" -xdev)
		;;
	tar-view)
		host=/usr guest=$VIEW_USR
		wcmd tar 0
		native=("${WCMD[@]}")
		inview=("${WCMD[@]:0:${#WCMD[@]}-1}" "$(in_view_usr "$TAR_DIR")")
		;;
	untar-view)
		# A new empty directory each run (untar_dir), the archive made
		# once.
		[ -f "$WORK/untar.tar" ] || tar -C "$TAR_DIR" -cf "$WORK/untar.tar" .
		untar_dir
		host=$UNTAR_DIR guest=$VIEW_UNTAR
		native=(tar -C "$host" -xf "$WORK/untar.tar")
		inview=(tar -C "$VIEW_UNTAR" -xf "$WORK/untar.tar")
		;;
	untar-cwd-view)
		# The way tar -x is mostly run: in the directory, its names
		# ("./a/b") relative to the cwd, not to -C's fd.
		[ -f "$WORK/untar.tar" ] || tar -C "$TAR_DIR" -cf "$WORK/untar.tar" .
		untar_dir
		host=$UNTAR_DIR guest=$VIEW_UNTAR
		native=(env -C "$host" tar -xf "$WORK/untar.tar")
		inview=(env -C "$VIEW_UNTAR" tar -xf "$WORK/untar.tar")
		;;
	make-view)
		wcmd make 0 # a fresh copy
		host=$WORK/cproject guest=$VIEW_PROJECT
		native=("${WCMD[@]}")
		inview=(make -s -j2 -C "$VIEW_PROJECT" all check)
		;;
	python-root)
		root=$DEBIAN_ROOT
		native=(env PYTHONHOME="$root/usr" "$root/lib64/ld-linux-x86-64.so.2"
			--library-path "$root/usr/lib/x86_64-linux-gnu" "$root/usr/bin/python3" -c "$PY_IMPORT")
		inview=(/usr/bin/python3 -c "$PY_IMPORT")
		;;
	esac
	local backend=notify
	case $rn in
	native) CMD=("${native[@]}") ;;
	facet | facet-confine | facet-ptrace)
		local mode=()
		[ "$rn" = facet-ptrace ] && backend=ptrace
		[ "$rn" = facet-confine ] && mode=(--confine)
		if [ -n "$root" ]; then
			CMD=("$FACET" --backend="$backend" "${mode[@]}" -R "$root" -w / -- "${inview[@]}")
		else
			CMD=("$FACET" --backend="$backend" "${mode[@]}" -b "$host:$guest" -- "${inview[@]}")
		fi
		;;
	proot)
		if [ -n "$root" ]; then
			CMD=(proot -R "$root" -w / "${inview[@]}")
		else
			CMD=(proot -b "$host:$guest" "${inview[@]}")
		fi
		;;
	bwrap)
		if [ -n "$root" ]; then
			CMD=(bwrap --bind "$root" / --dev /dev --proc /proc --chdir / "${inview[@]}")
		else
			# bwrap makes a missing mount point for real, which an
			# unprivileged user cannot do in the host's /mnt: a tmpfs
			# there takes it.
			local mnt=()
			[ -e "$guest" ] || mnt=(--tmpfs "$(dirname "$guest")")
			CMD=(bwrap --dev-bind / / "${mnt[@]}" --bind "$host" "$guest" "${inview[@]}")
		fi
		;;
	esac
	# Each of the START_TIMES runs starts the runner anew.
	[ "$wl" = start-view ] &&
		CMD=(sh -c 'n=$1; shift; while [ "$n" -gt 0 ]; do "$@" || exit; n=$((n - 1)); done' sh "$START_TIMES" "${CMD[@]}")
	return 0
}

# Sets CMD to round-trip workload $1 under runner $2 with loop count $3:
# natively, the loop alone; under facet, getppid-loop with the engine that
# wants getppid and lets it run (each call a notification answered
# CONTINUE), and statloop in a view of the supervisor alone (--no-fast),
# where each stat of /etc/passwd is resolved and performed by facet.
rt_cmd() {
	local loop=getppid-loop
	[ "$1" = vstat ] && loop=statloop
	case $2 in
	native) CMD=("$BIN/$loop" "$3") ;;
	facet)
		if [ "$1" = rtt ]; then
			CMD=("$FACET" --backend=notify --engine="$BIN/roundtrip.so" -- "$BIN/$loop" "$3")
		else
			CMD=("$FACET" --backend=notify --no-fast -b "/usr:$VIEW_USR" -- "$BIN/$loop" "$3")
		fi
		;;
	esac
}

# Sets CMD to stat workload $1 through a view under runner $2 with loop
# count $3; natively, the same stat of the host path.
vs_cmd() {
	local mode=()
	[ "$2" = facet-confine ] && mode=(--confine)
	case $1/$2 in
	vs-name/native) CMD=(env -C /usr "$BIN/statloop" "$3" bin) ;;
	vs-abs/native) CMD=("$BIN/statloop" "$3" /usr/bin) ;;
	vs-thr/native) CMD=("$BIN/statloop" -t "$3" /usr/bin) ;;
	vs-sys/native) CMD=("$BIN/statloop" -s "$3" /usr/bin) ;;
	vs-raw/native) CMD=("$BIN/statloop" -r "$3" /usr/bin) ;;
	vs-go/native) CMD=("$BIN/rtgo" stats "$3" /usr/bin) ;;
	vs-name/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -w "$VIEW_USR" -- "$BIN/statloop" "$3" bin) ;;
	vs-abs/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -- "$BIN/statloop" "$3" "$VIEW_USR/bin") ;;
	vs-thr/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -- "$BIN/statloop" -t "$3" "$VIEW_USR/bin") ;;
	vs-sys/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -- "$BIN/statloop" -s "$3" "$VIEW_USR/bin") ;;
	vs-raw/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -- "$BIN/statloop" -r "$3" "$VIEW_USR/bin") ;;
	vs-go/*) CMD=("$FACET" --backend=notify "${mode[@]}" -b "/usr:$VIEW_USR" -- "$BIN/rtgo" stats "$3" "$VIEW_USR/bin") ;;
	esac
}

# Sets CMD to workload $1 under runner $2, with loop count $3 (micro only).
command_of() {
	if is_view "$1"; then
		view_cmd "$1" "$2"
	elif is_rt "$1"; then
		rt_cmd "$1" "$2" "$3"
	elif is_vs "$1"; then
		vs_cmd "$1" "$2" "$3"
	else
		prefix "$2"
		wcmd "$1" "$3"
		CMD=("${PFX[@]}" "${WCMD[@]}")
	fi
}

# --------------------------------------------------------------- execution --

# run PHASE WORKLOAD RUNNER N: run once, log to raw.tsv, set R_NS and R_ST.
# Aborts the whole benchmark on ^C.
run() {
	local phase=$1 wl=$2 rn=$3 n=$4 line
	command_of "$wl" "$rn" "$n"
	line=$("${TIMEIT[@]}" --timeout "$TIMEOUT" --stderr "$LOGS/$wl.$rn.err" -- "${CMD[@]}")
	local rc=$?
	if [ $rc = 130 ]; then
		note "run.sh: interrupted"
		exit 130
	fi
	[ $rc = 0 ] && [ -n "$line" ] || line="0 timeit-failed 0 0"
	read -r R_NS R_ST _ _ <<<"$line"
	printf '%s\t%s\t%s\t%s\t%s\n' "$phase" "$wl" "$rn" "$n" "${line// /$'\t'}" >>"$RAW"
}

# Why run $1/$2 counts as failed ("" if it does not), from R_ST.
failure() {
	local wl=$1 rn=$2
	[ "$R_ST" = "${EXPECT[$wl]}" ] && return
	local why
	case $R_ST in
	timeout) why="timed out after ${TIMEOUT}s" ;;
	exec-failed | timeit-failed) why="could not be started" ;;
	*) why="exit status $R_ST" ;;
	esac
	[ "${EXPECT[$wl]}" = 0 ] || why="$why, native: ${EXPECT[$wl]}"
	local msg
	msg=$(grep -v '^[[:space:]]*$' "$LOGS/$wl.$rn.err" 2>/dev/null | tail -n 1 | cut -c1-120)
	[ -n "$msg" ] && why="$why: $msg"
	printf '%s (log: %s)' "$why" "$LOGS/$wl.$rn.err"
}

declare -A FAILED=()    # workload/runner -> reason
declare -A NR=()        # micro workload/runner -> loop count used
declare -A VALS=()      # workload/runner/n -> wall times (ns) of measured runs

active() { # runner is to be run at all
	[ -z "${UNAVAIL[$1]:-}" ] && [ -z "${BROKEN[$1]:-}" ]
}

fmt_secs() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e9 }'; }

started=$(date +%s)
note "facet benchmark: $RUNS runs per cell, raw data in $RAW"

# Pre-flight: each runner must be able to run `true`.
for rn in "${RUNNERS[@]}"; do
	[ "$rn" = native ] && continue
	active "$rn" || { note "  ${LABEL[$rn]}: ${UNAVAIL[$rn]}"; continue; }
	prefix "$rn"
	line=$("${TIMEIT[@]}" --timeout 30 --stderr "$LOGS/preflight.$rn.err" -- "${PFX[@]}" true)
	[ $? = 130 ] && exit 130
	read -r _ st _ <<<"$line"
	if [ "$st" != 0 ]; then
		msg=$(grep -v '^[[:space:]]*$' "$LOGS/preflight.$rn.err" 2>/dev/null | tail -n 1 | cut -c1-120)
		BROKEN[$rn]="cannot run \`true\` (status $st${msg:+: $msg}; log: $LOGS/preflight.$rn.err)"
		note "  ${LABEL[$rn]}: FAILED pre-flight: ${BROKEN[$rn]}"
	fi
done

# Warm-up: one native run per workload (fills the page cache), which also
# fixes the exit status every run of that workload must have.
for wl in "${WORKLOADS[@]}"; do
	[ -n "${SKIP[$wl]:-}" ] && continue
	run warmup "$wl" native "${N[$wl]:-0}"
	if [ "$R_ST" = 0 ] || [[ " ${TOLERATED[$wl]:-} " == *" $R_ST "* ]]; then
		EXPECT[$wl]=$R_ST
		note "  warm-up $wl: $(fmt_secs "$R_NS") s"
	else
		SKIP[$wl]="native run failed (status $R_ST, see $LOGS/$wl.native.err)"
		note "  warm-up $wl: ${SKIP[$wl]}"
	fi
done

# Calibration of the micro-benchmarks, which also warms up each runner: a
# runner for which the full loop would take more than MICRO_BUDGET seconds
# gets a smaller loop count (at least 1000).  Loops of N/100, 8 times that,
# ... calls are run until one takes 50 ms more than the N=0 run (well above
# the start-up jitter; fakeroot starts a daemon) or the full N is reached;
# that run gives the cost per call.  The figure reported is still a cost per
# call: start-up is subtracted with the N=0 runs.
for wl in "${MICRO[@]}"; do
	[ -n "${SKIP[$wl]:-}" ] && continue
	full=${N[$wl]}
	runners_for "$wl"
	for rn in "${RNS[@]}"; do
		active "$rn" || continue
		[ "$MICRO_BUDGET" = 0 ] && { NR[$wl/$rn]=$full; continue; }
		run calibrate "$wl" "$rn" 0
		why=$(failure "$wl" "$rn")
		t0=$R_NS
		ncal=$((full / 100)); [ $ncal -lt 1000 ] && ncal=1000
		while [ -z "$why" ]; do
			[ $ncal -gt $full ] && ncal=$full
			run calibrate "$wl" "$rn" "$ncal"
			why=$(failure "$wl" "$rn")
			[ $ncal = $full ] || [ $((R_NS - t0)) -gt 50000000 ] && break
			ncal=$((ncal * 8))
		done
		if [ -n "$why" ]; then
			FAILED[$wl/$rn]=$why
			note "  calibrate $wl under ${LABEL[$rn]}: FAILED ($why)"
			continue
		fi
		NR[$wl/$rn]=$(awk -v t="$R_NS" -v t0="$t0" -v n="$ncal" -v full="$full" -v b="$MICRO_BUDGET" 'BEGIN {
			c = (t - t0) / n                  # ns per call
			if (c <= 0 || c * full <= b * 1e9) { print full; exit }
			m = b * 1e9 / c
			p = 1; while (m >= 100 * p) p *= 10   # keep two significant digits
			m = int(m / p) * p
			print (m < 1000 ? 1000 : (m > full ? full : m))
		}')
	done
done

# Measured runs: every repetition runs every workload under each of its
# runners, starting with a different runner each time.
for ((rep = 1; rep <= RUNS; rep++)); do
	note "repetition $rep/$RUNS ($(($(date +%s) - started)) s elapsed)"
	for wl in "${WORKLOADS[@]}"; do
		[ -n "${SKIP[$wl]:-}" ] && continue
		runners_for "$wl"
		nrun=${#RNS[@]}
		for ((k = 0; k < nrun; k++)); do
			rn=${RNS[$(((k + rep - 1) % nrun))]}
			active "$rn" || continue
			[ -n "${FAILED[$wl/$rn]:-}" ] && continue
			if is_micro "$wl"; then
				ns=(0 "${NR[$wl/$rn]}")
			else
				ns=(0)
			fi
			for n in "${ns[@]}"; do
				# A tree bigger than the page cache keeps (/usr/share is ~1 GB)
				# is read again by each run: an untimed native pass first, so
				# that every runner starts from the same warm cache and not
				# from what the runner before it left.
				is_big_tree "$wl" && run rewarm "$wl" native "$n"
				run measure "$wl" "$rn" "$n"
				why=$(failure "$wl" "$rn")
				if [ -n "$why" ]; then
					FAILED[$wl/$rn]=$why
					note "  $wl under $rn: FAILED ($why)"
					break
				fi
				VALS[$wl/$rn/$n]+="$R_NS "
			done
		done
	done
done
# dpkg -i in the Debian root under a fake root: facet -0 (fast and
# --no-fast) against proot -0. Nothing runs it natively without root, so
# this table has no native column: its ratio is PRoot's time to facet's.
# Each run gets fresh writable copies of the root's /etc, /var and /opt
# (not timed) and installs a package whose maintainer script adds a system
# user, chowns a directory to it and makes a program set-user-ID.
DPKG_RUNNERS=(facet-0 facet-0-nofast proot-0)
declare -A DPKG_VALS=() DPKG_FAILED=()
dpkg_skip=""
if [ -n "${BENCH_ONLY:-}" ] && [[ " ${BENCH_ONLY//,/ } " != *" fr-dpkg "* ]]; then
	dpkg_skip="not in BENCH_ONLY"
elif [ ! -x "$DEBIAN_ROOT/usr/bin/dpkg" ]; then
	dpkg_skip="no Debian root with dpkg in $DEBIAN_ROOT"
elif ! command -v dpkg-deb >/dev/null; then
	dpkg_skip="dpkg-deb not installed"
fi
dpkg_package() {
	local d=$WORK/dpkg-src
	rm -rf "$d" && mkdir -p "$d/DEBIAN" "$d/opt/facet-bench" "$d/var/lib/facet-bench" || return 1
	printf 'Package: facet-bench\nVersion: 1.0\nArchitecture: all\nMaintainer: facet <t@example.org>\nDescription: bench\n' \
		>"$d/DEBIAN/control"
	for i in $(seq 1 50); do printf '#!/bin/sh\necho %s\n' "$i" >"$d/opt/facet-bench/f$i"; done
	chmod 755 "$d"/opt/facet-bench/f*
	printf '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n%s\n%s\n%s\nfi\n' \
		'getent passwd facetb >/dev/null || useradd --system --no-create-home --home-dir /nonexistent facetb' \
		'chown facetb:facetb /var/lib/facet-bench' 'chmod 4755 /opt/facet-bench/f1' >"$d/DEBIAN/postinst"
	chmod 755 "$d/DEBIAN/postinst"
	mkdir -p "$WORK/pkgs" && dpkg-deb --root-owner-group --build "$d" "$WORK/pkgs/facet-bench.deb" >/dev/null
}
dpkg_cmd() { # runner, writable copy W
	local rn=$1 w=$2 binds
	binds=(-b /dev -b /proc -b /sys -b "$w/etc:/etc" -b "$w/var:/var" -b "$w/opt:/opt" -b "$w/root:/root"
		-b "$WORK/pkgs:/pkgs")
	local env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive)
	case $rn in
	facet-0) CMD=("${env[@]}" "$FACET" --backend=notify -0 -r "$DEBIAN_ROOT" "${binds[@]}" -w / -- dpkg -i /pkgs/facet-bench.deb) ;;
	facet-0-nofast) CMD=("${env[@]}" "$FACET" --backend=notify --no-fast -0 -r "$DEBIAN_ROOT" "${binds[@]}" -w / --
		dpkg -i /pkgs/facet-bench.deb) ;;
	proot-0) CMD=("${env[@]}" proot -0 -r "$DEBIAN_ROOT" "${binds[@]}" -w / dpkg -i /pkgs/facet-bench.deb) ;;
	esac
}
if [ -z "$dpkg_skip" ] && ! dpkg_package; then
	dpkg_skip="could not build the package (dpkg-deb)"
fi
if [ -z "$dpkg_skip" ]; then
	note "dpkg -i in $DEBIAN_ROOT ($((RUNS + 1)) runs per runner, the first a warm-up)"
	for ((rep = 0; rep <= RUNS; rep++)); do
		for rn in "${DPKG_RUNNERS[@]}"; do
			active "$rn" && [ -z "${DPKG_FAILED[$rn]:-}" ] || continue
			w=$WORK/dpkg-root
			rm -rf "$w" && mkdir -p "$w/root" && cp -a "$DEBIAN_ROOT/etc" "$DEBIAN_ROOT/var" "$DEBIAN_ROOT/opt" "$w/" ||
				{ dpkg_skip="cannot copy the root's /etc, /var and /opt"; break 2; }
			dpkg_cmd "$rn" "$w"
			line=$("${TIMEIT[@]}" --timeout "$TIMEOUT" --stderr "$LOGS/fr-dpkg.$rn.err" --stdout "$LOGS/fr-dpkg.$rn.out" -- "${CMD[@]}")
			[ $? = 130 ] && exit 130
			read -r R_NS R_ST _ _ <<<"$line"
			printf '%s\t%s\t%s\t%s\t%s\n' "$([ $rep = 0 ] && echo warmup || echo measure)" fr-dpkg "$rn" 0 "${line// /$'\t'}" >>"$RAW"
			if [ "$R_ST" != 0 ]; then
				DPKG_FAILED[$rn]="exit status $R_ST (log: $LOGS/fr-dpkg.$rn.err)"
				note "  dpkg -i under ${LABEL[$rn]}: FAILED (${DPKG_FAILED[$rn]})"
				continue
			fi
			[ $rep = 0 ] || DPKG_VALS[$rn]+="$R_NS "
		done
	done
fi
rm -rf "$WORK"

# ------------------------------------------------------------------ report --

median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) exit 1
	if (NR % 2) printf "%.0f\n", v[(NR + 1) / 2]
	else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Sets VAL to the figure of workload $1 under runner $2 (ns per call for
# micro, ns of wall time otherwise), or "" if there is none.
figure() {
	local wl=$1 rn=$2 m0 m1
	VAL=""
	if is_micro "$wl"; then
		local n=${NR[$wl/$rn]:-}
		[ -n "$n" ] || return
		m0=$(median "${VALS[$wl/$rn/0]:-}") || return
		m1=$(median "${VALS[$wl/$rn/$n]:-}") || return
		VAL=$(awk -v a="$m1" -v b="$m0" -v n="$n" 'BEGIN { printf "%.3f", (a - b) / n }')
	else
		VAL=$(median "${VALS[$wl/$rn/0]:-}") || VAL=""
	fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (b <= 0) { print "?"; exit }
	r = a / b
	if (r < 10) printf "%.2f", r; else if (r < 100) printf "%.1f", r; else printf "%.0f", r }'; }

fmt_value() { # $1 workload, $2 value
	if is_micro "$1"; then
		awk -v v="$2" 'BEGIN { a = v < 0 ? -v : v
			if (a < 100) printf "%.1f ns", v; else if (a < 10000) printf "%.0f ns", v
			else if (a < 1e6) printf "%.1f µs", v / 1e3; else printf "%.2f ms", v / 1e6 }'
	else
		awk -v v="$2" 'BEGIN { s = v / 1e9
			if (s < 1) printf "%.3f s", s; else if (s < 100) printf "%.2f s", s; else printf "%.0f s", s }'
	fi
}

tool_version() {
	case $1 in
	facet)
		local v
		v=$("$FACET" --version 2>/dev/null | head -n 1)
		case $v in facet*) echo "$v" ;; *) echo "facet ($FACET)" ;; esac
		;;
	strace) strace -V 2>/dev/null | head -n 1 | sed 's/ -- version//' ;;
	proot) dpkg-query -W -f 'proot ${Version}' proot 2>/dev/null || echo proot ;;
	fakeroot) fakeroot -v 2>/dev/null | head -n 1 | sed 's/ version//' ;;
	bwrap) bwrap --version 2>/dev/null | head -n 1 ;;
	esac
}

# table RUNNERS LABELS WORKLOADS: prints the Markdown table of the workloads
# in the array named WORKLOADS (rows) under the runners in the array named
# RUNNERS (columns, headed by the map named LABELS); appends to NOTES what is
# to be listed under it and to CAPPED the reduced loop counts.
table() {
	local -n t_rns=$1 t_label=$2 t_wls=$3
	local hdr="| workload |" sep="|---|" rn
	for rn in "${t_rns[@]}"; do
		hdr+=" ${t_label[$rn]} |"
		sep+="---:|"
	done
	echo "$hdr"
	echo "$sep"
	local wl row base cell capnote
	for wl in "${t_wls[@]}"; do
		row="| ${WLABEL[$wl]} |"
		if [ -n "${SKIP[$wl]:-}" ]; then
			for rn in "${t_rns[@]}"; do row+=" – |"; done
			echo "$row"
			NOTES+=("${WLABEL[$wl]}: skipped, ${SKIP[$wl]}")
			continue
		fi
		figure "$wl" native
		base=$VAL
		capnote=""
		for rn in "${t_rns[@]}"; do
			if [ -n "${UNAVAIL[$rn]:-}" ]; then
				cell=${UNAVAIL[$rn]}
			elif [ -n "${BROKEN[$rn]:-}" ]; then
				cell="FAILED"
			elif [ -n "${FAILED[$wl/$rn]:-}" ]; then
				cell="FAILED"
				NOTES+=("${WLABEL[$wl]} under ${t_label[$rn]}: ${FAILED[$wl/$rn]}")
			else
				figure "$wl" "$rn"
				if [ -z "$VAL" ]; then
					cell="–"
				elif [ "$rn" = native ]; then
					cell=$(fmt_value "$wl" "$VAL")
				elif [ -n "$base" ]; then
					cell="$(fmt_value "$wl" "$VAL") (×$(ratio "$VAL" "$base"))"
				else
					cell=$(fmt_value "$wl" "$VAL")
				fi
				if is_micro "$wl" && [ "${NR[$wl/$rn]}" != "${N[$wl]}" ]; then
					capnote+="${capnote:+, }${t_label[$rn]} ${NR[$wl/$rn]}"
				fi
			fi
			row+=" $cell |"
		done
		echo "$row"
		[ -n "$capnote" ] && CAPPED+=("${SHORT[$wl]}: $capnote")
	done
	for rn in "${t_rns[@]}"; do
		[ -n "${BROKEN[$rn]:-}" ] && NOTES+=("${t_label[$rn]}: every cell FAILED, ${BROKEN[$rn]}")
		[ -n "${UNAVAIL_WHY[$rn]:-}" ] && NOTES+=("${t_label[$rn]}: ${UNAVAIL[$rn]}, ${UNAVAIL_WHY[$rn]}")
	done
}

# Prints NOTES as a list, after an empty line, and empties it.
list_notes() {
	[ ${#NOTES[@]} -gt 0 ] || return 0
	echo
	local n
	for n in "${NOTES[@]}"; do echo "- $n"; done
	NOTES=()
}

# Prints the emulated stats (in a view, and the tracer's) as multiples of
# the bare round trip of the same run.
rt_ratios() {
	local bare vs ts
	figure rtt facet
	bare=$VAL
	[ -n "$bare" ] || return 0
	figure vstat facet
	vs=$VAL
	echo
	[ -n "$vs" ] && echo "Emulated stat in a view / bare round trip: ×$(ratio "$vs" "$bare")."
	if [ -z "${SKIP[stat]:-}" ] && [ -z "${FAILED[stat/facet]:-}" ] && active facet; then
		figure stat facet
		ts=$VAL
		[ -n "$ts" ] && echo "Emulated stat under \`facet trace\` (first table) / bare round trip: ×$(ratio "$ts" "$bare")."
	fi
	return 0
}

# Prints how a stat under fakeroot compares with one under facet -0, by
# row, and facet -0's tar against the issue's target.
fr_ratios() {
	local wl f0 fk
	echo
	for wl in fr-stat-name fr-stat-abs; do
		[ -z "${SKIP[$wl]:-}" ] && [ -z "${FAILED[$wl/facet-0]:-}" ] && [ -z "${FAILED[$wl/fakeroot]:-}" ] &&
			active facet-0 && active fakeroot || continue
		figure "$wl" facet-0
		f0=$VAL
		figure "$wl" fakeroot
		fk=$VAL
		[ -n "$f0" ] && [ -n "$fk" ] &&
			echo "${WLABEL[$wl]%% (ns/call)}: fakeroot / facet -0 = ×$(ratio "$fk" "$f0")."
	done
	return 0
}

report() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	echo "## facet trace benchmark"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- kernel: $(uname -srm)"
	echo "- CPUs: $(nproc)${cpu:+ ($cpu)}"
	echo "- untar-view, untar-cwd-view, fr-untar and fr-untar-owned extract $(case $UNTAR_BASE in /dev/shm/*) echo "in memory (a tmpfs, /dev/shm)" ;; *) echo "on disk ($WORK/untar)" ;; esac)"
	echo "- BENCH_RUNS: $RUNS (median of $RUNS run$([ "$RUNS" = 1 ] || echo s) after a warm-up run$([ $quick = 1 ] && echo ', --quick'))"
	echo "- user: $(id -un) (uid $(id -u))"
	local tools=() t v
	for t in facet strace proot fakeroot bwrap; do
		case $t in
		facet) [ -x "$FACET" ] || continue ;;
		*) command -v "$t" >/dev/null || continue ;;
		esac
		v=$(tool_version "$t")
		tools+=("${v:-$t}")
	done
	[ ${#tools[@]} -gt 0 ] && echo "- tools: $(IFS=,; echo "${tools[*]}" | sed 's/,/, /g')"
	echo
	NOTES=()
	CAPPED=()
	table TRACE_RUNNERS LABEL TRACE
	echo
	echo "Cells: median wall time of $RUNS run$([ "$RUNS" = 1 ] || echo s) (×ratio to native). Micro-benchmarks:"
	echo "(median time at N − median time at N=0) / N, with N = $N_GETPPID getppid, $N_STAT stat,"
	echo "$N_OPEN open+close calls, so process start-up is not counted."
	if [ ${#CAPPED[@]} -gt 0 ]; then
		echo "Runners too slow for the full N within ${MICRO_BUDGET} s per run used fewer calls:"
		local c
		for c in "${CAPPED[@]}"; do echo "$c;"; done | sed '$ s/;$/./'
	fi
	list_notes
	echo
	echo "### Views"
	echo
	echo "The same workloads through a bind mount (facet and proot \`-b HOST:GUEST\`, bwrap"
	echo "\`--dev-bind / / --bind HOST GUEST\`) or in a Debian root ($DEBIAN_ROOT: facet and"
	echo "proot \`-R\`, bwrap \`--bind ROOT / --dev /dev --proc /proc\`); native runs them on the"
	echo "host paths. No tracing."
	echo
	table VIEW_RUNNERS VLABEL VIEW
	list_notes
	echo
	echo "### Stats through a view"
	echo
	echo "glibc's stat through \`-b /usr:$VIEW_USR\`: in fast mode the supervisor patches"
	echo "its call site at the first call and the in-process runtime answers the rest;"
	echo "with \`--confine\` the supervisor answers each. Native stats the host path."
	echo
	CAPPED=()
	table VS_RUNNERS VSLABEL VS
	if [ ${#CAPPED[@]} -gt 0 ]; then
		echo "Loop counts: $(IFS=';'; echo "${CAPPED[*]}" | sed 's/;/; /g')."
	fi
	list_notes
	echo
	echo "### The supervisor's round trip"
	echo
	echo "What one call costs that facet's supervisor answers: a bare user notification"
	echo "(getppid, wanted by bench/roundtrip.so and let run with CONTINUE) and a stat of"
	echo "/etc/passwd that facet resolves and performs in a view of the supervisor alone"
	echo "(\`--no-fast\`), both on the notify back end; native is the loop alone."
	echo
	CAPPED=()
	table RT_RUNNERS RLABEL RT
	rt_ratios
	if [ ${#CAPPED[@]} -gt 0 ]; then
		echo "Loop counts: $(IFS=';'; echo "${CAPPED[*]}" | sed 's/;/; /g')."
	fi
	list_notes
	echo
	echo "### Fake root"
	echo
	echo "The tree believes it is root: \`facet -0\` in fast mode (the runtime answers the"
	echo "stat family, fstat and getdents64 with the record of owners mapped in each"
	echo "process) and with \`--no-fast\` (the supervisor answers each), fakeroot's"
	echo "LD_PRELOAD library and daemon, PRoot's \`-0\`; native is the workload alone."
	echo
	CAPPED=()
	table FR_RUNNERS FRLABEL FR
	fr_ratios
	if [ ${#CAPPED[@]} -gt 0 ]; then
		echo "Loop counts: $(IFS=';'; echo "${CAPPED[*]}" | sed 's/;/; /g')."
	fi
	list_notes
	dpkg_table
}

# The dpkg -i table: medians, and PRoot's time as a multiple of facet's.
dpkg_table() {
	echo
	echo "#### dpkg -i in a Debian root"
	echo
	if [ -n "$dpkg_skip" ]; then
		echo "Skipped: $dpkg_skip."
		return 0
	fi
	echo "\`dpkg -i\` of a 50-file package whose maintainer script runs useradd, chown and"
	echo "chmod 4755, in $DEBIAN_ROOT (\`-r ROOT\` with /dev, /proc, /sys and writable copies"
	echo "of its /etc, /var, /opt bound), median of $RUNS runs after a warm-up."
	echo
	local hdr="| workload |" sep="|---|" row="| dpkg -i |" rn pr="" f0=""
	for rn in "${DPKG_RUNNERS[@]}"; do
		hdr+=" ${FRLABEL[$rn]} |"
		sep+="---:|"
		if [ -n "${UNAVAIL[$rn]:-}" ]; then
			row+=" ${UNAVAIL[$rn]} |"
		elif [ -n "${BROKEN[$rn]:-}" ] || [ -n "${DPKG_FAILED[$rn]:-}" ]; then
			row+=" FAILED |"
		elif VAL=$(median "${DPKG_VALS[$rn]:-}"); then
			row+=" $(fmt_value fr-dpkg "$VAL") |"
			[ "$rn" = facet-0 ] && f0=$VAL
			[ "$rn" = proot-0 ] && pr=$VAL
		else
			row+=" – |"
		fi
	done
	echo "$hdr"
	echo "$sep"
	echo "$row"
	echo
	[ -n "$f0" ] && [ -n "$pr" ] && echo "proot -0 / facet -0 = ×$(ratio "$pr" "$f0")."
	for rn in "${DPKG_RUNNERS[@]}"; do
		[ -n "${DPKG_FAILED[$rn]:-}" ] && echo "- dpkg -i under ${FRLABEL[$rn]}: ${DPKG_FAILED[$rn]}"
	done
	return 0
}

rm -rf "$WORK/untar" "$UNTAR_BASE"
report | tee "$OUT/results.md"
note "done in $(($(date +%s) - started)) s; raw data: $RAW, table: $OUT/results.md, logs: $LOGS"
