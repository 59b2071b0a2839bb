#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Normalize strace-style text traces so that two of them can be compared.

    normalize-trace.py [--rules R,...] [--pids first|none] FILE
        prints FILE normalized, one call per line, in the original order.
    normalize-trace.py --join FILE
        prints FILE with the calls that strace split (<unfinished ...> /
        <... resumed>) joined into one line each, and single spaces after
        the pids; nothing else changes.
    normalize-trace.py --compare [--rules R,...] [--label-a A] [--label-b B] FILE_A FILE_B
        compares the two traces as multisets; prints the differences and
        exits 1 if they differ, 0 if they are the same.

Normalization of one line `PID name(args) = ret`:
  * the pid becomes P1, P2, ... in order of first appearance (--pids first),
  * event lines are kept, reduced to what does not depend on the run:
    `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=...} ---`
    becomes `--- SIGCHLD CLD_EXITED`, `+++ exited with 0 +++` stays, and
    `+++ superseded by execve in pid N +++` loses the pid,
  * `name(... <unfinished ...>` / `<... name resumed> ...) = ret` pairs are
    joined into one call (strace splits calls that overlap in time; they are
    still calls); an unfinished call that never resumes (its task died in
    it) is dropped, as are `<unfinished ...>) = ?` lines,
  * of the arguments only the top-level quoted strings are kept (paths and
    other strings; structures, arrays, flags, numbers and addresses are
    dropped); a truncated string ("..."..) is cut to 32 characters,
  * the return value becomes the number, the errno name (ENOENT, ...), or
    0xADDR for an address; `?` stays `?`.

--compare checks (1) the multiset of calls and events, ignoring pids, then
(2) how they are divided among tasks: the multiset of per-task multisets.
That is independent of which task happens to appear first, so racing
threads and pipelines compare reliably. Two traces without any line to
compare (a class of calls the program never makes) are the same.

Known legitimate differences are normalized by named rule sets (--rules),
listed in RULES below; tests choose the ones that apply to them.
"""

import argparse
import collections
import re
import signal
import sys

STRING_LIMIT = 32  # strace's default -s

# Calls whose successful result is a new file descriptor.
FD_RETURNING = {
    "open", "openat", "openat2", "creat", "open_tree", "fsopen", "fsmount",
    "open_by_handle_at", "memfd_create", "dup", "dup2", "dup3", "fcntl",
    "inotify_init", "inotify_init1", "pidfd_open", "pidfd_getfd",
}


def rule_racy_fds(call):
    """Concurrent threads share one fd table, so the number an open returns
    depends on scheduling: successful fd-returning calls return FD."""
    name, strings, ret = call
    if name in FD_RETURNING and re.fullmatch(r"\d+", ret):
        return (name, strings, "FD")
    return call


def rule_drop_getcwd(call):
    """getcwd's result depends on where the test runs; drop it."""
    return None if call[0] == "getcwd" else call


# Calls whose successful result is a process or thread id.
PID_RETURNING = {
    "clone", "clone3", "fork", "vfork", "wait4", "waitid", "getpid", "getppid",
    "gettid", "getpgid", "getpgrp", "getsid", "setsid", "set_tid_address",
}


def rule_pids(call):
    """Process ids differ from one run to the next: a successful pid-valued
    result becomes PID. Which task made which call is still compared."""
    name, strings, ret = call
    if name in PID_RETURNING and re.fullmatch(r"[1-9]\d*", ret):
        return (name, strings, "PID")
    return call


def rule_signal_timing(call):
    """rt_sigreturn returns the restored return register of whatever the
    handler interrupted, and the restored mask is the one of that moment:
    where an asynchronous signal (SIGCHLD) lands depends on timing, under
    strace as under facet. Its result becomes ANY."""
    name, strings, ret = call
    if name == "rt_sigreturn":
        return (name, strings, "ANY")
    return call


def rule_sigchld_coalesce(calls):
    """SIGCHLD is a standard signal: children that exit while it is pending
    give one delivery, not one each, so how many a parent gets (and the
    rt_sigreturns after them) depends on timing. Per task, a SIGCHLD of a
    kind and an rt_sigreturn count once. (Whole trace; pairs with
    signal-timing.)"""
    seen = set()
    kept = []
    for pid, call in calls:
        if call[0].startswith("--- SIGCHLD") or call[0] == "rt_sigreturn":
            key = (pid, fmt(call))
            if key in seen:
                continue
            seen.add(key)
        kept.append((pid, call))
    return kept


