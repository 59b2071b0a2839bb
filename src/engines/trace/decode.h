/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Turning a system call's arguments and result into strace-style text.
 *
 * Input arguments are decoded at entry (the memory they point to may be gone
 * by the exit: execve replaces it); output arguments (BUF_OUT, STAT_OUT,
 * PIPE_FDS, ...) only at exit, and only if the call succeeded, as strace does.
 */
#ifndef FACET_TRACE_DECODE_H
#define FACET_TRACE_DECODE_H

#include <stdbool.h>

#include "facet/facet.h"
#include "util/strbuf.h"

/* Maximum bytes of a string or buffer shown before "..." (strace -s 32). */
#define TRACE_STRING_MAX 32

/* True if argument i is filled in by the call and so decoded at exit. */
bool decode_arg_is_output(const struct facet_syscall *sc, unsigned i);

/* False if strace leaves argument i out of the call altogether, so that
 * neither it nor the ", " before it is printed: the mode of open/openat when
 * the flags have neither O_CREAT nor O_TMPFILE, and fcntl's third argument
 * for commands that take none (F_GETFD, F_GETFL, ...). Depends on the
 * arguments only, so entry and exit agree; false for i >= nargs. Call it
 * before decode_arg, which appends nothing for an argument not shown. */
bool decode_arg_shown(const struct facet_syscall *sc, unsigned i);

/* Append the decoded argument i of sc to b. `t` is used to read tracee memory.
 * A pointer that cannot be read is shown as its hex address, as strace does. */
void decode_arg(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc, unsigned i);

/* Append " = VALUE" for the result: "3", "-1 ENOENT (No such file or directory)",
 * "0x7f..." for HEX returns, "?" when the call did not return. */
void decode_retval(struct strbuf *b, const struct facet_syscall *sc);

/* Name of errno value e ("ENOENT"), or NULL if unknown. */
const char *decode_errno_name(int e);
/* Name of a signal ("SIGINT"), or NULL. */
const char *decode_signal_name(int sig);

#endif
