/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Arguments and results in the format of strace 6.1 (default options:
 * -s 32, abbreviated structures), so that the two traces can be compared.
 * Where strace's format depends on the call rather than on the argument's
 * kind (fcntl's third argument, socket's protocol, the mode of open), the
 * neighbouring arguments' kinds decide, so that the table stays declarative.
 */
#include "engines/trace/decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "engines/trace/decode_internal.h"
#include "engines/trace/xlat.h"

const struct decode_opts decode_defaults = { .string_max = TRACE_STRING_MAX, .fd_paths = false };

#define kind_of decode_kind_of
#define name_is decode_name_is

void decode_put_addr(struct strbuf *b, uint64_t v)
{
	if (v)
		strbuf_printf(b, "%#llx", (unsigned long long)v);
	else
		strbuf_puts(b, "NULL");
}

/* Most INT arguments are C ints whose upper register half the kernel ignores
 * (strace prints them truncated); a value that is not a 32-bit quantity at
 * all is a 64-bit argument such as an lseek offset, and is shown whole. */
static void put_int(struct strbuf *b, uint64_t v)
{
	uint64_t hi = v >> 32;
	if (hi == 0 || (hi == 0xffffffffu && (v & 0x80000000u)))
		strbuf_printf(b, "%d", (int)v);
	else
		strbuf_printf(b, "%lld", (long long)v);
}

/* A NUL-terminated string, at most `max` bytes of it, "..." if longer. */
static void put_string(struct strbuf *b, struct facet_task *t, uint64_t addr, size_t max)
{
	char small[PATH_MAX];
	char *buf = small;

	if (!addr) {
		strbuf_puts(b, "NULL");
		return;
	}
	if (max >= sizeof(small) && !(buf = malloc(max + 1)))
		abort();
	buf[0] = '\0';
	ssize_t n = facet_mem_read_string(t, addr, buf, max + 1);
	if (n >= 0)
		strbuf_quote(b, buf, (size_t)n, max, 0);
	else if (n == -ENAMETOOLONG &&
		 /* The first `max` bytes are known to be readable then. */
		 (strnlen(buf, max) == max || facet_mem_read(t, addr, buf, max) == (ssize_t)max))
		strbuf_quote(b, buf, max, max, 1);
	else
		decode_put_addr(b, addr);
	if (buf != small)
		free(buf);
}

/* `len` bytes of a buffer, at most `max` shown. */
static void put_buf(struct strbuf *b, struct facet_task *t, uint64_t addr, uint64_t len, size_t max)
{
	char small[256];
	char *buf = small;
	size_t n = len < max ? (size_t)len : max;

	if (!addr) {
		strbuf_puts(b, "NULL");
		return;
	}
	if (n > sizeof(small) && !(buf = malloc(n)))
		abort();
	if (n && facet_mem_read(t, addr, buf, n) != (ssize_t)n)
		decode_put_addr(b, addr);
	else
		strbuf_quote(b, buf, n, max, len > max);
	if (buf != small)
		free(buf);
}

/* Pointers of a NULL-terminated array, read in chunks: one read per element
 * would cost a system call each. A chunk stays within its page, as the
 * array may end just before an unmapped one. Returns the count read into
 * `out`, 0 at the end of readable memory. */
static size_t read_words(struct facet_task *t, uint64_t addr, uint64_t *out, size_t max)
{
	size_t room = (4096 - (size_t)(addr & 4095)) / sizeof(*out);
	if (room == 0)
		room = 1;
	if (max > room)
		max = room;
	ssize_t n = facet_mem_read(t, addr, out, max * sizeof(*out));
	return n > 0 ? (size_t)n / sizeof(*out) : 0;
}