# name -> function(call) -> call or None to drop it (the docstring says why)
RULES = {
    "racy-fds": rule_racy_fds,
    "drop-getcwd": rule_drop_getcwd,
    "pids": rule_pids,
    "signal-timing": rule_signal_timing,
}

# name -> function([(pid, call)]) -> [(pid, call)], applied after RULES
TRACE_RULES = {
    "sigchld-coalesce": rule_sigchld_coalesce,
}

LINE_PID = re.compile(r"^(?:\[pid\s+(\d+)\]|(\d+))\s+")
RESUMED = re.compile(r"^<\.\.\.\s+([A-Za-z0-9_]+)\s+resumed>\s?(.*)$")
UNFINISHED = " <unfinished ...>"
SUPERSEDED = re.compile(r"^\+\+\+ superseded by execve in pid (\d+) \+\+\+$")
SIGNAL_LINE = re.compile(r"^--- (\S+) (?:\{(.*)\}|.*) ---$")
EXIT_LINE = re.compile(r"^\+\+\+ (exited with -?\d+|killed by \S+(?: \(core dumped\))?|superseded by execve) ")
ERRNO = re.compile(r"^E[A-Z0-9]+$")


def scan_call(text):
    """Split `name(args) = ret` into (name, [top-level strings], ret text).
    Returns None if the text is not a call."""
    m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\(", text)
    if not m:
        return None
    name = m.group(1)
    i = m.end()
    depth = 0
    strings = []
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            s = text[i:j + 1]
            j += 1
            truncated = text.startswith("...", j)
            if truncated:
                j += 3
                s = s[:STRING_LIMIT + 1] + '"...'
            if depth == 0:
                strings.append(s)
            i = j
            continue
        if c == "/" and text.startswith("/*", i):
            k = text.find("*/", i + 2)
            i = n if k < 0 else k + 2
            continue
        if c in "([{":
            depth += 1
        elif c in "}]":
            depth -= 1
        elif c == ")":
            if depth == 0:
                rest = text[i + 1:]
                m = re.match(r"^\s*=\s*(.*)$", rest)
                if not m:
                    return None
                return name, strings, m.group(1).strip()
            depth -= 1
        i += 1
    return None


def norm_ret(ret):
    toks = ret.split()
    if not toks:
        return "?"
    t = toks[0]
    if t == "?" and len(toks) > 1 and ERRNO.match(toks[1]):
        return toks[1]
    if t.startswith("-") and len(toks) > 1 and ERRNO.match(toks[1]):
        return toks[1]
    t = re.sub(r"<.*$", "", t)  # strace -y decorations: 3</etc/passwd>
    if re.fullmatch(r"0x[0-9a-fA-F]+", t):
        return "0xADDR"
    return t


def joined(path):
    """Yields (pid, text) for each line of the trace, with split calls joined
    back into one line (at the place where they finished; an execve by a
    non-leader thread finishes under the leader's pid, after "+++ superseded
    by execve in pid T +++"). Calls that never finish come last, still
    ending in " <unfinished ...>"."""
    pending = {}
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            m = LINE_PID.match(line)
            if m:
                pid = m.group(1) or m.group(2)
                rest = line[m.end():]
            else:
                pid = "0"
                rest = line
            rest = rest.strip()
            m = SUPERSEDED.match(rest)
            if m and m.group(1) in pending:
                # A non-leader thread's execve finishes under the leader's pid.
                pending[pid] = pending.pop(m.group(1))
            m = RESUMED.match(rest)
            if m:
                head = pending.pop(pid, None)
                if head is None:
                    continue  # resumed without a start: nothing to join
                rest = head + m.group(2)
            elif rest.endswith(UNFINISHED):
                pending[pid] = rest[: -len(UNFINISHED)]
                continue
            yield pid, rest
    for pid, head in pending.items():
        yield pid, head + UNFINISHED


def scan_event(text):
    """A `---` or `+++` line as (name, (), ""), or None if it is neither."""
    m = SIGNAL_LINE.match(text)
    if m:
        code = re.search(r"(?:^|, )si_code=([^,}]*)", m.group(2) or "")
        return ("--- %s%s" % (m.group(1), " " + code.group(1) if code else ""), (), "")
    m = EXIT_LINE.match(text)
    if m:
        return ("+++ " + m.group(1), (), "")
    return None


def parse(path, rules):
    """Returns a list of (pid, (name, (strings...), ret)) in file order;
    events have the ret "" and no strings."""
    calls = []
    for pid, rest in joined(path):
        if rest.startswith("+++") or rest.startswith("---"):
            event = scan_event(rest)
            if event is not None:
                calls.append((pid, event))
            continue
        if UNFINISHED in rest:
            continue  # the task died inside the call
        c = scan_call(rest)
        if c is None:
            continue
        name, strings, ret = c
        call = (name, tuple(strings), norm_ret(ret))
        for r in rules:
            if r in RULES:
                call = RULES[r](call)
            if call is None:
                break
        if call is not None:
            calls.append((pid, call))
    for r in rules:
        if r in TRACE_RULES:
            calls = TRACE_RULES[r](calls)
    return calls


def fmt(call):
    name, strings, ret = call
    if name.startswith("+++") or name.startswith("---"):
        return name
    return "%s(%s) = %s" % (name, ", ".join(strings), ret)


def pid_map(calls):
    m = {}
    for pid, _ in calls:
        if pid not in m:
            m[pid] = "P%d" % (len(m) + 1)
    return m


def per_task(calls):
    tasks = collections.defaultdict(collections.Counter)
    order = pid_map(calls)
    for pid, call in calls:
        tasks[order[pid]][fmt(call)] += 1
    return tasks


def show_counter_diff(a, b, label_a, label_b, limit=40):
    only_a = a - b
    only_b = b - a
    for label, only in ((label_a, only_a), (label_b, only_b)):
        if not only:
            continue
        print("only in %s (%d calls):" % (label, sum(only.values())))
        for i, (k, v) in enumerate(sorted(only.items())):
            if i == limit:
                print("  ... and %d more" % (len(only) - limit))
                break
            print("  %s%s" % ("%dx " % v if v > 1 else "", k))


def compare(file_a, file_b, rules, label_a, label_b):
    ca = parse(file_a, rules)
    cb = parse(file_b, rules)
    ma = collections.Counter(fmt(c) for _, c in ca)
    mb = collections.Counter(fmt(c) for _, c in cb)
    if not ca and not cb:
        return 0
    if not ca or not cb:
        print("%s: nothing to compare, but %s has %d lines"
              % ((file_a, file_b, len(cb)) if not ca else (file_b, file_a, len(ca))))
        return 1
    if ma != mb:
        print("the calls differ (%s: %d calls, %s: %d calls):"
              % (label_a, len(ca), label_b, len(cb)))
        show_counter_diff(ma, mb, label_a, label_b)
        return 1
    ta = per_task(ca)
    tb = per_task(cb)
    sig = lambda c: tuple(sorted(c.items()))
    sa = collections.Counter(sig(c) for c in ta.values())
    sb = collections.Counter(sig(c) for c in tb.values())
    if sa != sb:
        print("the same calls, but divided among tasks differently "
              "(%s: %d tasks, %s: %d tasks)" % (label_a, len(ta), label_b, len(tb)))
        for label, t, other in ((label_a, ta, sb), (label_b, tb, sa)):
            for p, c in t.items():
                if sig(c) not in other:
                    print("  %s task %s (%d calls), not matched in the other:"
                          % (label, p, sum(c.values())))
                    for i, (k, v) in enumerate(sorted(c.items())):
                        if i == 8:
                            print("    ...")
                            break
                        print("    %s%s" % ("%dx " % v if v > 1 else "", k))
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", default="",
                    help="comma-separated rule sets: " + ", ".join(sorted(RULES) + sorted(TRACE_RULES)))
    ap.add_argument("--pids", choices=("first", "none"), default="first")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--join", action="store_true",
                    help="print the trace with split calls joined, otherwise unchanged")
    ap.add_argument("--label-a", default="A")
    ap.add_argument("--label-b", default="B")
    ap.add_argument("files", nargs="+")
    o = ap.parse_args()
    rules = [r for r in o.rules.split(",") if r]
    for r in rules:
        if r not in RULES and r not in TRACE_RULES:
            ap.error("unknown rule set %r (known: %s)"
                     % (r, ", ".join(sorted(RULES) + sorted(TRACE_RULES))))
    if o.compare:
        if len(o.files) != 2:
            ap.error("--compare takes two files")
        return compare(o.files[0], o.files[1], rules, o.label_a, o.label_b)
    if len(o.files) != 1:
        ap.error("give one file (or --compare A B)")
    if o.join:
        for pid, text in joined(o.files[0]):
            text = re.sub(r"\) {2,}= ", ") = ", text)  # strace's alignment
            print("%s %s" % (pid, text) if pid != "0" else text)
        return 0
    calls = parse(o.files[0], rules)
    m = pid_map(calls)
    for pid, call in calls:
        if o.pids == "first":
            print("%s %s" % (m[pid], fmt(call)))
        else:
            print(fmt(call))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
