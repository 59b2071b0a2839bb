#!/usr/bin/env bash
# An engine's decisions on openat reach the program on both back ends,
# whether the core performs the call itself (a regular file, on the notify
# back end), defers it to the kernel (a FIFO, an O_PATH open, a file to
# create: the kernel must then run it with the arguments the engine
# rewrote) or the engine answers it: REWRITE of the dirfd, the path or the
# flags, COMPLETE, FAIL, INJECT_FD (refused on the ptrace back end, where
# the call then runs), and a result changed by an exit callback. Every exit
# callback sees the result the program got: the deciding engine's, a
# second engine's attached after it, and the tracer's.
#
# The engine is tests/engines/decide.c (engine-decide.so), the program
# tests/helpers/open.c; each case runs with the exits wanted (and the
# observers), with the engine asking for the entries only, and in a view
# (which performs, rewrites and defers opens itself) with the exits wanted.
set -u
source "$(dirname "$0")/../lib.sh"

ENGINE=$HELPERS/engine-decide.so
[ -f "$ENGINE" ] || fail "$ENGINE is missing (build it first)"
OPEN=$(helper open)

mkdir a b c || fail "cannot make the directories"
echo decoy-a >a/fifo && echo a-file >a/file
mkfifo b/fifo && echo b-file >b/file
echo decoy >c/xxfifo && echo decoy >c/xxfile && mkfifo c/fifo && echo c-file >c/file
ino() { stat -c %i "$1"; }

# run_case NAME DIR RULES WANT EMULATED [HELPER-ARGS...]
#   Runs helper-open in DIR under facet with engine-decide.so:RULES, and
#   checks that its line matches the ERE WANT. EMULATED: "notify" if the
#   core performs the call itself on the notify back end (the exit
#   callbacks then say "emulated"), "no" if it never does.
run_case() {
	local name=$1 dir=$2 rules=$3 want=$4 emulated=$5
	shift 5
	local what="$name [$FACET_BACKEND, $mode]" watched=${rules#*@} view=()
	watched=${watched%%@*}
	rm -f out err trace trace.joined
	if [ "$mode" = view ]; then
		view=(-b "$TEST_TMP:/v" -w "/v/$dir")
		emulated=any
	fi
	if [ "$mode" != entries ]; then
		run out err sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$FACET" --backend="$FACET_BACKEND" \
			"${view[@]}" --engine="$ENGINE:$rules" --engine="$ENGINE:tag=obs,watch@*" \
			--trace=openat -o "$TEST_TMP/trace" "$OPEN" "$@"
	else
		run out err sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$FACET" --backend="$FACET_BACKEND" \
			--engine="$ENGINE:noexit,$rules" "$OPEN" "$@"
	fi
	expect_status 0 "$status" "$what" out err
	expect_grep out "^open [^ ]+ = $want" "$what: what the program got"
	local got
	got=$(sed -n 's/^open [^ ]* = \(-\{0,1\}[0-9]*\).*/\1/p' out)
	[ "$mode" != entries ] || return 0

	# The deciding engine and the observer saw that result, with the same
	# decision, and the tracer printed it.
	local mine theirs
	mine=$(grep "^decide: exit $watched " err) || { echo "FAIL: $what: no exit callback"; show err; exit 1; }
	# The observer watches every open; the program's is the last (and
	# has its new name if the path was rewritten).
	theirs=$(grep "^obs: exit " err | tail -n 1)
	[ "${mine#decide: exit * }" = "${theirs#obs: exit * }" ] ||
		{ echo "FAIL: $what: the engines saw different exits"; show err; exit 1; }
	case $mine in
	*" = $got" | *" = $got emulated") ;;
	*) echo "FAIL: $what: the program got $got, the exit callback saw: $mine"; show out; show err; exit 1 ;;
	esac
	case $emulated:$FACET_BACKEND:$mine in
	notify:notify:*" emulated" | notify:ptrace:*[0-9] | no:*:*[0-9] | any:*) ;;
	*) echo "FAIL: $what: the exit callback says emulated where it should not, or not where it should: $mine"
	   show err; exit 1 ;;
	esac
	join_trace trace trace.joined
	local line
	line=$(grep -E '^[0-9]+ +openat\(' trace.joined | tail -n 1)
	if [ "$got" -ge 0 ]; then
		case $line in *" = $got") ;; *) echo "FAIL: $what: the trace says: $line (the program got $got)"; show trace; exit 1 ;; esac
	else
		case $line in *" = -1 E"*) ;; *) echo "FAIL: $what: the trace says: $line (the program got $got)"; show trace; exit 1 ;; esac
		local ename
		ename=$(sed -n 's/^open [^ ]* = -[0-9]* \(E[A-Z]*\)$/\1/p' out)
		case $line in *" = -1 $ename "*) ;; *) echo "FAIL: $what: the trace says: $line (the program got $ename)"; show trace; exit 1 ;; esac
	fi
}

