#!/usr/bin/env bash
# The in-process runtime's patched call sites (src/rt/rt.h): a process
# whose path calls come from `mov $nr,%eax; syscall` sites (and opens
# also from ld.so's `mov $-100,%edi; syscall`) gets the same
# answers in every mode, the second call of each site going through the
# runtime in fast mode: names that are files, directories, missing, ".."
# (from the cwd and from directory fds),
# several names, absolute paths, and symlinks whose targets the view
# places elsewhere (absolute, into another mount). Only fast mode on the notify back end
# patches, a process with one thread or several.
set -u
source "$(dirname "$0")/../lib.sh"
need_facet
SITES=$(helper sites)
# yes where call sites get patched: fast mode on the notify back end.
patches() { [ "$1" = --fast ] && [ "$FACET_BACKEND" = notify ] && echo yes || echo no; }
# What helper-sites prints for NAME whose stat, lstat and open give S, L, O
# (each call twice: the first patches the site).
answers() { for _ in 1 2; do printf 'stat %s: %s\nlstat %s: %s\nopen %s: %s\n' "$1" "$2" "$1" "$3" "$1" "$4"; done; }
# What helper-sites prints after the names: the bad pointers' answers,
# and whether the sites were patched (yes or no).
ending() { printf 'bad pointers: EFAULT EFAULT\nbad pointers: EFAULT EFAULT\npatched: stat=%s open=%s' "$1" "$1"; }

A=$TEST_TMP/a
B=$TEST_TMP/b
mkdir -p "$A/d" "$B/sub" || fail "cannot make the fixture"
echo hello >"$A/f"
echo target >"$B/t"
ln -s /mnt/b/t "$A/abs"         # absolute, into the other mount
ln -s /mnt/b/sub "$A/absdir"
ln -s f "$A/rel"
ln -s ../../b/t "$A/d/up"       # relative, climbing out of the mount
NAMES=(f abs absdir rel d d/up missing .. d/../f /mnt/a/f /mnt/a/abs /mnt/a/d/up /mnt/b/t /mnt/b /mnt/nothere /mnt/a/d/../rel / /mnt /mnt/a /mnt/a/d/../f /mnt/a/./f /mnt/a/../b/t /mnt/a/d/../../b/t /mnt/./a/f)

# What the view shows, whoever answers.
expect="$TEST_TMP/expected"
for n in "${NAMES[@]}"; do
	case $n in
	f | rel | d/../f | /mnt/a/f | /mnt/a/d/../f | /mnt/a/./f | /mnt/./a/f) s="file 6" l="file 6" o="file hello" ;;
	/mnt/a/d/../rel) s="file 6" l="symlink 1" o="file hello" ;;
	abs | d/up | /mnt/a/abs | /mnt/a/d/up)
		s="file 7" l="symlink $(readlink "$A/${n#/mnt/a/}" | wc -c | awk '{print $1 - 1}')" o="file target" ;;
	/mnt/b/t | /mnt/a/../b/t | /mnt/a/d/../../b/t) s="file 7" l="file 7" o="file target" ;;
	/mnt/b | / | /mnt | /mnt/a) s="dir 0" l="dir 0" o="dir " ;;
	absdir) s="dir 0" l="symlink 10" o="dir " ;;
	d | ..) s="dir 0" l="dir 0" o="dir " ;;
	missing | /mnt/nothere) s=ENOENT l=ENOENT o=ENOENT ;;
	esac
	[ "$n" = rel ] && l="symlink 1"
	answers "$n" "$s" "$l" "$o"
done >"$expect"

for mode in --fast --confine --no-fast; do
	for thread in "" --thread; do
		want_patch=$(patches "$mode")
		check "$mode $thread: answers, and patched=$want_patch" \
			"$(cat "$expect")
$(ending "$want_patch")" \
			facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -w /mnt/a -- "$SITES" $thread "${NAMES[@]}"
	done
done
# A site patched while other threads run it: written int3 first
# (src/core/view/patch.c), so that a thread that meets it half written
# traps to facet, which finishes the site and runs the thread on; getpid
# through the site without pause must neither die of the int3 nor get a
# wrong answer, nor must children forked meanwhile, which may inherit a
# half-written site. A few runs, as the threads meet the site by chance.
for mode in --fast --confine --no-fast; do
	want_patch=$(patches "$mode")
	check "$mode: a site patched while threads run it" "$(for _ in 1 2 3 4 5; do printf 'storm f: file 6 file 6
