#!/usr/bin/env bash
# --fakeroot-state FILE (issue 8): what a `facet -0` run records (owners,
# modes, device nodes, security.* and trusted.* extended attributes) is
# seen by the next run, a removal drops its record, a damaged or
# unreadable FILE stops facet before the command with one line and exit 2
# and is left as it was, a version 1 FILE is read, two runs at once keep
# both their changes, and a file that got the inode number of a recorded
# file deleted outside facet does not inherit the record. In --fast and
# --no-fast. The attributes' checks need python3 (os.setxattr and the
# others make one call each).
set -u
source "$(dirname "$0")/../lib.sh"
need_cmd stat ls cmp awk

# fr MODE ARGS...: facet -0 with the back end under test.
fr() {
	local mode=$1
	shift
	"$FACET" --backend="$FACET_BACKEND" "$mode" -0 "$@"
}

# records FILE: the number of records and attributes in a state file.
records() {
	grep -Evc '^(facet-fakeroot-state |# |end )' "$1"
}

# see MODE: the mode for a run that only looks at what was recorded: the
# same mode (the in-process runtime applies the record in fast mode).
see() {
	echo "$1"
}

# summary: st's number of records and its last line.
summary() {
	echo "$(records st) $(tail -n 1 st)"
}

# has_python: whether the attributes' checks can run.
has_python() {
	command -v python3 >/dev/null 2>&1
}

# show_xattrs FILE... (python3 -c "$show_xattrs" FILE...): each FILE and
# its names security.capability and trusted.*, with their values in
# hexadecimal (- for an empty one), as the tree sees them.
show_xattrs='
import os, sys
for f in sys.argv[1:]:
    names = sorted(n for n in os.listxattr(f) if n == "security.capability" or n.startswith("trusted."))
    print(f, *("%s=%s" % (n, os.getxattr(f, n).hex() or "-") for n in names))'
# A file capability (VFS_CAP_REVISION_2): cap_net_raw=p.
cap=0000000200200000000000000000000000000000

# devices MODE: the device nodes d and b as run 2 lists them.
devices() {
	fr "$(see "$1")" --fakeroot-state st -- ls -ln b d | awk '{ print $1, $3, $4, $5, $6 }'
}

# --- run 1 records, run 2 sees, run 3 removes ---------------------------------
for mode in --fast --no-fast; do
	mkdir "w$mode" && cd "w$mode" || fail "mkdir w$mode"
	check "$mode: run 1 chowns, chmods and makes device nodes" "" \
		fr "$mode" --fakeroot-state st -- sh -c '
			touch f s r; chown 1:2 f; chown 3:4 s; chmod 4755 s; chmod 444 r
			mknod d c 1 3; mknod b b 8 1'
	[ -f st ] || fail "$mode: run 1 did not write the state file"
	check "$mode: the state file's records" "5 end 5" summary
	check "$mode: the host's files are the real user's, d and b empty regular files" \
		"$(id -u) regular empty file
$(id -u) regular empty file" stat -c '%u %F' d s
	check "$mode: run 2 sees the owners and modes" "1:2 -rw-r--r--
3:4 -rwsr-xr-x
0:0 -r--r--r--" fr "$(see "$mode")" --fakeroot-state st -- stat -c '%u:%g %A' f s r
	check "$mode: run 2 sees the device nodes" "brw-r--r-- 0 0 8, 1
crw-r--r-- 0 0 1, 3" devices "$mode"
	# A hard link keeps the record when one name goes; the last name takes it.
	cp st before-rm
	ino=$(stat -c %i f)
	check "$mode: rm of one of two links" "" fr "$mode" --fakeroot-state st -- sh -c 'ln f f2 && rm f'
	check "$mode: ... keeps the record" "1:2" fr "$(see "$mode")" --fakeroot-state st -- stat -c %u:%g f2
	cmp -s st before-rm || fail "$mode: the state file changed though no record did"
	check "$mode: rm of the last link drops the record" "" \
		fr "$mode" --fakeroot-state st -- rm f2
	check "$mode: the record is gone from the file" "4 end 4" summary
	grep -Eq "^[0-9]+:[0-9]+ $ino " st && fail "$mode: the record of the removed file (inode $ino) is still in st"
	check "$mode: run 4 still sees the others" "3:4 -rwsr-xr-x" \
		fr "$(see "$mode")" --fakeroot-state st -- stat -c '%u:%g %A' s
	cd "$TEST_TMP" || fail "cd $TEST_TMP"
