#!/usr/bin/env bash
# A delivered signal is reported as strace reports it, with its siginfo:
# "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=P, si_uid=U} ---",
# SIGCHLD with the child's pid and status, SIGSEGV with the faulting
# address; and a handler's return as "rt_sigreturn({mask=[...]}) = N", the
# mask read from the signal frame and N the value the interrupted code gets
# back. The lines are compared with strace's, pids aside.
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd strace python3

SH=$(command -v sh) PY=$(command -v python3)
uid=$(id -u)

# The signal and rt_sigreturn lines, pids replaced by P, a child's CPU
# times (SIGCHLD's si_utime and si_stime, ticks that differ from run to
# run) by T; their format is checked below. rt_sigreturn
# gives back what the signal interrupted; for a signal that comes from
# outside (SIGCHLD) that depends on timing (wait4 may have returned the
# child's pid already, or be restarted), so with ASYNC set its result is
# not compared.
lines_of() {
	awk -v async="${ASYNC:-}" '
	     { sub(/^[0-9]+ +/, ""); sub(/si_pid=[0-9]+/, "si_pid=P"); sub(/\) += /, ") = ")
	       sub(/si_utime=[0-9]+( \/\* [0-9.]+ s \*\/)?/, "si_utime=T"); sub(/si_stime=[0-9]+( \/\* [0-9.]+ s \*\/)?/, "si_stime=T")
	       if ($0 ~ /^rt_sigreturn/ && async != "") $NF = "ANY"
	       if ($0 ~ /^(--- |rt_sigreturn|\+\+\+ killed)/) print }' "$1"
}

# same NAME STATUS CMD...: runs CMD under strace and facet, compares.
same() {
	local name=$1 want=$2
	shift 2
	run out err strace -f -o "$name.strace" -e trace=rt_sigreturn,kill "$@"
	expect_status "$want" "$status" "strace $name" err
	run out err facet_trace -o "$name.facet" -e trace=rt_sigreturn,kill "$@"
	expect_status "$want" "$status" "facet trace $name" err "$name.facet"
	lines_of "$name.strace" >"$name.want"
	lines_of "$name.facet" >"$name.got"
	[ -s "$name.got" ] || { echo "FAIL: $name: no signal line"; show "$name.facet"; exit 1; }
	if ! diff -u "$name.want" "$name.got" >"$name.diff"; then
		echo "FAIL: $name: the signal lines differ from strace's"
		sed 's/^/    /' "$name.diff" | head -n 20
		exit 1
	fi
}

same kill-self 138 "$SH" -c 'kill -USR1 $$'
expect_grep kill-self.got "^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, si_pid=P, si_uid=$uid\} ---$" \
	"SIGUSR1 from kill"
# si_pid is the sender's: the shell itself.
pid=$(awk '/--- SIGUSR1/ { print $1; exit }' kill-self.facet)
expect_grep kill-self.facet "^$pid +--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, si_pid=$pid, " "si_pid of a signal sent to oneself"

same handler 0 "$PY" -c 'import os, signal
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
os.kill(os.getpid(), signal.SIGUSR1)'
expect_grep handler.got '^rt_sigreturn\(\{mask=\[USR2\]\}\) = 0$' "rt_sigreturn with the mask it restores"

ASYNC=1 same child 0 "$SH" -c "$SH -c 'exit 3'; true"
child=$(awk '/\+\+\+ exited with 3 \+\+\+/ { print $1 }' child.facet)
[ -n "$child" ] || fail "the child's exit is missing: $(cat child.facet)"
expect_grep child.facet "--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=$child, si_uid=$uid, si_status=3, si_utime=[0-9]+( /\* [0-9.]+ s \*/)?, si_stime=[0-9]+( /\* [0-9.]+ s \*/)?\} ---$" \
	"SIGCHLD names the child and its status"

if "$PY" -c 'import ctypes' 2>/dev/null; then
	ulimit -c 0
	same segv 139 "$PY" -c 'import ctypes; ctypes.string_at(16)'
	expect_grep segv.got '^--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10\} ---$' \
		"SIGSEGV with its address"
else
	note "python3 has no ctypes: SIGSEGV not checked"
fi
echo ok