storm getpid: ok
storm forks: ok
patched: storm=%s\n' "$want_patch"; done)" \
		facet_top "$mode" -b "$A:/mnt/a" -w /mnt/a -- sh -c "for i in 1 2 3 4 5; do '$SITES' --storm f || echo \"status \$?\"; done"
done

# The sites of a file patched in one process are patched in the next at
# its first call from any of them (src/core/view/sites.c): the open sites
# before they make a call, once an earlier process showed them.
for mode in --fast --confine --no-fast; do
	want_patch=$(patches "$mode")
	check "$mode: a file's known sites patched at its first call" "early: open=no
early: open=$want_patch" \
		facet_top "$mode" -b "$A:/mnt/a" -w /mnt/a -- sh -c "'$SITES' --early f; '$SITES' f >/dev/null; '$SITES' --early f"
done

# A program fixed at the address of the runtime's jump table (a non-PIE
# spanning some 75 MiB from 0x400000, such as node) runs, without the
# runtime: the same answers in every mode, no site patched.
OVER=$HELPERS/helper-sites-over-table
if [ -x "$OVER" ]; then
	for mode in --fast --confine --no-fast; do
		check "$mode: a program over the runtime's table" "$(cat "$expect")
$(ending no)" \
			facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -w /mnt/a -- "$OVER" "${NAMES[@]}"
	done
else
	note "helper-sites-over-table was not built (no linking at a fixed address here)"
fi

# glibc's syscall(2) serves every call, its number in a register and its
# sixth argument on the stack (libuv makes its statx there): in fast mode
# its site is patched too, the runtime answering the view's calls and
# passing the others on with all six arguments (an mmap whose offset, the
# sixth, must be 0).
raw=""
for n in f d/up missing /mnt/a/abs /mnt/b; do
	case $n in
	f) a="file 6 file 6 file hello" ;;
	d/up | /mnt/a/abs) a="file 7 file 7 file target" ;;
	missing) a="ENOENT ENOENT ENOENT" ;;
	/mnt/b) a="dir 0 dir 0 dir " ;;
	esac
	raw+="syscall $n: $a"$'\n'"syscall $n: $a"$'\n'
done
raw+="syscall passed: ok EINVAL"$'\n'"syscall passed: ok EINVAL"$'\n'
for mode in --fast --confine --no-fast; do
	check "$mode: calls from syscall(2)" "${raw}patched: syscall=$(patches "$mode")" \
		facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -w /mnt/a -- "$SITES" --syscall f d/up missing /mnt/a/abs /mnt/b
done

# An exec that fails on the way to the program fails in the runtime
# (src/rt/calls.c, execve_call): $PATH searches try each directory. One
# that finds a file goes on to the supervisor, which alone execs in a view.
mkdir -p "$A/shut" && chmod 000 "$A/shut" && ln -s xloop "$A/xloop" || fail "cannot make the fixture"
execs=""
for n in missing f/x shut/x xloop /mnt/nothere/x d f; do
	case $n in
	missing | /mnt/nothere/x) e=ENOENT ;;
	f/x) e=ENOTDIR ;;
	xloop) e=ELOOP ;;
	*) e=EACCES ;;
	esac
	execs+="exec $n: $e"$'\n'"exec $n: $e"$'\n'
done
for mode in --fast --confine --no-fast; do
	check "$mode: execs that fail" "${execs}patched: exec=$(patches "$mode")" \
		facet_top "$mode" -b "$A:/mnt/a" -w /mnt/a -- "$SITES" --exec missing f/x shut/x xloop /mnt/nothere/x d f
done
chmod 755 "$A/shut"

