#!/usr/bin/env bash
# Fake root's chowns and removals that the runtime records itself
# (src/rt/owners.h: the ring, which the supervisor empties into its table
# later): one
# process gives files away while another, forked before it, stats each as
# soon as the first says so through a pipe, with no call between them that
# the supervisor sees, so that the answer comes from the ring. More chowns
# than the ring holds (a full ring sends the chown to the supervisor),
# chowns back to root, of the group alone, by name and by fd. The same
# answers in fast mode and with --no-fast (the supervisor's route), after
# the tree is gone too, and --fakeroot-state saves every chown, the last
# ones too (still in the ring when the tree ended).
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
need_cmd python3

N=300
cat >"$TEST_TMP/ring.py" <<'EOF'
import os, sys
n, watch = int(sys.argv[1]), sys.argv[2] == "watch"
os.mkdir("r")
for i in range(n):
    open(f"r/f{i}", "w").close()

def want(i):
    if i % 10 == 3:
        return 0, 0                  # given away first, then back to root
    if i % 10 == 7:
        return -1, 2000 + i          # the group alone
    return 1000 + i, 2000 + i % 5

if watch:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        for line in os.fdopen(r):
            i = int(line)
            st = os.stat(f"r/f{i}")
            print(f"f{i} {st.st_uid}:{st.st_gid}")
        sys.stdout.flush()
        os._exit(0)
    os.close(r)
for i in range(n):
    u, g = want(i)
    if i % 10 == 3:
        os.chown(f"r/f{i}", 5, 6)
    if i % 2:
        fd = os.open(f"r/f{i}", os.O_RDONLY)
        os.fchown(fd, u, g)
        os.close(fd)
    else:
        os.chown(f"r/f{i}", u, g)
    if watch:
        os.write(w, f"{i}\n".encode())
if watch:
    os.close(w)
    os.waitpid(pid, 0)
EOF

for ((i = 0; i < N; i++)); do
	case $((i % 10)) in
	3) echo "f$i 0:0" ;;
	7) echo "f$i 0:$((2000 + i))" ;;
	*) echo "f$i $((1000 + i)):$((2000 + i % 5))" ;;
	esac
done >"$TEST_TMP/expected"
stat_all() { for ((i = 0; i < N; i++)); do echo "r/f$i"; done | xargs stat -c '%n %u:%g' | sed 's|^r/||'; }

for mode in --fast --no-fast; do
	d=$TEST_TMP/w$mode
	mkdir "$d"
	run "$TEST_TMP/out$mode" "$TEST_TMP/err$mode" "$FACET" --backend="$FACET_BACKEND" "$mode" -0 -w "$d" -- \
		sh -c 'python3 "$1" "$2" watch && echo "== after" && for i in $(seq 0 $(($2 - 1))); do echo r/f$i; done |
			xargs stat -c "%n %u:%g" | sed "s|^r/||"' sh "$TEST_TMP/ring.py" "$N"
	if [ "$status" != 0 ] || [ -s "$TEST_TMP/err$mode" ]; then
		echo "FAIL: $mode: the script exited $status"
		show "$TEST_TMP/err$mode"
		_checks_failed=$((_checks_failed + 1))
		continue
	fi
	{ cat "$TEST_TMP/expected"; echo "== after"; cat "$TEST_TMP/expected"; } >"$TEST_TMP/want"
	if ! diff -u "$TEST_TMP/want" "$TEST_TMP/out$mode" >"$TEST_TMP/diff"; then
		echo "FAIL: $mode: a process saw other owners than the chowns made (while they were made, or after)"
		show "$TEST_TMP/diff" 60
		_checks_failed=$((_checks_failed + 1))
	fi
done

# --fakeroot-state: the tree ends with chowns still in the ring.
d=$TEST_TMP/saved
mkdir "$d"
run - "$TEST_TMP/err-save" "$FACET" --backend="$FACET_BACKEND" -0 --fakeroot-state "$TEST_TMP/state" -w "$d" -- \
	python3 "$TEST_TMP/ring.py" "$N" alone
[ "$status" = 0 ] && [ ! -s "$TEST_TMP/err-save" ] ||
	{ echo "FAIL: saving: exited $status"; show "$TEST_TMP/err-save"; _checks_failed=$((_checks_failed + 1)); }
check "a later session reads every chown back from --fakeroot-state" "$(cat "$TEST_TMP/expected")" \
	facet_top -0 --fakeroot-state "$TEST_TMP/state" -w "$d" -- bash -c "$(declare -f stat_all); N=$N; stat_all"
# Processes and threads at once: four processes of four threads each
# give 1,500 files away, then each process stats its own. The table grows
# meanwhile (the supervisor builds it again, larger, which takes
# milliseconds: a reader waits for it rather than find no record).
cat >"$TEST_TMP/many.py" <<'EOF'
import os, sys, threading
p, n = int(sys.argv[1]), 1500
names = [f"m/p{p}_{i}" for i in range(n)]
for x in names:
    open(x, "w").close()
def work(t):
    for i in range(t, n, 4):
        os.chown(names[i], 3000 + p, 4000 + i % 9)
ts = [threading.Thread(target=work, args=(t,)) for t in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
bad = [i for i in range(n) if (os.stat(names[i]).st_uid, os.stat(names[i]).st_gid) != (3000 + p, 4000 + i % 9)]
print(p, "wrong", len(bad), bad[:5])
EOF
d=$TEST_TMP/many
mkdir "$d" "$d/m"
check "processes and threads see their own chowns, while the table grows" "1 wrong 0 []
2 wrong 0 []
3 wrong 0 []
4 wrong 0 []" facet_top -0 -w "$d" -- sh -c 'for p in 1 2 3 4; do python3 "$1" $p >out$p & done; wait; cat out1 out2 out3 out4' \
	sh "$TEST_TMP/many.py"

# Removals the runtime makes: a recorded file's last link takes its
# record (none is saved), one of two links leaves it (the other name
# keeps the owner), a recorded directory's rmdir takes its record; a file
# made after them is root's. The state file holds the one record left.
cat >"$TEST_TMP/rm.py" <<'EOF'
import os
os.mkdir("rm")
for i in range(150):
    open(f"rm/f{i}", "w").close()
    os.chown(f"rm/f{i}", 7, 8)
    os.mkdir(f"rm/d{i}")
    os.chown(f"rm/d{i}", 9, 10)
os.link("rm/f0", "rm/kept")
for i in range(150):
    os.unlink(f"rm/f{i}")
    os.rmdir(f"rm/d{i}")
for i in range(150):
    open(f"rm/n{i}", "w").close()
st = os.stat("rm/kept")
print("kept", st.st_uid, st.st_gid)
print("others", sorted({(os.stat(f"rm/n{i}").st_uid, os.stat(f"rm/n{i}").st_gid) for i in range(150)}))
EOF
d=$TEST_TMP/removed
mkdir "$d"
check "removals drop their records, and another link keeps its own" "kept 7 8
others [(0, 0)]" facet_top -0 --fakeroot-state "$TEST_TMP/state-rm" -w "$d" -- python3 "$TEST_TMP/rm.py"
check "the record left is the linked file's" "1 ug 7 8" \
	sh -c 'grep -c "^[0-9]" "$1" | tr "\n" " "; grep "^[0-9]" "$1" | cut -d" " -f4-6' sh "$TEST_TMP/state-rm"
checks_done
