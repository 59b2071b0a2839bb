#!/usr/bin/env bash
# Fake root's identities (issue 8): under facet -0 the tree is root — uid
# and gid 0, groups [0], root's capabilities — and under -i UID:GID that
# user, with none; the identity calls (set*id, setgroups, capset, the
# capability prctls) follow the kernel's rules for that identity, per
# task, inherited across fork and exec; /proc/PID/status read in the tree
# shows the same, for the tree's tasks only. In --fast and --no-fast modes.
#
# helper-fakeroot-ids checks the calls' semantics one by one (dynamic and
# static); it passes natively as root too, which is how its expectations
# were checked against the kernel.
set -u
. "$(dirname "$0")/../lib.sh"

need_facet
need_cmd id python3 grep

IDS=$(helper fakeroot-ids)
STATIC=$HELPERS/helper-fakeroot-ids-static
[ -x "$STATIC" ] || note "helper-fakeroot-ids-static was not built (no static linking here)"

last=$(cat /proc/sys/kernel/cap_last_cap) || skip "no /proc/sys/kernel/cap_last_cap"
FULL=$(printf '%016x' $(((1 << (last + 1)) - 1)))
NONE=0000000000000000
ME=$(id -u)
TAB=$(printf '\t')

for mode in --fast --no-fast; do
	check "$mode: id as root" "uid=0(root) gid=0(root) groups=0(root)" facet_top -0 $mode id
	check "$mode: id -u under -i" "1000" facet_top -i 1000:1000 $mode id -u
	check "$mode: python's view" "(0, 0, 0) [0]" \
		facet_top -0 $mode python3 -c 'import os; print(os.getresuid(), os.getgroups())'

	check "$mode: /proc/self/status as root" \
		"Uid:${TAB}0${TAB}0${TAB}0${TAB}0
Gid:${TAB}0${TAB}0${TAB}0${TAB}0
Groups:${TAB}0 
CapInh:${TAB}$NONE
CapPrm:${TAB}$FULL
CapEff:${TAB}$FULL
CapBnd:${TAB}$FULL
CapAmb:${TAB}$NONE" \
		facet_top -0 $mode grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+):' /proc/self/status
	check "$mode: /proc/self/status under -i" \
		"Uid:${TAB}1000${TAB}1000${TAB}1000${TAB}1000
Gid:${TAB}1000${TAB}1000${TAB}1000${TAB}1000
CapEff:${TAB}$NONE
CapBnd:${TAB}$FULL" \
		facet_top -i 1000:1000 $mode grep -E '^(Uid|Gid|CapEff|CapBnd):' /proc/self/status
	# Another task of the tree (the shell, read by grep), by every name.
	check "$mode: the shell's status, its task's, thread-self" \
		"Uid:${TAB}0${TAB}0${TAB}0${TAB}0
Uid:${TAB}0${TAB}0${TAB}0${TAB}0
Uid:${TAB}0${TAB}0${TAB}0${TAB}0" \
		facet_top -0 $mode sh -c 'grep -h ^Uid: /proc/$$/status /proc/$$/task/$$/status
while read -r k v; do [ "$k" = Uid: ] && printf "Uid:\t%s\n" "$v"; done </proc/thread-self/status; exit 0'
	# The supervisor is not in the tree: its file is the kernel's.
	check "$mode: a process outside the tree" "Uid:${TAB}$ME${TAB}$ME${TAB}$ME${TAB}$ME" \
		facet_top -0 $mode sh -c 'grep ^Uid: /proc/$PPID/status'

	# Inherited across fork and exec, changed ids included.
	check "$mode: fork and exec" "uid=0(root) gid=0(root) groups=0(root)" facet_top -0 $mode sh -c 'sh -c id'
	# id -G: the effective gid, then the supplementary groups
	check "$mode: changed ids across exec" "7
5
5 1 2" \
		facet_top -0 $mode python3 -c 'import os
os.setgroups([2, 1]); os.setresgid(5, 5, 5); os.setresuid(7, 7, 7)
os.execvp("sh", ["sh", "-c", "id -u; id -g; id -G"])'
	check "$mode: EPERM after dropping root" "PermissionError" \
		facet_top -0 $mode python3 -c 'import os
os.setuid(7)
try: os.setuid(0)
except PermissionError as e: print(type(e).__name__)'

	# What a task creates is its fsuid's and fsgid's; a file it opens
	# that was there keeps its owner. (Only where the supervisor answers
	# stat: the runtime does not apply fake root's record yet.)
	if [ "$mode" = --no-fast ]; then
		rm -rf "$TEST_TMP/made" && mkdir "$TEST_TMP/made" || fail "cannot make $TEST_TMP/made"
		check "$mode: files made after setresuid" "d:7:5
f:7:5
old:0:0" \
			facet_top -0 $mode -w "$TEST_TMP/made" python3 -c 'import os
open("old", "w").close()
os.setresgid(5, 5, 5); os.setresuid(7, 7, 7)
os.mkdir("d"); open("f", "w").close(); open("old", "w").close()
os.execvp("stat", ["stat", "-c", "%n:%u:%g", "d", "f", "old"])'
	fi

	# The calls one by one.
	check "$mode: helper as root" "28 checks, 0 failed" facet_top -0 $mode "$IDS" root
	check "$mode: helper as a user" "11 checks, 0 failed" facet_top -i 1000:1000 $mode "$IDS" user
	if [ -x "$STATIC" ]; then
		check "$mode: static helper as root" "28 checks, 0 failed" facet_top -0 $mode "$STATIC" root
		check "$mode: static helper as a user" "11 checks, 0 failed" facet_top -i 1000:1000 $mode "$STATIC" user
	fi
done
checks_done