# ld.so's sites that one process had patched are patched in the next by
# facet's loader before ld.so runs (src/loader/prepatch.c), so that its
# first call (access of /etc/ld.so.preload) no longer reaches the
# supervisor: seen in the supervisor's own system calls, one access
# notification for the shell and none for the three programs after it.
if [ "$FACET_BACKEND" = notify ] && command -v strace >/dev/null; then
	check "ld.so's sites patched by the loader" "1" \
		sh -c "strace -o '$TEST_TMP/sup.strace' -e trace=ioctl '$FACET' --backend=notify -b '$A:/mnt/a' -- \
			sh -c '/bin/true; /bin/true; /bin/true' && grep -c 'nr=__NR_access' '$TEST_TMP/sup.strace'"
fi

# -v says whether the runtime serves the view, and why not.
if [ "$FACET_BACKEND" = notify ]; then
	fast_line="facet: fast mode: a runtime in each process answers the view's path calls"
else
	fast_line="facet: fast mode: off (the runtime hands calls to facet by user notification; the ptrace back end has none)"
fi
check "-v in fast mode" "$fast_line" sh -c "'$FACET' --backend=$FACET_BACKEND -v -b '$A:/mnt/a' -- true 2>&1 | grep '^facet: fast mode'"
check "-v with --confine" "facet: fast mode: off (--confine)" \
	sh -c "'$FACET' --backend=$FACET_BACKEND -v --confine -b '$A:/mnt/a' -- true 2>&1 | grep '^facet: fast mode'"

# A mount that shows the host's / shows its procfs too, as a directory of
# that mount: the magic links there (cwd, exe) are no text the runtime may
# follow as a path (src/rt/lookup.c, last_link), in every mode alike
# (facet refuses them: ELOOP). The process's number is written as PID.
magic() {
	facet_top "$1" -b "$A:/mnt/a" -b /:/host -w /mnt/a -- \
		sh -c 'exec "$0" /host/proc/$$/cwd /host/proc/$$/exe' "$SITES" |
		grep -v '^patched' | sed 's#/host/proc/[0-9]*/#/host/proc/PID/#'
}
magic_want=""
for n in cwd exe; do
	magic_want+="$(answers "/host/proc/PID/$n" ELOOP "symlink 0" ELOOP)"$'\n'
done
magic_want+="bad pointers: EFAULT EFAULT"$'\n'"bad pointers: EFAULT EFAULT"
for mode in --fast --confine --no-fast; do
	check "$mode: magic links of a procfs that a mount shows" "$magic_want" magic "$mode"
done

# Names in a directory above mount points: the mount points, which the
# host directory lacks, and names no mount point has, which the runtime
# may look up first (src/rt/calls.c, look_first).
above=""
for n in a b nothere; do
	case $n in
	nothere) s=ENOENT l=ENOENT o=ENOENT ;;
	*) s="dir 0" l="dir 0" o="dir " ;;
	esac
	above+="$(answers "$n" "$s" "$l" "$o")"$'\n'
done
for mode in --fast --confine --no-fast; do
	check "$mode: names in a directory above mount points" "${above}$(ending "$(patches "$mode")")" \
		facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -w /mnt -- "$SITES" a b nothere
done

# Symlinks and ".." the runtime follows in absolute paths (src/rt/walk.c):
# a symlink in a directory above a mount point (l -> b, the mount), one in
# the middle of a path into another mount, ".." after a symlink (taken
# from where the link leads, as the kernel does), and a loop.
M=$TEST_TMP/m
mkdir -p "$M" && ln -s b "$M/l" && ln -s /mnt/b "$A/bdir" && ln -s loop "$A/loop" || fail "cannot make the links"
LINKED=("$M/l/t" "$M/l/../b/t" "$M/l/./sub/../t" /mnt/a/bdir/t /mnt/a/absdir/../t /mnt/a/bdir/sub/../../a/f /mnt/a/loop/x)
linked=""
for n in "${LINKED[@]}"; do
	case $n in
	*/f) s="file 6" o="file hello" ;;
	*/loop/x) s=ELOOP o=ELOOP ;;
	*) s="file 7" o="file target" ;;
	esac
	linked+="$(answers "$n" "$s" "$s" "$o")"$'\n'
done
for mode in --fast --confine --no-fast; do
	check "$mode: symlinks and .. in absolute paths" "${linked}$(ending "$(patches "$mode")")" \
		facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -b "$B:$M/b" -w /mnt/a -- "$SITES" "${LINKED[@]}"
done

