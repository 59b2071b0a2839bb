#!/usr/bin/env bash
# A Go program behaves inside a view as natively, in every mode of the
# in-process runtime (--fast, --confine, --no-fast): Go makes its own
# system calls (no libc), runs every signal handler on an alternate stack
# (SA_ONSTACK), runs goroutines on threads with small stacks and forks
# with CLONE_VFORK. tests/helpers/go/rtgo (standard library only) is
# built here with the Debian toolchain (golang-go), without network
# (GOPROXY=off) and with its build cache in TEST_TMP; the comparison is
# tests/lib-view-runtime.sh's. Skips when `go` is not installed.
set -u
. "$(dirname "$0")/../lib.sh"

command -v go >/dev/null 2>&1 || skip "go is not installed (Debian: golang-go), so there is no Go program to run"
SRC=$TESTS_DIR/helpers/go/rtgo
[ -f "$SRC/main.go" ] || fail "no Go program in $SRC"

. "$TESTS_DIR/lib-view-runtime.sh"

# Known differences today (see RT_KNOWN in tests/lib-view-runtime.sh).
RT_KNOWN="
# On the ptrace back end every open is rewritten to name the supervisor's
# /proc/PID/fd/N, written 4 KiB below the calling thread's stack pointer
# (view_push): below a goroutine's small stack, in another goroutine's or
# the thread's g0 stack. Opens then fail with ENOENT, open a directory, or
# Go aborts ('fatal: morestack on g0', rbp holding '/fd/12').
rtgo ptrace *
"

BIN=$TEST_TMP/go-bin
mkdir -p "$BIN" "$TEST_TMP/go-cache" "$TEST_TMP/go-path" || fail "cannot make Go's directories"
status=0
(cd "$SRC" && env GOCACHE="$TEST_TMP/go-cache" GOPATH="$TEST_TMP/go-path" GOPROXY=off GOFLAGS=-mod=mod \
	GO111MODULE=on GOTOOLCHAIN=local GOTELEMETRY=off CGO_ENABLED=0 \
	timeout 300 go build -o "$BIN/rtgo" .) </dev/null >go-build.log 2>&1 || status=$?
expect_status 0 "$status" "go build of $SRC ($(go version 2>&1))" go-build.log

# And as a PIE, which ld.so starts: the loader patches it at another
# address.
(cd "$SRC" && env GOCACHE="$TEST_TMP/go-cache" GOPATH="$TEST_TMP/go-path" GOPROXY=off GOFLAGS=-mod=mod \
	GO111MODULE=on GOTOOLCHAIN=local GOTELEMETRY=off CGO_ENABLED=0 \
	timeout 300 go build -buildmode=pie -o "$BIN/rtgo-pie" .) </dev/null >go-build-pie.log 2>&1 || status=$?
expect_status 0 "$status" "go build -buildmode=pie of $SRC" go-build-pie.log

sh_arg=()
[ -x /bin/sh ] && sh_arg=(sh)
rt_compare rtgo "$BIN/rtgo" "${sh_arg[@]}"

# Every stat, open or readlink of package syscall and os comes from one
# call site, Syscall6, which facet's loader patches in fast mode before
# the program runs (src/core/view/go_sites.c): of 300 lstats made through
# a mount, only the few before the runtime starts reach the supervisor,
# whose notifications strace counts. In the other modes all of them do.
# The same for the PIE, which facet's loader maps for ld.so.
if [ "$FACET_BACKEND" = notify ] && command -v strace >/dev/null; then
	mkdir -p "$TEST_TMP/go-mnt" && echo x >"$TEST_TMP/go-mnt/f" || fail "cannot make the fixture"
	for mode in --fast --confine --no-fast "--fast pie"; do
		want=all prog=rtgo
		[ "${mode% pie}" = --fast ] && want=few
		[ "${mode#* }" = pie ] && prog=rtgo-pie
		check "$mode: Go's lstats through Syscall6 reach facet: $want" "stats: 300 of 300
$want" sh -c "strace -o '$TEST_TMP/go.strace' -e trace=ioctl '$FACET' --backend=notify ${mode% pie} \
			-b '$TEST_TMP/go-mnt:/mnt/g' -- '$BIN/$prog' stats 300 /mnt/g/f &&
			n=\$(grep -c 'NOTIF_RECV.*nr=__NR_newfstatat' '$TEST_TMP/go.strace');
			if [ \$n -lt 30 ]; then echo few; elif [ \$n -ge 300 ]; then echo all; else echo \$n; fi"
	done
fi
rt_done