done

# --- run 1 sets attributes, run 2 sees, removes and changes, run 3 sees -------
# The xattr calls go through facet in both modes: every run uses MODE.
if has_python; then
	for mode in --fast --no-fast; do
		mkdir "x$mode" && cd "x$mode" || fail "mkdir x$mode"
		touch f g
		check "$mode: run 1 sets security.capability and trusted.* attributes" "" \
			fr "$mode" --fakeroot-state st -- python3 -c '
import os
os.setxattr("f", "security.capability", bytes.fromhex("'$cap'"))
os.setxattr("f", "trusted.t", b"v1")
os.setxattr("g", "trusted.empty", b"")'
		check "$mode: the state file's attributes" "3 end 3" summary
		check "$mode: the host's files have none" "f
g" python3 -c "$show_xattrs" f g
		check "$mode: run 2 sees them" "f security.capability=$cap trusted.t=7631
g trusted.empty=-" fr "$mode" --fakeroot-state st -- python3 -c "$show_xattrs" f g
		if command -v getcap >/dev/null 2>&1; then
			check "$mode: run 2's getcap" "f cap_net_raw=p" fr "$mode" --fakeroot-state st -- getcap f
		fi
		check "$mode: run 2 removes one attribute and changes another" "" \
			fr "$mode" --fakeroot-state st -- python3 -c '
import os
os.removexattr("f", "security.capability")
os.setxattr("f", "trusted.t", b"v2")'
		check "$mode: run 3 sees what run 2 left" "f trusted.t=7632
g trusted.empty=-" fr "$mode" --fakeroot-state st -- python3 -c "$show_xattrs" f g
		check "$mode: ... and so does the state file" "2 end 2" summary
		check "$mode: rm of the last link drops the file's attributes" "" \
			fr "$mode" --fakeroot-state st -- rm f
		check "$mode: ... from the state file" "1 end 1" summary
		check "$mode: run 5 still sees the others" "g trusted.empty=-" \
			fr "$mode" --fakeroot-state st -- python3 -c "$show_xattrs" g
		cd "$TEST_TMP" || fail "cd $TEST_TMP"
	done
else
	note "python3 is not installed: no check of extended attributes"
fi

# --- a damaged or unreadable FILE: exit 2, one line, FILE left as it was ------
mkdir bad && cd bad || fail "mkdir bad"
touch f
fr --no-fast --fakeroot-state good -- chown 1:2 f || fail "making a good state file"

# bad_state WHAT PATTERN: FILE st is as the case made it; facet must exit
# 2 with one line on stderr matching PATTERN, not run the command, and
# leave st as it was.
bad_state() {
	local what=$1 pattern=$2
	[ -e st.copy ] || cp -a st st.copy
	rm -f ran
	run out err fr --no-fast --fakeroot-state st -- touch ran
	expect_status 2 "$status" "$what" err
	expect_grep err "$pattern" "$what: the message"
	[ "$(wc -l <err)" -eq 1 ] || { echo "FAIL: $what: the message is not one line:"; show err; exit 1; }
	[ ! -e ran ] || fail "$what: the command ran"
	if [ -f st.copy ]; then
		[ -r st ] || chmod u+r st
		cmp -s st st.copy || fail "$what: st changed"
	fi
	rm -rf st st.copy
}

sed 's/ ug / uq /' good >st
bad_state "a corrupt record" "^facet: --fakeroot-state st, line 4: bad FIELDS .*remove it to start afresh$"
sed '4s/^[0-9]*:/x:/' good >st
bad_state "a corrupt device" "^facet: --fakeroot-state st, line 4: bad DEV .*remove it to start afresh$"
head -c -3 good >st
bad_state "a file cut inside its last line" "^facet: --fakeroot-state st, line 5: .*truncated.*remove it to start afresh$"
head -n -1 good >st
bad_state "a file cut after a line" "^facet: --fakeroot-state st, line 4: no 'end' line.*truncated.*remove it to start afresh$"
sed 's/^end 1$/end 2/' good >st
bad_state "a wrong count" "^facet: --fakeroot-state st, line 5: 'end 2' but 1 records"
sed '1s/ 2$/ 9/' good >st
bad_state "an unknown version" "^facet: --fakeroot-state st, line 1: version 9 of the format"
if has_python; then
	fr --no-fast --fakeroot-state goodx -- python3 -c 'import os; os.setxattr("f", "trusted.a", b"1")' ||
		fail "making a state file with an attribute"
	sed 's/^\(x .* trusted\.a \)31$/\13/' goodx >st
	bad_state "a corrupt attribute" "^facet: --fakeroot-state st, line 4: bad VALUE .*remove it to start afresh$"
	sed 's/ trusted\.a / user.a /' goodx >st
	bad_state "an attribute that is not recorded" "^facet: --fakeroot-state st, line 4: bad NAME .*remove it to start afresh$"