# A chain of 41 absolute symlinks: one more than the kernel follows.
for i in $(seq 0 40); do ln -s "/mnt/a/chain$((i + 1))" "$A/chain$i" || fail "cannot make the chain"; done
ln -s f "$A/chain41"
for mode in --fast --confine --no-fast; do
	check "$mode: ELOOP after 40 symlinks" "$(answers /mnt/a/chain0 ELOOP 'symlink 13' ELOOP
		answers /mnt/a/chain1 ELOOP 'symlink 13' ELOOP
		answers /mnt/a/chain2 'file 6' 'symlink 13' 'file hello')" \
		sh -c "facet_top() { '$FACET' --backend=$FACET_BACKEND \"\$@\"; }; facet_top $mode -b '$A:/mnt/a' -w /mnt/a -- '$SITES' /mnt/a/chain0 /mnt/a/chain1 /mnt/a/chain2 | grep -v -e '^bad' -e '^patched'"
done

# A view of the host's own names (-b /:/), where the runtime lets the
# kernel resolve absolute paths (src/rt/lookup.c, rt_host_named): the same
# answers as the supervisor's for paths that lead into procfs, directly,
# spelled otherwise, or through symlinks (to /proc/self/exe, whose target
# the view gives as the program, not facet-loader).
ln -s /proc/self/exe "$TEST_TMP/exe"
HOSTNAMES=("$TEST_TMP/exe" //proc/self/exe /proc/self/exe /dev/stdin //proc/self/status /etc/../proc/self/status
	"$A/f" "$A/rel" "$A/abs" "$TEST_TMP/nothere" "$A/f/" "$A/d/" /)
run "$TEST_TMP/host-slow" - facet_top --no-fast -b /:/ -- "$SITES" "${HOSTNAMES[@]}"
for mode in --fast --confine; do
	want_patch=$(patches "$mode")
	check "$mode: the host's names (-b /:/), as without the runtime" \
		"$(sed "s/^patched: .*/patched: stat=$want_patch open=$want_patch/" "$TEST_TMP/host-slow")" \
		facet_top "$mode" -b /:/ -- "$SITES" "${HOSTNAMES[@]}"
done

# ".." from a directory fd (fts climbs so): from a mount's directory, the
# mount point's parent (the supervisor's); from any other, its host
# parent, which the runtime lets the kernel open, but for a directory
# above mount points, which lists them (the supervisor's again).
mkdir -p "$TEST_TMP/u/d/e" "$TEST_TMP/u/d/x" "$TEST_TMP/inner" || fail "cannot make the fixture"
ups="up /mnt/top/a: links 3: a
up /mnt/top/a/d: links 3: d
up /mnt/top/a/d/e: links 5: e inner x
up /mnt/top/a/d/inner: links 5: e inner x"
ups=$(printf '%s\n' "$ups" | sed p)
for mode in --fast --confine --no-fast; do
	check "$mode: .. from directory fds" "$ups
patched: stat=$(patches "$mode") open=$(patches "$mode")" \
		facet_top "$mode" -b "$TEST_TMP/u:/mnt/top/a" -b "$TEST_TMP/inner:/mnt/top/a/d/inner" -- \
		"$SITES" --up /mnt/top/a /mnt/top/a/d /mnt/top/a/d/e /mnt/top/a/d/inner
done

# ".." from a directory outside the view (an fd the command inherited):
# refused, as the supervisor refuses any name in such a directory.
OUT=$TEST_TMP/outside
mkdir -p "$OUT/a/b" "$TEST_TMP/emptyroot" || fail "cannot make the fixture"
libs=""
for d in /lib /lib64 /lib32 /usr; do [ -e "$d" ] && libs+=" -b $d"; done
for mode in --fast --confine --no-fast; do
	check "$mode: .. from a directory outside the view" "up fd:3: EACCES: EACCES
up fd:3: EACCES: EACCES
patched: stat=$(patches "$mode") open=$(patches "$mode")" \
		sh -c "exec 3<'$OUT/a/b'; exec '$FACET' --backend=$FACET_BACKEND $mode -r '$TEST_TMP/emptyroot' \
			-b '$(dirname "$SITES")' $libs -- '$SITES' --up fd:3"
done

# A name in a directory outside the view (an inherited fd): stat works,
# an open is Landlock's to refuse (README, "Landlock"; view-landlock), in
# every mode the same whether the runtime or the supervisor answers. One
# inherited from inside the view works as any other.
mkdir -p "$OUT/a/b/sub" "$TEST_TMP/inherit/d" || fail "cannot make the fixture"
echo c >"$OUT/a/b/c"
echo c >"$TEST_TMP/inherit/d/c"
"$FACET" -v --backend="$FACET_BACKEND" -b "$TEST_TMP:/mnt" true 2>&1 | grep -q '^facet: Landlock ABI' && landlock=EACCES || landlock=ok
for mode in --fast --confine --no-fast; do
	p=$(patches "$mode")
	o=$landlock
	[ "$mode" = --no-fast ] && o=ok
	check "$mode: names in a directory outside the view" "$(for n in c sub; do printf 'in fd:3 %s: ok %s\n' $n $o $n $o; done)
patched: stat=$p open=$p" \
		sh -c "exec 3<'$OUT/a/b'; exec '$FACET' --backend=$FACET_BACKEND $mode -r '$TEST_TMP/emptyroot' \
			-b '$(dirname "$SITES")' $libs -- '$SITES' --in fd:3 c sub"
	check "$mode: names in a directory inherited from inside the view" "in fd:4 c: ok ok
in fd:4 c: ok ok
in fd:4 ../d/c: ok ok
in fd:4 ../d/c: ok ok
in fd:4 nothere: ENOENT ENOENT
in fd:4 nothere: ENOENT ENOENT
patched: stat=$p open=$p" \
		sh -c "exec 4<'$TEST_TMP/inherit/d'; exec '$FACET' --backend=$FACET_BACKEND $mode -r '$TEST_TMP/emptyroot' \
			-b '$(dirname "$SITES")' $libs -b '$TEST_TMP/inherit:/mnt/in' -- '$SITES' --in fd:4 c ../d/c nothere"
done

# The lowest free fd, through a directory the runtime opens on the way.
for mode in --fast --confine; do
	check "$mode: an open returns the lowest free fd" "fd0 /mnt/a/f: 0 0 0 0
fd0 d/../f: 0 0 0 0
fd0 f: 0 0 0 0
patched: stat=no open=$(patches "$mode")" \
		facet_top "$mode" -b "$A:/mnt/a" -b "$B:/mnt/b" -w /mnt/a -- "$SITES" --fd0 /mnt/a/f d/../f f
done
# A host directory the view shows at two places (a bind of a directory the
# host's root, the view's too, shows): an fd is named as the program
# reached it, whoever opened it (the runtime marks its fds: src/rt/fds.c),
# in /proc/self/fd, getcwd after fchdir, and ".." from the mount's own
# directory. Python's libc sites are patched by its first calls.
H=$TEST_TMP/twice
mkdir -p "$H/d/e" || fail "cannot make the fixture"
cat >"$TEST_TMP/names.py" <<'PY'
import os, sys
for p in sys.argv[1:]:
    for round in range(2):
        fd = os.open(p, os.O_RDONLY | os.O_DIRECTORY)
        sub = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        e = os.open("d/e", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        back = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=e)
        above = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        names = [os.readlink("/proc/self/fd/%d" % x) for x in (fd, sub, e, back, above)]
        os.fchdir(sub)
        names.append(os.getcwd())
        os.chdir(p)
        rel = os.open("d/e", os.O_RDONLY | os.O_DIRECTORY)
        names.append(os.readlink("/proc/self/fd/%d" % rel))
        print(" ".join(names))
        for x in (fd, sub, e, back, above, rel):
            os.close(x)
PY
names=""
for p in "$H" /mnt/twice; do
	up=$(dirname "$p")
	line="$p $p/d $p/d/e $p/d $up $p/d $p/d/e"
	names+="$line"$'\n'"$line"$'\n'
done
for mode in --fast --confine --no-fast; do
	check "$mode: a host directory at two places, its fds named as reached" "${names%$'\n'}" \
		facet_top "$mode" -b "$H:/mnt/twice" -- python3 "$TEST_TMP/names.py" "$H" /mnt/twice
done

checks_done