# The injected fd holds "injected"; on the ptrace back end the engine is
# refused (EOPNOTSUPP) and the kernel opens the file.
if [ "$FACET_BACKEND" = ptrace ]; then
	inject_fifo="[0-9]+ kind fifo ino $(ino b/fifo) "
	inject_opath="[0-9]+ kind reg ino $(ino b/file) content -$"
	inject_said='^decide: entry (fifo|file) inject = -95$'
else
	inject_fifo="[0-9]+ kind reg ino [0-9]+ content injected$"
	inject_opath=$inject_fifo
	inject_said='^decide: entry (fifo|file) inject = 0$'
fi

for mode in exits entries view; do
	# REWRITE of the dirfd, to fd 9 (b): a regular file, which the notify
	# back end opens itself; a FIFO and an O_PATH open, which it defers.
	run_case rewrite-dirfd-file a dirfd@file@9 "[0-9]+ kind reg ino $(ino b/file) content b-file$" notify -D ../b file
	run_case rewrite-dirfd-fifo a dirfd@fifo@9 "[0-9]+ kind fifo ino $(ino b/fifo) " no -n -D ../b fifo
	run_case rewrite-dirfd-opath a dirfd@file@9 "[0-9]+ kind reg ino $(ino b/file) content -$" no -p -D ../b file
	# A FIFO whose open blocks until its writer comes.
	(sleep 0.5 && echo from-fifo >b/fifo) &
	writer=$!
	run_case rewrite-dirfd-fifo-blocking a dirfd@fifo@9 "[0-9]+ kind fifo ino $(ino b/fifo) content from-fifo$" no \
		-D ../b fifo
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null

	# REWRITE of the path: two bytes further on, "xxfile" is "file".
	run_case rewrite-path-file c skip@xxfile@2 "[0-9]+ kind reg ino $(ino c/file) content c-file$" notify xxfile
	run_case rewrite-path-fifo c skip@xxfifo@2 "[0-9]+ kind fifo ino $(ino c/fifo) " no -n xxfifo
	run_case rewrite-path-opath c skip@xxfile@2 "[0-9]+ kind reg ino $(ino c/file) content -$" no -p xxfile

	# REWRITE of the flags, adding O_CREAT: the kernel creates the file
	# (mode 0640, umask 022).
	rm -f c/new
	run_case rewrite-flags-creat c flags@new@0x40 "[0-9]+ kind reg ino [0-9]+ content -$" no -w new
	[ "$(stat -c %a c/new 2>/dev/null)" = 640 ] ||
		fail "rewrite-flags-creat [$FACET_BACKEND, $mode]: c/new is not a new file of mode 640: $(ls -l c/new 2>&1)"

	# COMPLETE and FAIL: the call does not run, whatever the file is.
	run_case complete-fifo b complete@fifo@42 "42 kind - " no -n fifo
	run_case complete-opath b complete@file@42 "42 kind - " no -p file
	run_case fail-fifo b fail@fifo@13 "-13 EACCES$" no -n fifo
	run_case fail-opath b fail@file@13 "-13 EACCES$" no -p file

	# INJECT_FD on a FIFO and an O_PATH open.
	run_case inject-fifo b inject@fifo "$inject_fifo" no -n fifo
	expect_grep err "$inject_said" "inject-fifo [$FACET_BACKEND, $mode]: what facet_syscall_inject_fd returned"
	run_case inject-opath b inject@file "$inject_opath" no -p file
	expect_grep err "$inject_said" "inject-opath [$FACET_BACKEND, $mode]: what facet_syscall_inject_fd returned"

	# An exit callback's result, for a call performed, deferred, run.
	if [ "$mode" != entries ]; then
		run_case retval-file b retval@file@-13 "-13 EACCES$" notify file
		run_case retval-fifo b retval@fifo@-13 "-13 EACCES$" no -n fifo
		run_case retval-opath b retval@file@-13 "-13 EACCES$" no -p file
		run_case retval-rewritten-fifo a dirfd@fifo@9,retval@fifo@-13 "-13 EACCES$" no -n -D ../b fifo
	fi
done
echo ok