static void put_argv(struct strbuf *b, struct facet_task *t, uint64_t addr, size_t max)
{
	uint64_t words[16];
	size_t have = 0, at = 0;

	if (!addr) {
		strbuf_puts(b, "NULL");
		return;
	}
	for (unsigned n = 0;; n++, at++) {
		uint64_t where = addr + (uint64_t)n * sizeof(uint64_t);
		if (at == have) {
			have = read_words(t, where, words, 16);
			at = 0;
		}
		if (have == 0) {
			if (n == 0) {
				decode_put_addr(b, addr);
				return;
			}
			strbuf_printf(b, ", ... /* %#llx */", (unsigned long long)where);
			break;
		}
		if (n == 0)
			strbuf_putc(b, '[');
		if (words[at] == 0)
			break;
		if (n)
			strbuf_puts(b, ", ");
		if (n >= max) {
			strbuf_puts(b, "...");
			break;
		}
		put_string(b, t, words[at], max);
	}
	strbuf_putc(b, ']');
}

static void put_envp(struct strbuf *b, struct facet_task *t, uint64_t addr)
{
	uint64_t words[64];
	unsigned count = 0;

	decode_put_addr(b, addr);
	if (!addr)
		return;
	/* The bound only guards against a loop over a huge unterminated array. */
	for (uint64_t where = addr; count < (1u << 20);) {
		size_t have = read_words(t, where, words, 64);
		if (have == 0) {
			if (count == 0)
				return;
			break;
		}
		size_t i = 0;
		while (i < have && words[i])
			i++;
		count += (unsigned)i;
		if (i < have)
			break;
		where += have * sizeof(uint64_t);
	}
	strbuf_printf(b, " /* %u var%s */", count, count == 1 ? "" : "s");
}

