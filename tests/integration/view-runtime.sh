#!/usr/bin/env bash
# Programs that stress what the in-process runtime (issue 7) must keep
# exact behave inside a view as natively, in every mode (--fast, --confine,
# --no-fast), in a view that binds a directory elsewhere and in a root
# made of the host's /usr (tests/lib-view-runtime.sh says how):
#
#   rt-paths, rt-paths-static  path calls from the program's own code
#       (a static glibc: no libc the runtime could hook), legacy calls,
#       dirfds, relative paths, bad pointers, long paths, repeated calls;
#   rt-sigsys      the program's own SIGSYS handler and seccomp filter
#       (which refuses calls the program never makes, as sandboxes do),
#       SIGSYS blocked and ignored, across exec;
#   rt-altstack    handlers on sigaltstack making path calls, a tiny stack;
#   rt-threads     fork/exec, posix_spawn, vfork from threads while others
#       make path calls; signals interrupting blocking calls;
#   rt-regs        registers, red zone and the memory under a small stack
#       left alone by calls from sites of the shape the fast mode patches,
#       also in fork and vfork children; a vfork or posix_spawn child's
#       chdir leaves the parent's cwd alone.
#
# The Go program is tests/integration/view-runtime-go.sh.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/lib-view-runtime.sh"

# Known differences today (see RT_KNOWN in tests/lib-view-runtime.sh): none.
RT_KNOWN=""

sh_arg=()
[ -x /bin/sh ] && sh_arg=(sh)

rt_compare helper-rt-paths "$(helper rt-paths)"
if [ -x "$HELPERS/helper-rt-paths-static" ]; then
	rt_compare helper-rt-paths-static "$HELPERS/helper-rt-paths-static"
else
	note "helper-rt-paths-static was not built (no static linking here)"
fi
rt_compare helper-rt-sigsys "$(helper rt-sigsys)"
rt_compare helper-rt-altstack "$(helper rt-altstack)"
rt_compare helper-rt-threads "$(helper rt-threads)" "${sh_arg[@]}"
rt_compare helper-rt-regs "$(helper rt-regs)"
rt_done