fi
echo 'some other file' >st
bad_state "not a state file" "^facet: --fakeroot-state st, line 1: not a fake root state file"
: >st
bad_state "an empty file" "^facet: --fakeroot-state st, line 1: the file is empty"
mkdir st
bad_state "a directory" "^facet: --fakeroot-state st: Is a directory$"
if [ "$(id -u)" != 0 ]; then
	cp good st && cp good st.copy && chmod 000 st
	bad_state "an unreadable file" "^facet: --fakeroot-state st: Permission denied$"
	mkdir ro && chmod 555 ro
	bad_state_dir() {
		rm -f ran
		run out err fr --no-fast --fakeroot-state ro/st -- touch ran
		expect_status 2 "$status" "a directory that will not take the save" err
		expect_grep err "^facet: --fakeroot-state ro/st: the record cannot be saved in .*/ro at the end: Permission denied$" \
			"a directory that will not take the save: the message"
		[ ! -e ran ] || fail "a directory that will not take the save: the command ran"
	}
	bad_state_dir
else
	note "as root: no check of an unreadable state file or directory"
fi
# A file of version 1, which has no attributes, is read, and saved as version 2.
sed '1s/ 2$/ 1/; /^# x /d' good >v1
check "a state file of version 1 is read" "1:2" fr --no-fast --fakeroot-state v1 -- stat -c %u:%g f
touch h
# v1_saved: a run records on v1; v1's first line, and what the next run sees.
v1_saved() {
	fr --no-fast --fakeroot-state v1 -- chown 3:3 h && head -n 1 v1 &&
		fr --no-fast --fakeroot-state v1 -- stat -c %u:%g f h
}
check "... and saved as version 2, its record kept" "facet-fakeroot-state 2
1:2
3:3" v1_saved
check "--fakeroot-state without -0 or -i" "facet: --fakeroot-state st: needs -0 or -i UID:GID
[exit 2]" "$FACET" --fakeroot-state st -- true

# A save that fails after the command ran: one line that says how it ended.
cp good st
run out err fr --no-fast --fakeroot-state st -- sh -c 'chown 5:5 f; rm st; mkdir st; exit 3'
expect_status 2 "$status" "a save that fails" err
expect_grep err "^facet: the command ran and exited with status 3, but its fake root record was not saved to --fakeroot-state st: Is a directory$" \
	"a save that fails: the message"
rmdir st
cp good st
run out err fr --no-fast --fakeroot-state st -- sh -c 'chown 5:5 f; echo damaged >st'
expect_status 2 "$status" "a state file damaged during the run" err
expect_grep err "^facet: the command ran and exited with status 0, but --fakeroot-state st changed during the run and is now damaged: line 1: " \
	"a state file damaged during the run: the message"
[ "$(cat st)" = damaged ] || fail "a state file damaged during the run was overwritten"
cd "$TEST_TMP" || fail "cd $TEST_TMP"

# --- two runs at once on one FILE: neither loses the other's change ------------
mkdir both && cd both || fail "mkdir both"
touch c1 c2 c3
for i in 1 2 3 4 5 6; do
	# Odd rounds start without a FILE (they race to make it), even ones with one.
	[ $((i % 2)) = 1 ] && rm -f st
	pids=()
	for n in 1 2 3; do
		fr --no-fast --fakeroot-state st -- chown "$n$i:$n" "c$n" >"out$n" 2>&1 &
		pids+=($!)
	done
	for n in 1 2 3; do
		wait "${pids[$((n - 1))]}" || { show "out$n"; fail "round $i: run $n failed"; }
	done
	check "round $i: every run's record" "1$i:1
