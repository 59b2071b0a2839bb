/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Arguments about file descriptors and sockets whose format strace takes
 * from more than their kind: fcntl's third argument and result (by the
 * command), socket addresses (by the family), and file descriptors with -y.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engines/trace/decode_internal.h"
#include "engines/trace/xlat.h"

/* fcntl commands, kernel values (glibc hides some behind feature macros). */
enum {
	CMD_DUPFD = 0, CMD_GETFD = 1, CMD_SETFD = 2, CMD_GETFL = 3, CMD_SETFL = 4,
	CMD_GETLK = 5, CMD_SETLK = 6, CMD_SETLKW = 7, CMD_SETOWN = 8, CMD_GETOWN = 9,
	CMD_SETSIG = 10, CMD_GETSIG = 11, CMD_OFD_GETLK = 36, CMD_OFD_SETLK = 37,
	CMD_OFD_SETLKW = 38, CMD_GETOWN_EX = 16, CMD_SETLEASE = 1024, CMD_GETLEASE = 1025,
	CMD_NOTIFY = 1026, CMD_DUPFD_CLOEXEC = 1030, CMD_SETPIPE_SZ = 1031,
	CMD_GETPIPE_SZ = 1032, CMD_ADD_SEALS = 1033, CMD_GET_SEALS = 1034,
};

/* fcntl's third argument means what the command says. */
bool decode_fcntl_arg_absent(unsigned cmd)
{
	switch (cmd) {
	case CMD_GETFD: case CMD_GETFL: case CMD_GETOWN: case CMD_GETSIG:
	case CMD_GETLEASE: case CMD_GETPIPE_SZ: case CMD_GET_SEALS:
		return true;
	}
	return false;
}

bool decode_fcntl_arg_output(unsigned cmd)
{
	return cmd == CMD_GETLK || cmd == CMD_OFD_GETLK || cmd == CMD_GETOWN_EX;
}

bool decode_fcntl_returns_fd(unsigned cmd)
{
	return cmd == CMD_DUPFD || cmd == CMD_DUPFD_CLOEXEC;
}

