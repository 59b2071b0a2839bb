#!/usr/bin/env bash
# The command line: usage errors exit 2 with a one-line message on stderr
# that names the problem (an unknown option, a missing or empty argument),
# --help exits 0 and documents the options, options stop at the command, a
# missing command exits 127.
set -u
source "$(dirname "$0")/../lib.sh"

# No command at all, in both forms.
for form in "trace" ""; do
	# shellcheck disable=SC2086
	run out err "$FACET" $form
	expect_status 2 "$status" "facet $form (no command)" err
	expect_grep err '[Uu]sage' "facet $form (no command) prints the usage on stderr"
	expect_empty out "facet $form (no command): stdout"
done
run out err facet_trace -o /dev/null
expect_status 2 "$status" "facet trace -o FILE (no command)" err
run out err facet_trace --
expect_status 2 "$status" "facet trace -- (no command)" err

# Unknown options: exit 2 and a one-line message naming the option.
for opt in --bogus-option -Z; do
	run out err facet_trace "$opt" true
	expect_status 2 "$status" "facet trace $opt true" err
	expect_grep err "${opt#-}" "the message names the unknown option $opt"
	[ "$(wc -l <err)" -eq 1 ] || { echo "FAIL: the message about $opt is not one line:"; show err; exit 1; }
	expect_empty out "facet trace $opt: stdout"
done
run out err "$FACET" --bogus-option true
expect_status 2 "$status" "facet --bogus-option true" err
expect_grep err 'bogus-option' "the message names --bogus-option"

# Bad values.
run out err "$FACET" trace --backend=bogus-backend true
expect_status 2 "$status" "facet trace --backend=bogus-backend" err
expect_grep err 'bogus-backend' "the message names the bad back end"
run out err facet_trace -e trace=nosuchcall -o /dev/null true
expect_status 2 "$status" "facet trace -e trace=nosuchcall" err
expect_grep err 'nosuchcall' "the message names the unknown system call"

# An option without its argument: exit 2 and a message that says so (not
# "unknown option"), naming the option as it was written.
for args in "-o" "-e" "-s" "-y -o" "--backend" "--output"; do
	# shellcheck disable=SC2086
	set -- $args
	run out err "$FACET" trace "$@"
	expect_status 2 "$status" "facet trace $* (missing argument)" err
	expect_grep err "^facet: option '${*: -1}' needs an argument" "facet trace $*: the message"
	expect_no_grep err 'unknown option' "facet trace $*: the message"
	[ "$(wc -l <err)" -eq 1 ] || { echo "FAIL: the message about $* is not one line:"; show err; exit 1; }
done
run out err "$FACET" -e
expect_grep err "^facet: option '-e' needs an argument" "facet -e (top-level form)"

# Empty values name the problem.
run out err facet_trace --engine= true
expect_status 2 "$status" "facet trace --engine= true" err
expect_grep err "^facet: option '--engine' needs the path of a shared object" "--engine= (empty)"
run out err facet_trace --engine=:arg true
expect_grep err "^facet: option '--engine' needs the path of a shared object" "--engine=:arg (no path)"
run out err "$FACET" trace --backend= true
expect_status 2 "$status" "facet trace --backend= true" err
expect_grep err "^facet: option '--backend' needs a value: auto, notify or ptrace" "--backend= (empty)"
for args in "-e trace=" "-e ''" "--trace="; do
	eval "set -- $args"
	run out err facet_trace "$@" true
	expect_status 2 "$status" "facet trace $args true" err
	expect_grep err "needs a set of calls" "facet trace $args: the message"
done
run out err facet_trace -o '' true
expect_status 2 "$status" "facet trace -o '' true" err
expect_grep err "^facet: option '-o' needs a file name" "-o '' (empty)"

# strace's options with bad values, or that facet does not have.
for args in "-s x" "-s -1" "-s 99999999999"; do
	# shellcheck disable=SC2086
	run out err facet_trace $args true
	expect_status 2 "$status" "facet trace $args true" err
	expect_grep err "option '-s' needs a number of bytes" "facet trace $args: the message"
done
run out err facet_trace -yy true
expect_status 2 "$status" "facet trace -yy true" err
expect_grep err '-yy' "the message about -yy"

# --help: exit 0, usage on stdout.
for form in "--help" "trace --help"; do
	# shellcheck disable=SC2086
	run out err "$FACET" $form
	expect_status 0 "$status" "facet $form" out err
	expect_grep out 'trace' "facet $form mentions trace"
	for opt in -s -y -t -tt -ttt -T -f -q -qq; do
		expect_grep out "(^|[ ,])$opt([ ,]|$)" "facet $form documents $opt"
	done
done

# Options stop at the command: the command's own options are its own.
run out err facet_trace -o trace.out echo -c -o x --json
expect_status 0 "$status" "facet trace -o F echo -c -o x --json" out err
[ "$(cat out)" = "-c -o x --json" ] || { echo "FAIL: echo did not get its options"; show out; exit 1; }
run out err facet_trace -o trace.out -- sh -c 'exit 5'
expect_status 5 "$status" "facet trace -o F -- sh -c 'exit 5'" out err

# A command that does not exist: a clear message and 127, as in a shell.
for cmd in no-such-command-facet-test /nonexistent/no-such-command; do
	run out err facet_trace -o trace.out "$cmd" arg
	expect_status 127 "$status" "facet trace $cmd" err
	expect_grep err "$(basename "$cmd")" "the message names the missing command"
	expect_empty out "facet trace $cmd: stdout"
done
echo ok
