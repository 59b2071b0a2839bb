/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the decoders: decode.c (arguments by kind), decode_call.c (a
 * call's arguments and the parts of its line), and the files of calls whose
 * format strace takes from the call rather than from its argument kinds
 * (decode_signal.c, decode_process.c). Not used outside the trace engine.
 */
#ifndef FACET_TRACE_DECODE_INTERNAL_H
#define FACET_TRACE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "engines/trace/decode.h"

/* A call strace decodes by its own function: `entry` adds the arguments
 * (decode_call_add), deciding which have an exit part; `exit` fills those. */
struct call_format {
	const char *name;
	void (*entry)(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		      const struct decode_opts *o);
	void (*exit)(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		     const struct decode_opts *o);
};

/* Each ends with an entry whose name is NULL. */
extern const struct call_format decode_signal_formats[];
extern const struct call_format decode_process_formats[];

/* The next argument of dc, empty, showing argument `index` of the call. */
struct decoded_arg *decode_call_add(struct decoded_call *dc, unsigned index);
/* Argument i decoded by its kind: at entry, or marked for the exit if the
 * call fills it in. */
void decode_call_add_generic(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			     unsigned i, const struct decode_opts *o);

static inline bool decode_is_error(int64_t r)
{
	return r < 0 && r >= -4095;
}

/* Output arguments are only worth reading if the call returned successfully. */
static inline bool decode_succeeded(const struct facet_syscall *sc)
{
	return sc->exited && !decode_is_error(sc->retval);
}

static inline enum facet_arg_kind decode_kind_of(const struct facet_syscall *sc, unsigned i)
{
	if (!sc->info || i >= sc->info->nargs || i >= FACET_MAX_ARGS)
		return FACET_ARG_NONE;
	return sc->info->args[i];
}

static inline bool decode_name_is(const struct facet_syscall *sc, const char *name)
{
	return sc->info && sc->info->name && strcmp(sc->info->name, name) == 0;
}

/* "NULL" or "0x7ffd...". */
void decode_put_addr(struct strbuf *b, uint64_t v);
/* A file descriptor: "3", or with -y "3</etc/passwd>" (a task's fd table
 * read in /proc; "3" alone if it cannot be read). */
void decode_put_fd(struct strbuf *b, struct facet_task *t, int fd, const struct decode_opts *o);
/* A dirfd: "AT_FDCWD" (with -y: "AT_FDCWD</cwd>") or decode_put_fd. */
void decode_put_dirfd(struct strbuf *b, struct facet_task *t, int fd, const struct decode_opts *o);
/* decode_desc.c: fcntl by command (F_GETFD takes no third argument, F_GETLK
 * fills it in, F_DUPFD returns an fd), socket addresses, fds. */
bool decode_fcntl_arg_absent(unsigned cmd);
bool decode_fcntl_arg_output(unsigned cmd);
bool decode_fcntl_returns_fd(unsigned cmd);
void decode_put_fcntl_arg(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc);
/* Appends "= VALUE (explanation)" for the commands that return flags;
 * false if the result is a plain number. */
bool decode_put_fcntl_retval(struct strbuf *b, const struct facet_syscall *sc);
void decode_put_sockaddr(struct strbuf *b, struct facet_task *t, uint64_t addr, int64_t len);

/* decode_signal.c: a signal set of `len` bytes at addr (len must be in [min_len, 8]):
 * "[INT TERM]", "~[RTMIN RT_1]", or the address. */
void decode_put_sigset(struct strbuf *b, struct facet_task *t, uint64_t addr, uint64_t len,
		       uint64_t min_len);
/* The same for a mask already read: `bytes` (at most 8) of it. */
void decode_put_sigmask(struct strbuf *b, const void *mask, unsigned bytes);

#endif