static void put_flock(struct strbuf *b, struct facet_task *t, uint64_t addr, bool getlk)
{
	struct flock fl;
	if (facet_mem_read(t, addr, &fl, sizeof(fl)) != (ssize_t)sizeof(fl)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{l_type=");
	xlat_value(b, xlat_lock_types, (uint16_t)fl.l_type, "%#llx /* F_??? */");
	strbuf_puts(b, ", l_whence=");
	xlat_value(b, xlat_whence, (uint16_t)fl.l_whence, "%#llx /* SEEK_??? */");
	strbuf_printf(b, ", l_start=%lld, l_len=%lld", (long long)fl.l_start, (long long)fl.l_len);
	if (getlk)
		strbuf_printf(b, ", l_pid=%d", (int)fl.l_pid);
	strbuf_putc(b, '}');
}

void decode_put_fcntl_arg(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc)
{
	uint64_t v = sc->args[2];
	switch ((unsigned)sc->args[1]) {
	case CMD_SETFD:
		xlat_flags_dflt(b, xlat_fd_flags, v, NULL, "FD_???");
		break;
	case CMD_SETOWN: case CMD_SETPIPE_SZ: case CMD_DUPFD: case CMD_DUPFD_CLOEXEC:
		strbuf_printf(b, "%d", (int)v);
		break;
	case CMD_SETFL:
		xlat_print_open_flags(b, (uint32_t)v);
		break;
	case CMD_SETLK: case CMD_SETLKW: case CMD_OFD_SETLK: case CMD_OFD_SETLKW:
		put_flock(b, t, v, false);
		break;
	case CMD_GETLK: case CMD_OFD_GETLK:
		if (decode_succeeded(sc))
			put_flock(b, t, v, true);
		else
			decode_put_addr(b, v);
		break;
	case CMD_NOTIFY:
		xlat_flags_dflt(b, xlat_dn_flags, v, NULL, "DN_???");
		break;
	case CMD_SETLEASE:
		xlat_value(b, xlat_lock_types, v, "%#llx /* F_??? */");
		break;
	case CMD_ADD_SEALS:
		xlat_flags_dflt(b, xlat_seals, v, NULL, "F_SEAL_???");
		break;
	case CMD_SETSIG:
		xlat_print_signal(b, (int)v);
		break;
	default:
		strbuf_printf(b, "%#llx", (unsigned long long)v);
		break;
	}
}

/* fcntl's "get" commands return flags, which strace explains after the value. */
bool decode_put_fcntl_retval(struct strbuf *b, const struct facet_syscall *sc)
{
	unsigned long long r = (unsigned long long)sc->retval;
	const char *name;

	switch ((unsigned)sc->args[1]) {
	case CMD_GETFD:
		if (!r)
			return false;
		strbuf_printf(b, "= %#llx (flags ", r);
		xlat_flags(b, xlat_fd_flags, r, NULL);
		break;
	case CMD_GETFL:
		strbuf_printf(b, "= %#llx (flags ", r);
		xlat_print_open_flags(b, (uint32_t)r);
		break;
	case CMD_GET_SEALS:
		if (!r)
			return false;
		strbuf_printf(b, "= %#llx (seals ", r);
		xlat_flags(b, xlat_seals, r, NULL);
		break;
	case CMD_GETLEASE:
		name = xlat_lookup(xlat_lock_types, r);
		strbuf_printf(b, name ? "= %#llx (%s" : "= %#llx", r, name);
		if (!name)
			return true;
		break;
	case CMD_GETSIG:
		name = r ? decode_signal_name((int)r) : NULL;
		if (!name)
			return false;
		strbuf_printf(b, "= %llu (%s", r, name);
		break;
	default:
		return false;
	}
	strbuf_putc(b, ')');
	return true;
}

void decode_put_sockaddr(struct strbuf *b, struct facet_task *t, uint64_t addr, int64_t len)
{
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_nl nl;
		struct sockaddr_storage ss;
		char raw[sizeof(struct sockaddr_storage)];
	} u;

	if (!addr) {
		strbuf_puts(b, "NULL");
		return;
	}
	if (len < 2) {
		decode_put_addr(b, addr);
		return;
	}
	size_t n = (uint64_t)len < sizeof(u.ss) ? (size_t)len : sizeof(u.ss);
	memset(&u, 0, sizeof(u));
	if (facet_mem_read(t, addr, &u, n) != (ssize_t)n) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{sa_family=");
	xlat_value(b, xlat_sock_families, u.sa.sa_family, "%#llx /* AF_??? */");
	if (n > sizeof(sa_family_t)) {
		char ip[INET6_ADDRSTRLEN];
		size_t path_len = (n < sizeof(u.un) ? n : sizeof(u.un)) - sizeof(sa_family_t);
		switch (u.sa.sa_family) {
		case AF_UNIX:
			strbuf_puts(b, ", sun_path=");
			if (u.un.sun_path[0]) {
				strbuf_quote(b, u.un.sun_path, strnlen(u.un.sun_path, path_len), path_len, 0);
			} else {
				/* Abstract names may hold NULs: all bytes count. */
				strbuf_putc(b, '@');
				strbuf_quote(b, u.un.sun_path + 1, path_len - 1, path_len, 0);
			}
			break;
		case AF_INET:
			if (n < offsetof(struct sockaddr_in, sin_zero))
				break;
			inet_ntop(AF_INET, &u.in.sin_addr, ip, sizeof(ip));
			strbuf_printf(b, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
				      ntohs(u.in.sin_port), ip);
			break;
		case AF_INET6:
			if (n < offsetof(struct sockaddr_in6, sin6_scope_id))
				break;
			inet_ntop(AF_INET6, &u.in6.sin6_addr, ip, sizeof(ip));
			strbuf_printf(b, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u)"
				      ", inet_pton(AF_INET6, \"%s\", &sin6_addr)",
				      ntohs(u.in6.sin6_port), ntohl(u.in6.sin6_flowinfo), ip);
			if (n >= sizeof(u.in6))
				strbuf_printf(b, ", sin6_scope_id=%u", u.in6.sin6_scope_id);
			break;
		case AF_NETLINK:
			if (n < sizeof(u.nl))
				break;
			strbuf_printf(b, ", nl_pid=%d, nl_groups=%#08x", (int)u.nl.nl_pid, u.nl.nl_groups);
			break;
		default:
			strbuf_puts(b, ", sa_data=");
			strbuf_quote(b, u.raw + sizeof(sa_family_t), n - sizeof(sa_family_t), n, 0);
			break;
		}
	}
	strbuf_putc(b, '}');
}

/* "<path>", quoted as strace quotes it, '<' and '>' in octal. */
static void put_path_note(struct strbuf *b, const char *path, size_t n)
{
	strbuf_putc(b, '<');
	strbuf_quote_bare(b, path, n, "<>");
	strbuf_putc(b, '>');
}

/* /proc/TID/fd/N. A path the kernel marked " (deleted)" is shown without
 * the mark, followed by "(deleted)", if it really names another file (or
 * none) now, as strace does. */
void decode_put_fd(struct strbuf *b, struct facet_task *t, int fd, const struct decode_opts *o)
{
	char link[64], path[PATH_MAX + 1];
	static const char deleted[] = " (deleted)";

	strbuf_printf(b, "%d", fd);
	if (!o->fd_paths || !t || fd < 0)
		return;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", facet_task_tid(t), fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return;
	path[n] = '\0';
	bool gone = false;
	size_t dl = sizeof(deleted) - 1;
	struct stat by_fd, by_path;
	if ((size_t)n > dl && strcmp(path + n - dl, deleted) == 0 && stat(link, &by_fd) == 0) {
		path[n - dl] = '\0';
		gone = lstat(path, &by_path) != 0 || by_fd.st_ino != by_path.st_ino ||
		       by_fd.st_dev != by_path.st_dev;
		if (gone)
			n -= (ssize_t)dl;
		else
			path[n - dl] = ' ';
	}
	put_path_note(b, path, (size_t)n);
	if (gone)
		strbuf_puts(b, "(deleted)");
}

/* The dirfd of an *at() call; AT_FDCWD with -y is followed by the task's
 * working directory. */
void decode_put_dirfd(struct strbuf *b, struct facet_task *t, int fd, const struct decode_opts *o)
{
	char link[64], path[PATH_MAX];

	if (fd != XLAT_AT_FDCWD) {
		decode_put_fd(b, t, fd, o);
		return;
	}
	strbuf_puts(b, "AT_FDCWD");
	if (!o->fd_paths || !t)
		return;
	snprintf(link, sizeof(link), "/proc/%d/cwd", facet_task_tid(t));
	ssize_t n = readlink(link, path, sizeof(path));
	if (n >= 0 && (size_t)n < sizeof(path))
		put_path_note(b, path, (size_t)n);
}