2$i:2
3$i:3" fr --no-fast --fakeroot-state st -- stat -c %u:%g c1 c2 c3
	[ "$(records st)" = 3 ] || { show st; fail "round $i: not 3 records"; }
done
ls | grep -q '\.tmp\.' && fail "a temporary file was left: $(ls)"
cd "$TEST_TMP" || fail "cd $TEST_TMP"

# Two runs set an attribute each on their own file, a third chowns: all kept.
if has_python; then
	mkdir xboth && cd xboth || fail "mkdir xboth"
	touch y1 y2 y3
	for i in 1 2 3 4; do
		[ $((i % 2)) = 1 ] && rm -f st
		pids=()
		for n in 1 2; do
			fr --no-fast --fakeroot-state st -- \
				python3 -c "import os; os.setxattr('y$n', 'trusted.run$n', b'$i')" >"out$n" 2>&1 &
			pids+=($!)
		done
		fr --no-fast --fakeroot-state st -- chown "3$i:3" y3 >out3 2>&1 &
		pids+=($!)
		for n in 1 2 3; do
			wait "${pids[$((n - 1))]}" || { show "out$n"; fail "attributes, round $i: run $n failed"; }
		done
		check "attributes, round $i: both runs' attributes" "y1 trusted.run1=3$i
y2 trusted.run2=3$i" fr --no-fast --fakeroot-state st -- python3 -c "$show_xattrs" y1 y2
		check "attributes, round $i: the third run's record" "3$i:3" \
			fr --no-fast --fakeroot-state st -- stat -c %u:%g y3
		[ "$(records st)" = 3 ] || { show st; fail "attributes, round $i: not 3 lines"; }
	done
	ls | grep -q '\.tmp\.' && fail "a temporary file was left: $(ls)"
	cd "$TEST_TMP" || fail "cd $TEST_TMP"
fi

# --- a stale record: the inode number of a file deleted outside facet ---------
mkdir stale && cd stale || fail "mkdir stale"
touch old
fr --no-fast --fakeroot-state st -- chown 7:7 old || fail "recording old"
ino=$(stat -c %i old)
if [ "$(stat -c %W old)" = 0 ] || [ "$(stat -c %W old)" = - ]; then
	note "no birth time on this file system: no check of a reused inode number"
else
	rm old
	reused=
	# Files that did not get the number are kept, so each try gets another.
	for n in $(seq 200); do
		touch "new$n"
		[ "$(stat -c %i "new$n")" = "$ino" ] && { reused=new$n; break; }
	done
	if [ -z "$reused" ]; then
		note "the file system did not reuse inode $ino within 200 files: no check of a reused inode number"
	else
		for mode in --fast --no-fast; do
			check "$mode: $reused, on the inode number of a recorded file deleted outside facet" "0:0" \
				fr "$(see "$mode")" --fakeroot-state st -- stat -c %u:%g "$reused"
		done
	fi
fi
cd "$TEST_TMP" || fail "cd $TEST_TMP"

# --- many records: the table starts small and grows (core/fakeroot/table.c) ---
# owners PATTERN...: how many of the files show each owner, in the run.
owners='stat -c %u:%g "$@" | sort | uniq -c | awk "{ print \$1, \$2 }"'
for mode in --fast --no-fast; do
	rm -rf many && mkdir many && cd many || fail "mkdir many"
	seq 3000 | sed 's/^/f/' | xargs touch
	check "$mode: 3000 files chowned in one run, as that run sees them" "3000 5:6" \
		fr "$mode" --fakeroot-state st -- sh -c "chown 5:6 f* && set -- f* && $owners"
	check "$mode: ... as the next run sees them" "3000 5:6" \
		fr "$(see "$mode")" --fakeroot-state st -- sh -c "set -- f* && $owners"
	# Removals leave tombstones, which a rebuild drops.
	check "$mode: 1111 of them removed and the rest chowned again" "1889 7:8" \
		fr "$mode" --fakeroot-state st -- sh -c "rm f1* && chown 7:8 f* && set -- f* && $owners"
	check "$mode: ... as the next run sees them" "1889 7:8" \
		fr "$(see "$mode")" --fakeroot-state st -- sh -c "set -- f* && $owners"
	check "$mode: the state file's records" "1889 end 1889" summary
	cd "$TEST_TMP" || fail "cd $TEST_TMP"
done
checks_done
