#!/usr/bin/env python3
"""Time one command for bench/run.sh.

usage: timeit.py [--cwd DIR] [--stdout FILE] [--stderr FILE] [--timeout SEC] -- CMD [ARG...]

Runs CMD (stdin from /dev/null, stdout/stderr to the given files, default
/dev/null) in a new session, waits for it and prints one line on stdout:

    WALL_NS STATUS USER_NS SYS_NS

WALL_NS is the wall-clock time from just before the fork to just after the
wait (time.perf_counter_ns), STATUS the exit status (128+N if killed by signal
N, "timeout" if it ran longer than --timeout seconds, in which case its whole
process group is killed), USER_NS/SYS_NS the CPU time of CMD and of all its
waited-for descendants.  timeit.py itself exits 0 unless it could not start
CMD at all (then it prints "0 exec-failed 0 0" and exits 0 too, so that the
caller sees a failed run rather than a crash), or unless it got SIGINT, SIGTERM
or SIGHUP: then it kills CMD's process group, prints "WALL_NS interrupted 0 0"
and exits 130.
"""
import argparse
import os
import signal
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("--cwd")
    ap.add_argument("--stdout", default=os.devnull)
    ap.add_argument("--stderr", default=os.devnull)
    ap.add_argument("--timeout", type=float, default=0.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    if not cmd:
        ap.error("no command")

    with open(os.devnull, "rb") as stdin, \
         open(a.stdout, "wb") as out, \
         open(a.stderr, "wb") as err:
        t0 = time.perf_counter_ns()
        try:
            p = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err,
                                 cwd=a.cwd, start_new_session=True)
        except OSError as e:
            err.write(("timeit.py: cannot run %s: %s\n" % (cmd[0], e)).encode())
            print("0 exec-failed 0 0")
            return 0
        timed_out = []
        interrupted = []

        def kill_group():
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        def on_alarm(signum, frame):
            timed_out.append(True)
            kill_group()

        def on_interrupt(signum, frame):
            # CMD runs in its own session, so ^C on the terminal does not
            # reach it: take it down with us.
            interrupted.append(signum)
            kill_group()

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, on_interrupt)
        if a.timeout > 0:
            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, a.timeout)
        # Blocking wait: no polling latency in the measurement.  A timeout or
        # an interrupt runs a handler that kills the group; wait4 is retried.
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter_ns()
        signal.setitimer(signal.ITIMER_REAL, 0)
        p.returncode = 0  # reaped by hand; keep Popen from waiting again

    if interrupted:
        print("%d interrupted 0 0" % (t1 - t0))
        return 130
    if timed_out:
        st = "timeout"
    elif os.WIFSIGNALED(status):
        st = str(128 + os.WTERMSIG(status))
    else:
        st = str(os.WEXITSTATUS(status))
    print("%d %s %d %d" % (t1 - t0, st, int(ru.ru_utime * 1e9), int(ru.ru_stime * 1e9)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
