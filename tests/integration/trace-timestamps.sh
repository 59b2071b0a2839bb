#!/usr/bin/env bash
# -t, -tt, -ttt put the time of day (with microseconds, or as seconds since
# the epoch) before each line, as strace does; -T appends the time spent in
# each call that returned, " <0.000012>". The times are the run's.
set -u
source "$(dirname "$0")/../lib.sh"

TIME='[0-9]{2}:[0-9]{2}:[0-9]{2}'
CALL='[a-z_0-9]+\('
EVENT='(\+\+\+|---) '

# every_line FILE ERE WHAT: fail unless every line of FILE matches ERE.
every_line() {
	[ -s "$1" ] || fail "$3: the trace is empty"
	if grep -Evq -- "$2" "$1"; then
		echo "FAIL: $3: lines not matching /$2/:"
		grep -Ev -- "$2" "$1" | head -n 5 | sed 's/^/    | /'
		exit 1
	fi
}

start=$(date +%s)
run out err facet_trace -t -o t.raw -e trace=openat,close,exit_group cat /etc/passwd
expect_status 0 "$status" "facet trace -t" out err t.raw
run out err facet_trace -tt -o tt.raw -e trace=openat,close,exit_group cat /etc/passwd
expect_status 0 "$status" "facet trace -tt" out err tt.raw
run out err facet_trace -ttt -o ttt.raw -e trace=openat,close,exit_group cat /etc/passwd
expect_status 0 "$status" "facet trace -ttt" out err ttt.raw
run out err facet_top -T -o T.raw -e trace=openat,close,exit_group cat /etc/passwd
expect_status 0 "$status" "facet -T" out err T.raw
end=$(date +%s)

every_line t.raw "^[0-9]+ +$TIME ($CALL|$EVENT)" "-t: every line starts with the time of day"
every_line tt.raw "^[0-9]+ +$TIME\\.[0-9]{6} ($CALL|$EVENT)" "-tt: the time of day with microseconds"
every_line ttt.raw "^[0-9]+ +[0-9]{9,}\\.[0-9]{6} ($CALL|$EVENT)" "-ttt: seconds since the epoch"
# -ttt's seconds are now's.
awk '{ print int($2) }' ttt.raw | while read -r s; do
	[ "$s" -ge "$start" ] && [ "$s" -le "$end" ] || fail "-ttt: $s is not between $start and $end"
done
# -tt's time of day is today's: the hour agrees with date's (unless the
# hour changed during the test).
h1=$(date -d "@$start" +%H) h2=$(date -d "@$end" +%H)
awk '{ print substr($2, 1, 2) }' tt.raw | sort -u | while read -r h; do
	[ "$h" = "$h1" ] || [ "$h" = "$h2" ] || fail "-tt: hour $h, the test ran at $h1-$h2"
done

# -T: every call that returned ends with its duration; exit_group (which
# does not return) and the +++ lines do not.
every_line T.raw "(<[0-9]+\\.[0-9]{6}>|= \\?|\\+\\+\\+)\$" "-T: durations at the end of the lines"
expect_grep T.raw '^[0-9]+ +openat\(AT_FDCWD, "/etc/passwd", O_RDONLY\) += 3 <0\.[0-9]{6}>$' "-T: the open's duration"
expect_grep T.raw '^[0-9]+ +exit_group\(0\) += \?$' "-T: exit_group without a duration"
expect_no_grep t.raw '<[0-9]+\.[0-9]{6}>$' "without -T, no durations"
expect_no_grep T.raw "^[0-9]+ +$TIME" "without -t, no time of day"
echo ok