static void put_stat(struct strbuf *b, struct facet_task *t, uint64_t addr)
{
	struct stat st;
	if (facet_mem_read(t, addr, &st, sizeof(st)) != (ssize_t)sizeof(st)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{st_mode=");
	xlat_print_mode(b, st.st_mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		strbuf_printf(b, ", st_rdev=makedev(%#x, %#x)", major(st.st_rdev), minor(st.st_rdev));
	else
		strbuf_printf(b, ", st_size=%lld", (long long)st.st_size);
	strbuf_puts(b, ", ...}");
}

static void put_statx(struct strbuf *b, struct facet_task *t, uint64_t addr)
{
	struct statx stx;
	if (facet_mem_read(t, addr, &stx, sizeof(stx)) != (ssize_t)sizeof(stx)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{stx_mask=");
	xlat_flags_dflt(b, xlat_statx_mask, stx.stx_mask, NULL, "STATX_???");
	strbuf_puts(b, ", stx_attributes=");
	xlat_flags_dflt(b, xlat_statx_attrs, stx.stx_attributes, NULL, "STATX_ATTR_???");
	strbuf_puts(b, ", stx_mode=");
	xlat_print_mode(b, stx.stx_mode);
	strbuf_printf(b, ", stx_size=%llu, ...}", (unsigned long long)stx.stx_size);
}

static void put_open_how(struct strbuf *b, struct facet_task *t, uint64_t addr, uint64_t size)
{
	struct { uint64_t flags, mode, resolve; } how;
	if (!addr || size < sizeof(how) || facet_mem_read(t, addr, &how, sizeof(how)) != (ssize_t)sizeof(how)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{flags=");
	xlat_print_open_flags(b, how.flags);
	if ((how.flags & (XLAT_O_CREAT | XLAT___O_TMPFILE)) || how.mode)
		strbuf_printf(b, ", mode=%#03llo", (unsigned long long)how.mode);
	strbuf_puts(b, ", resolve=");
	xlat_flags_dflt(b, xlat_resolve_flags, how.resolve, NULL, "RESOLVE_???");
	strbuf_putc(b, '}');
}

static bool is_fcntl_arg(const struct facet_syscall *sc, unsigned i)
{
	return i == 2 && kind_of(sc, 1) == FACET_ARG_FCNTL_CMD;
}

/* accept(2) and friends fill the address in and pass its length by pointer. */
static bool sockaddr_is_output(const struct facet_syscall *sc)
{
	static const char *const names[] = {
		"accept", "accept4", "getsockname", "getpeername", "recvfrom",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name_is(sc, names[i]))
			return true;
	return false;
}

bool decode_arg_is_output(const struct facet_syscall *sc, unsigned i)
{
	switch (kind_of(sc, i)) {
	case FACET_ARG_BUF_OUT: case FACET_ARG_PATH_OUT: case FACET_ARG_STAT_OUT:
	case FACET_ARG_STATX_OUT: case FACET_ARG_PIPE_FDS: case FACET_ARG_WAIT_STATUS:
		return true;
	case FACET_ARG_SOCKADDR:
		return sockaddr_is_output(sc);
	default:
		return is_fcntl_arg(sc, i) && decode_fcntl_arg_output((unsigned)sc->args[1]);
	}
}

bool decode_arg_shown(const struct facet_syscall *sc, unsigned i)
{
	if (!sc->info)
		return i < FACET_MAX_ARGS;
	if (i >= sc->info->nargs || i >= FACET_MAX_ARGS)
		return false;
	if (kind_of(sc, i) == FACET_ARG_MODE && i > 0 && kind_of(sc, i - 1) == FACET_ARG_OPEN_FLAGS)
		return (sc->args[i - 1] & (XLAT_O_CREAT | XLAT___O_TMPFILE)) != 0;
	if (is_fcntl_arg(sc, i))
		return !decode_fcntl_arg_absent((unsigned)sc->args[1]);
	return true;
}

static void put_at_flags(struct strbuf *b, const struct facet_syscall *sc, uint32_t v)
{
	if (name_is(sc, "statx"))
		xlat_print_statx_flags(b, v);
	else if (name_is(sc, "faccessat2") || name_is(sc, "faccessat"))
		/* AT_EACCESS reuses AT_REMOVEDIR's bit. */
		xlat_flags_dflt(b, xlat_faccessat_flags, v, NULL, "AT_???");
	else
		xlat_flags_dflt(b, xlat_at_flags, v, NULL, "AT_???");
}

/* INT arguments whose meaning strace takes from their neighbours. */
static bool put_contextual_int(struct strbuf *b, const struct facet_syscall *sc, unsigned i)
{
	uint64_t v = sc->args[i];
	if (i == 2 && kind_of(sc, 0) == FACET_ARG_SOCK_FAMILY && kind_of(sc, 1) == FACET_ARG_SOCK_TYPE) {
		unsigned family = (unsigned)sc->args[0];
		if (family == AF_INET || family == AF_INET6)
			xlat_value(b, xlat_ip_protocols, (uint32_t)v, "%#llx /* IPPROTO_??? */");
		else if (family == AF_NETLINK)
			xlat_value(b, xlat_netlink_protocols, (uint32_t)v, "%#llx /* NETLINK_??? */");
		else
			strbuf_printf(b, "%u", (unsigned)v);
		return true;
	}
	if (i > 0 && kind_of(sc, i - 1) == FACET_ARG_WAIT_STATUS) {
		xlat_flags_dflt(b, xlat_wait_options, (uint32_t)v, NULL, "W???");
		return true;
	}
	return false;
}

/* Kinds that are a plain table lookup. Flags are C ints except PROT_*
 * (strace prints those 64 bits wide). */
static const struct simple_kind {
	const struct xlat *table;
	const char *zero, *dflt; /* flags: name of 0, comment for unknown */
	const char *fallback;    /* values: format for unknown, NULL for flags */
	bool wide;
} simple_kinds[FACET_ARG_KIND_COUNT] = {
	[FACET_ARG_UNLINK_FLAGS] = { xlat_at_flags, NULL, "AT_???", NULL, false },
	[FACET_ARG_ACCESS_MODE] = { xlat_access_modes, "F_OK", "?_OK", NULL, false },
	[FACET_ARG_STATX_MASK] = { xlat_statx_mask, NULL, "STATX_???", NULL, false },
	[FACET_ARG_MMAP_PROT] = { xlat_mmap_prot, NULL, "PROT_???", NULL, true },
	[FACET_ARG_RENAME_FLAGS] = { xlat_rename_flags, NULL, "RENAME_???", NULL, false },
	[FACET_ARG_WHENCE] = { xlat_whence, NULL, NULL, "%#llx /* SEEK_??? */", false },
	[FACET_ARG_FCNTL_CMD] = { xlat_fcntl_cmds, NULL, NULL, "%#llx /* F_??? */", false },
	[FACET_ARG_SOCK_FAMILY] = { xlat_sock_families, NULL, NULL, "%#llx /* AF_??? */", false },
};

/* Arguments filled in by the call: shown only if it succeeded, else as the
 * address, as strace does. */
static void put_output(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc,
		       unsigned i, const struct decode_opts *o)
{
	uint64_t v = sc->args[i];
	uint64_t next = i + 1 < FACET_MAX_ARGS ? sc->args[i + 1] : 0;
	int64_t r = sc->retval;

	if (!decode_succeeded(sc) || !v) {
		decode_put_addr(b, v);
		return;
	}
	switch (kind_of(sc, i)) {
	case FACET_ARG_BUF_OUT:
		put_buf(b, t, v, (uint64_t)r, o->string_max);
		break;
	case FACET_ARG_PATH_OUT:
		if (name_is(sc, "getcwd"))
			/* getcwd counts the NUL; strace shows the path whole. */
			put_string(b, t, v, r > 0 ? (size_t)r - 1 : 0);
		else
			/* readlink(at) results are a counted buffer to
			 * strace, cut at -s like any other. */
			put_buf(b, t, v, (uint64_t)r, o->string_max);
		break;
	case FACET_ARG_STAT_OUT:
		put_stat(b, t, v);
		break;
	case FACET_ARG_STATX_OUT:
		put_statx(b, t, v);
		break;
	case FACET_ARG_PIPE_FDS: {
		int fds[2];
		if (facet_mem_read(t, v, fds, sizeof(fds)) == (ssize_t)sizeof(fds)) {
			strbuf_putc(b, '[');
			decode_put_fd(b, t, fds[0], o);
			strbuf_puts(b, ", ");
			decode_put_fd(b, t, fds[1], o);
			strbuf_putc(b, ']');
		} else {
			decode_put_addr(b, v);
		}
		break;
	}
	case FACET_ARG_WAIT_STATUS: {
		/* 0 from WNOHANG: nothing was stored. */
		int status;
		if (r > 0 && facet_mem_read(t, v, &status, sizeof(status)) == (ssize_t)sizeof(status))
			xlat_print_wait_status(b, status);
		else
			decode_put_addr(b, v);
		break;
	}
	case FACET_ARG_SOCKADDR: {
		uint32_t len;
		if (next && facet_mem_read(t, next, &len, sizeof(len)) == (ssize_t)sizeof(len))
			decode_put_sockaddr(b, t, v, (int)len);
		else
			decode_put_addr(b, v);
		break;
	}
	default:
		decode_put_addr(b, v);
		break;
	}
}

void decode_arg(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc, unsigned i,
		const struct decode_opts *o)
{
	if (i >= FACET_MAX_ARGS)
		return;
	uint64_t v = sc->args[i];
	uint64_t next = i + 1 < FACET_MAX_ARGS ? sc->args[i + 1] : 0;
	enum facet_arg_kind kind = kind_of(sc, i);

	if (!sc->info) {
		strbuf_printf(b, "%#llx", (unsigned long long)v);
		return;
	}
	if (!decode_arg_shown(sc, i))
		return;
	if (is_fcntl_arg(sc, i)) {
		decode_put_fcntl_arg(b, t, sc);
		return;
	}
	if (decode_arg_is_output(sc, i)) {
		put_output(b, t, sc, i, o);
		return;
	}
	const struct simple_kind *sk = kind < FACET_ARG_KIND_COUNT ? &simple_kinds[kind] : NULL;
	if (sk && sk->table) {
		uint64_t x = sk->wide ? v : (uint32_t)v;
		if (sk->fallback)
			xlat_value(b, sk->table, x, sk->fallback);
		else
			xlat_flags_dflt(b, sk->table, x, sk->zero, sk->dflt);
		return;
	}

	switch (kind) {
	case FACET_ARG_INT:
		if (!put_contextual_int(b, sc, i))
			put_int(b, v);
		break;
	case FACET_ARG_UINT:
		strbuf_printf(b, "%llu", (unsigned long long)v);
		break;
	case FACET_ARG_HEX:
		/* strace's %#llx: 0 is "0" (mmap offsets), not NULL. */
		if (!put_contextual_int(b, sc, i))
			strbuf_printf(b, "%#llx", (unsigned long long)v);
		break;
	case FACET_ARG_FD:
		decode_put_fd(b, t, (int)v, o);
		break;
	case FACET_ARG_DIRFD:
		decode_put_dirfd(b, t, (int)v, o);
		break;
	case FACET_ARG_PATH:
		put_string(b, t, v, PATH_MAX - 1);
		break;
	case FACET_ARG_STR:
		put_string(b, t, v, o->string_max);
		break;
	case FACET_ARG_BUF_IN:
		put_buf(b, t, v, next, o->string_max);
		break;
	case FACET_ARG_ARGV:
		put_argv(b, t, v, o->string_max);
		break;
	case FACET_ARG_ENVP:
		put_envp(b, t, v);
		break;
	case FACET_ARG_OPEN_FLAGS:
		/* Calls that take only O_CLOEXEC-like flags have no access mode. */
		if (name_is(sc, "pipe2") || name_is(sc, "dup3"))
			xlat_flags_dflt(b, xlat_open_flags, (uint32_t)v, NULL, "O_???");
		else
			xlat_print_open_flags(b, (uint32_t)v);
		break;
	case FACET_ARG_MODE:
		strbuf_printf(b, "%#03o", (unsigned)v);
		break;
	case FACET_ARG_AT_FLAGS:
		put_at_flags(b, sc, (uint32_t)v);
		break;
	case FACET_ARG_OPEN_HOW:
		put_open_how(b, t, v, next);
		break;
	case FACET_ARG_MMAP_FLAGS:
		xlat_print_mmap_flags(b, v);
		break;
	case FACET_ARG_SIGNAL:
		xlat_print_signal(b, (int)v);
		break;
	case FACET_ARG_CLONE_FLAGS:
		xlat_print_clone_flags(b, v);
		break;
	case FACET_ARG_SOCKADDR:
		decode_put_sockaddr(b, t, v, (int)next);
		break;
	case FACET_ARG_SOCK_TYPE:
		xlat_print_sock_type(b, (uint32_t)v);
		break;
	default:
		decode_put_addr(b, v);
		break;
	}
}

static bool returns_fd(const struct facet_syscall *sc)
{
	if (kind_of(sc, 1) == FACET_ARG_FCNTL_CMD)
		return decode_fcntl_returns_fd((unsigned)sc->args[1]);
	return sc->info && sc->info->ret == FACET_RET_FD;
}

void decode_retval(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc,
		   const struct decode_opts *o)
{
	if (!sc->exited || (sc->info && sc->info->ret == FACET_RET_NONE)) {
		strbuf_puts(b, "= ?");
		return;
	}
	int64_t r = sc->retval;
	if (decode_is_error(r)) {
		int e = (int)-r;
		const char *name = decode_errno_name(e);
		/* The restart codes never reach the program: strace shows
		 * them as a call that did not return, with its own texts. */
		const char *restart = xlat_lookup(xlat_restart_codes, (uint64_t)e);
		if (restart) {
			strbuf_printf(b, "= ? %s", restart);
			return;
		}
		if (name)
			strbuf_printf(b, "= -1 %s (%s)", name, strerror(e));
		else
			strbuf_printf(b, "= -1 %d (%s)", e, strerror(e));
		return;
	}
	if (kind_of(sc, 1) == FACET_ARG_FCNTL_CMD && decode_put_fcntl_retval(b, sc))
		return;
	if (returns_fd(sc) && r <= INT_MAX) {
		strbuf_puts(b, "= ");
		decode_put_fd(b, t, (int)r, o);
	} else if (sc->info && sc->info->ret == FACET_RET_HEX) {
		strbuf_printf(b, "= %#llx", (unsigned long long)r);
	} else {
		strbuf_printf(b, "= %lld", (long long)r);
	}
}

const char *decode_errno_name(int e)
{
	if (e <= 0)
		return NULL;
	/* Kernel-internal codes, which glibc does not name but strace does. */
	const char *name = xlat_lookup(xlat_kernel_errnos, (uint64_t)e);
	return name ? name : strerrorname_np(e);
}

const char *decode_signal_name(int sig)
{
	return xlat_signal_name(sig);
}
