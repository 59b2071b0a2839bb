/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tables of kernel constants for the trace engine. The numbers are written
 * out rather than taken from libc headers, because the headers disagree with
 * the kernel (O_LARGEFILE) or lack recent names, and a trace shows what the
 * kernel saw. Only names that strace 6.1 prints are listed, so that the two
 * traces can be compared line by line.
 */
#include "engines/trace/xlat.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#define END { 0, NULL }

const char *xlat_lookup(const struct xlat *table, uint64_t value)
{
	for (const struct xlat *x = table; x->name; x++)
		if (x->value == value)
			return x->name;
	return NULL;
}

void xlat_flags_dflt(struct strbuf *b, const struct xlat *table, uint64_t value,
		     const char *zero_name, const char *dflt)
{
	if (value == 0) {
		const char *name = zero_name ? zero_name : xlat_lookup(table, 0);
		strbuf_puts(b, name ? name : "0");
		return;
	}

	uint64_t left = value;
	bool any = false;
	for (const struct xlat *x = table; x->name && left; x++) {
		if (x->value == 0 || (left & x->value) != x->value)
			continue;
		if (any)
			strbuf_putc(b, '|');
		strbuf_puts(b, x->name);
		left &= ~x->value;
		any = true;
	}
	if (!left)
		return;
	if (any)
		strbuf_printf(b, "|%#llx", (unsigned long long)left);
	else if (dflt)
		strbuf_printf(b, "%#llx /* %s */", (unsigned long long)left, dflt);
	else
		strbuf_printf(b, "%#llx", (unsigned long long)left);
}

void xlat_flags(struct strbuf *b, const struct xlat *table, uint64_t value, const char *zero_name)
{
	xlat_flags_dflt(b, table, value, zero_name, NULL);
}

void xlat_value(struct strbuf *b, const struct xlat *table, uint64_t value, const char *fallback_fmt)
{
	const char *name = xlat_lookup(table, value);
	if (name)
		strbuf_puts(b, name);
	else
		strbuf_printf(b, fallback_fmt ? fallback_fmt : "%#llx", (unsigned long long)value);
}

void xlat_print_open_flags(struct strbuf *b, uint64_t flags)
{
	strbuf_puts(b, xlat_lookup(xlat_open_access, flags & XLAT_O_ACCMODE));
	flags &= ~(uint64_t)XLAT_O_ACCMODE;
	if (flags) {
		strbuf_putc(b, '|');
		xlat_flags(b, xlat_open_flags, flags, NULL);
	}
}

void xlat_print_mode(struct strbuf *b, unsigned mode)
{
	const unsigned ifmt = 0170000, suid = 04000, sgid = 02000, svtx = 01000;
	const char *type = (mode & ifmt) ? xlat_lookup(xlat_mode_types, mode & ifmt) : NULL;

	if ((mode & ifmt) && !type) {
		strbuf_printf(b, "%#03o", mode);
		return;
	}
	if (type)
		strbuf_printf(b, "%s|", type);
	if (mode & suid)
		strbuf_puts(b, "S_ISUID|");
	if (mode & sgid)
		strbuf_puts(b, "S_ISGID|");
	if (mode & svtx)
		strbuf_puts(b, "S_ISVTX|");
	strbuf_printf(b, "%#03o", mode & ~(ifmt | suid | sgid | svtx));
}

void xlat_print_mmap_flags(struct strbuf *b, uint64_t flags)
{
	uint64_t huge = flags & ((uint64_t)XLAT_MAP_HUGE_MASK << XLAT_MAP_HUGE_SHIFT);
	uint64_t rest = flags & ~(uint64_t)XLAT_MAP_TYPE & ~huge;

	xlat_value(b, xlat_mmap_flags, flags & XLAT_MAP_TYPE, "%#llx /* MAP_??? */");
	if (rest) {
		strbuf_putc(b, '|');
		xlat_flags(b, xlat_mmap_flags, rest, NULL);
	}
	if (huge)
		strbuf_printf(b, "|%u<<MAP_HUGE_SHIFT", (unsigned)(huge >> XLAT_MAP_HUGE_SHIFT));
}

void xlat_print_sock_type(struct strbuf *b, uint32_t type)
{
	const char *name = xlat_lookup(xlat_sock_types, type & 0xf);
	if (name) {
		strbuf_puts(b, name);
		type &= ~0xfu;
		if (!type)
			return;
		strbuf_putc(b, '|');
	}
	xlat_flags_dflt(b, xlat_sock_type_flags, type, NULL, "SOCK_???");
}

void xlat_print_statx_flags(struct strbuf *b, uint32_t flags)
{
	xlat_flags(b, xlat_statx_sync, flags & XLAT_AT_STATX_SYNC_TYPE, NULL);
	flags &= ~(uint32_t)XLAT_AT_STATX_SYNC_TYPE;
	if (flags) {
		strbuf_putc(b, '|');
		xlat_flags(b, xlat_at_flags, flags, NULL);
	}
}

/* Built once at load time so that lookups return stable pointers and need
 * no locking. glibc calls 29 POLL and counts real-time signals from its own
 * SIGRTMIN; strace, and so this, from the kernel's 32. */
#define SIG_NAMES_MAX 64
static char sig_names[SIG_NAMES_MAX + 1][16];

__attribute__((constructor)) static void init_sig_names(void)
{
	for (int sig = 1; sig <= SIG_NAMES_MAX; sig++) {
		const char *abbrev = sig < 32 ? sigabbrev_np(sig) : NULL;
		if (sig == SIGIO)
			abbrev = "IO";
		if (abbrev)
			snprintf(sig_names[sig], sizeof(sig_names[sig]), "SIG%s", abbrev);
		else if (sig == 32)
			snprintf(sig_names[sig], sizeof(sig_names[sig]), "SIGRTMIN");
		else if (sig > 32)
			snprintf(sig_names[sig], sizeof(sig_names[sig]), "SIGRT_%d", sig - 32);
	}
}

const char *xlat_signal_name(int sig)
{
	if (sig < 1 || sig > SIG_NAMES_MAX || !sig_names[sig][0])
		return NULL;
	return sig_names[sig];
}

void xlat_print_signal(struct strbuf *b, int sig)
{
	const char *name = xlat_signal_name(sig);
	if (name)
		strbuf_puts(b, name);
	else
		strbuf_printf(b, "%d", sig);
}

void xlat_print_clone_flags(struct strbuf *b, uint64_t flags)
{
	int sig = (int)(flags & XLAT_CSIGNAL);

	flags &= ~(uint64_t)XLAT_CSIGNAL;
	if (flags)
		xlat_flags_dflt(b, xlat_clone_flags, flags, NULL, "CLONE_???");
	if (flags && sig)
		strbuf_putc(b, '|');
	if (sig || !flags)
		xlat_print_signal(b, sig);
}

void xlat_print_wait_status(struct strbuf *b, int s)
{
	if (!WIFSTOPPED(s) && !WIFSIGNALED(s) && !WIFEXITED(s) && !WIFCONTINUED(s)) {
		strbuf_printf(b, "[%#x]", (unsigned)s);
		return;
	}
	strbuf_puts(b, "[{");
	if (WIFSTOPPED(s)) {
		int sig = WSTOPSIG(s);
		strbuf_puts(b, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		xlat_print_signal(b, sig & 0x7f);
		if (sig & 0x80)
			strbuf_puts(b, " | 0x80");
		s &= ~((sig << 8) | 0x7f);
	} else if (WIFSIGNALED(s)) {
		strbuf_puts(b, "WIFSIGNALED(s) && WTERMSIG(s) == ");
		xlat_print_signal(b, WTERMSIG(s));
		if (WCOREDUMP(s))
			strbuf_puts(b, " && WCOREDUMP(s)");
		s &= ~0xff;
	} else if (WIFEXITED(s)) {
		strbuf_printf(b, "WIFEXITED(s) && WEXITSTATUS(s) == %d", WEXITSTATUS(s));
		s &= ~0xff00;
	} else {
		strbuf_puts(b, "WIFCONTINUED(s)");
		s &= ~0xffff;
	}
	strbuf_putc(b, '}');
	/* What is left is a ptrace event in the high half. */
	if (s)
		strbuf_printf(b, " | %#x", (unsigned)s);
	strbuf_putc(b, ']');
}

const struct xlat xlat_open_access[] = {
	{ 00, "O_RDONLY" }, { 01, "O_WRONLY" }, { 02, "O_RDWR" }, { 03, "O_ACCMODE" },
	END
};

const struct xlat xlat_open_flags[] = {
	{ 0100, "O_CREAT" },
	{ 0200, "O_EXCL" },
	{ 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },
	{ 04000, "O_NONBLOCK" },
	/* O_SYNC is __O_SYNC|O_DSYNC: first, so that it is named as such. */
	{ 04010000, "O_SYNC" },
	{ 04000000, "__O_SYNC" },
	{ 010000, "O_DSYNC" },
	{ 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" },
	{ 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" },
	/* Likewise O_TMPFILE is __O_TMPFILE|O_DIRECTORY. */
	{ 020200000, "O_TMPFILE" },
	{ 020000000, "__O_TMPFILE" },
	{ 0200000, "O_DIRECTORY" },
	{ 020000, "FASYNC" },
	END
};

const struct xlat xlat_at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" },
	{ 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" },
	{ 0x8000, "AT_RECURSIVE" },
	END
};

const struct xlat xlat_faccessat_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" },
	{ 0x200, "AT_EACCESS" },
	{ 0x1000, "AT_EMPTY_PATH" },
	END
};

const struct xlat xlat_statx_sync[] = {
	{ 0x0000, "AT_STATX_SYNC_AS_STAT" },
	{ 0x2000, "AT_STATX_FORCE_SYNC" },
	{ 0x4000, "AT_STATX_DONT_SYNC" },
	END
};

const struct xlat xlat_dirfd[] = {
	{ (uint64_t)(int64_t)XLAT_AT_FDCWD, "AT_FDCWD" },
	END
};

const struct xlat xlat_access_modes[] = {
	{ 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" },
	END
};

const struct xlat xlat_statx_mask[] = {
	{ 0x00000fff, "STATX_ALL" },
	{ 0x000007ff, "STATX_BASIC_STATS" },
	{ 0x00000001, "STATX_TYPE" },
	{ 0x00000002, "STATX_MODE" },
	{ 0x00000004, "STATX_NLINK" },
	{ 0x00000008, "STATX_UID" },
	{ 0x00000010, "STATX_GID" },
	{ 0x00000020, "STATX_ATIME" },
	{ 0x00000040, "STATX_MTIME" },
	{ 0x00000080, "STATX_CTIME" },
	{ 0x00000100, "STATX_INO" },
	{ 0x00000200, "STATX_SIZE" },
	{ 0x00000400, "STATX_BLOCKS" },
	{ 0x00000800, "STATX_BTIME" },
	{ 0x00001000, "STATX_MNT_ID" },
	{ 0x00002000, "STATX_DIOALIGN" },
	END
};

const struct xlat xlat_statx_attrs[] = {
	{ 0x00000004, "STATX_ATTR_COMPRESSED" },
	{ 0x00000010, "STATX_ATTR_IMMUTABLE" },
	{ 0x00000020, "STATX_ATTR_APPEND" },
	{ 0x00000040, "STATX_ATTR_NODUMP" },
	{ 0x00000800, "STATX_ATTR_ENCRYPTED" },
	{ 0x00001000, "STATX_ATTR_AUTOMOUNT" },
	{ 0x00002000, "STATX_ATTR_MOUNT_ROOT" },
	{ 0x00100000, "STATX_ATTR_VERITY" },
	{ 0x00200000, "STATX_ATTR_DAX" },
	END
};

const struct xlat xlat_mode_types[] = {
	{ 0140000, "S_IFSOCK" },
	{ 0120000, "S_IFLNK" },
	{ 0100000, "S_IFREG" },
	{ 0060000, "S_IFBLK" },
	{ 0040000, "S_IFDIR" },
	{ 0020000, "S_IFCHR" },
	{ 0010000, "S_IFIFO" },
	END
};

const struct xlat xlat_mmap_prot[] = {
	{ 0x0, "PROT_NONE" },
	{ 0x1, "PROT_READ" },
	{ 0x2, "PROT_WRITE" },
	{ 0x4, "PROT_EXEC" },
	{ 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" },
	{ 0x02000000, "PROT_GROWSUP" },
	END
};

/* One table for the mapping type (low nibble, looked up as a value, where
 * 0 is MAP_FILE) and the flags, as in strace. */
const struct xlat xlat_mmap_flags[] = {
	{ 0x1, "MAP_SHARED" },
	{ 0x2, "MAP_PRIVATE" },
	{ 0x3, "MAP_SHARED_VALIDATE" },
	{ 0x10, "MAP_FIXED" },
	{ 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" },
	{ 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" },
	{ 0x10000, "MAP_NONBLOCK" },
	{ 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" },
	{ 0x0, "MAP_FILE" },
	{ 0x2000, "MAP_LOCKED" },
	{ 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" },
	END
};

/* clone3 takes the same flags and three more, printed after them. */
#define CLONE_FLAG_ROWS \
	{ 0x00000100, "CLONE_VM" }, \
	{ 0x00000200, "CLONE_FS" }, \
	{ 0x00000400, "CLONE_FILES" }, \
	{ 0x00000800, "CLONE_SIGHAND" }, \
	{ 0x00001000, "CLONE_PIDFD" }, \
	{ 0x00002000, "CLONE_PTRACE" }, \
	{ 0x00004000, "CLONE_VFORK" }, \
	{ 0x00008000, "CLONE_PARENT" }, \
	{ 0x00010000, "CLONE_THREAD" }, \
	{ 0x00020000, "CLONE_NEWNS" }, \
	{ 0x00040000, "CLONE_SYSVSEM" }, \
	{ 0x00080000, "CLONE_SETTLS" }, \
	{ 0x00100000, "CLONE_PARENT_SETTID" }, \
	{ 0x00200000, "CLONE_CHILD_CLEARTID" }, \
	{ 0x00800000, "CLONE_UNTRACED" }, \
	{ 0x01000000, "CLONE_CHILD_SETTID" }, \
	{ 0x02000000, "CLONE_NEWCGROUP" }, \
	{ 0x04000000, "CLONE_NEWUTS" }, \
	{ 0x08000000, "CLONE_NEWIPC" }, \
	{ 0x10000000, "CLONE_NEWUSER" }, \
	{ 0x20000000, "CLONE_NEWPID" }, \
	{ 0x40000000, "CLONE_NEWNET" }, \
	{ 0x80000000, "CLONE_IO" }

const struct xlat xlat_clone_flags[] = {
	CLONE_FLAG_ROWS,
	END
};

const struct xlat xlat_clone3_flags[] = {
	CLONE_FLAG_ROWS,
	{ 0x00000080, "CLONE_NEWTIME" },
	{ 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
	{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
	END
};

const struct xlat xlat_whence[] = {
	{ 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" },
	{ 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" },
	END
};

const struct xlat xlat_fcntl_cmds[] = {
	{ 0, "F_DUPFD" },
	{ 1, "F_GETFD" },
	{ 2, "F_SETFD" },
	{ 3, "F_GETFL" },
	{ 4, "F_SETFL" },
	{ 5, "F_GETLK" },
	{ 6, "F_SETLK" },
	{ 7, "F_SETLKW" },
	{ 8, "F_SETOWN" },
	{ 9, "F_GETOWN" },
	{ 10, "F_SETSIG" },
	{ 11, "F_GETSIG" },
	/* Not valid on 64-bit kernels, but strace names them anyway. */
	{ 12, "F_GETLK64" },
	{ 13, "F_SETLK64" },
	{ 14, "F_SETLKW64" },
	{ 15, "F_SETOWN_EX" },
	{ 16, "F_GETOWN_EX" },
	{ 17, "F_GETOWNER_UIDS" },
	{ 36, "F_OFD_GETLK" },
	{ 37, "F_OFD_SETLK" },
	{ 38, "F_OFD_SETLKW" },
	{ 1024, "F_SETLEASE" },
	{ 1025, "F_GETLEASE" },
	{ 1026, "F_NOTIFY" },
	{ 1029, "F_CANCELLK" },
	{ 1030, "F_DUPFD_CLOEXEC" },
	{ 1031, "F_SETPIPE_SZ" },
	{ 1032, "F_GETPIPE_SZ" },
	{ 1033, "F_ADD_SEALS" },
	{ 1034, "F_GET_SEALS" },
	END
};

const struct xlat xlat_fd_flags[] = {
	{ 1, "FD_CLOEXEC" },
	END
};

const struct xlat xlat_seals[] = {
	{ 0x01, "F_SEAL_SEAL" },
	{ 0x02, "F_SEAL_SHRINK" },
	{ 0x04, "F_SEAL_GROW" },
	{ 0x08, "F_SEAL_WRITE" },
	{ 0x10, "F_SEAL_FUTURE_WRITE" },
	END
};

const struct xlat xlat_lock_types[] = {
	{ 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" },
	{ 4, "F_EXLCK" }, { 8, "F_SHLCK" },
	END
};

const struct xlat xlat_dn_flags[] = {
	{ 0x1, "DN_ACCESS" }, { 0x2, "DN_MODIFY" }, { 0x4, "DN_CREATE" },
	{ 0x8, "DN_DELETE" }, { 0x10, "DN_RENAME" }, { 0x20, "DN_ATTRIB" },
	{ 0x80000000, "DN_MULTISHOT" },
	END
};

const struct xlat xlat_sock_families[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 3, "AF_AX25" },
	{ 4, "AF_IPX" }, { 5, "AF_APPLETALK" }, { 6, "AF_NETROM" }, { 7, "AF_BRIDGE" },
	{ 8, "AF_ATMPVC" }, { 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" },
	{ 12, "AF_DECnet" }, { 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" }, { 15, "AF_KEY" },
	{ 16, "AF_NETLINK" }, { 17, "AF_PACKET" }, { 18, "AF_ASH" }, { 19, "AF_ECONET" },
	{ 20, "AF_ATMSVC" }, { 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" },
	{ 24, "AF_PPPOX" }, { 25, "AF_WANPIPE" }, { 26, "AF_LLC" }, { 27, "AF_IB" },
	{ 28, "AF_MPLS" }, { 29, "AF_CAN" }, { 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" },
	{ 32, "AF_IUCV" }, { 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" },
	{ 36, "AF_IEEE802154" }, { 37, "AF_CAIF" }, { 38, "AF_ALG" }, { 39, "AF_NFC" },
	{ 40, "AF_VSOCK" }, { 41, "AF_KCM" }, { 42, "AF_QIPCRTR" }, { 43, "AF_SMC" },
	{ 44, "AF_XDP" }, { 45, "AF_MCTP" },
	END
};

const struct xlat xlat_sock_types[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" }, { 10, "SOCK_PACKET" },
	END
};

const struct xlat xlat_sock_type_flags[] = {
	{ 02000000, "SOCK_CLOEXEC" },
	{ 04000, "SOCK_NONBLOCK" },
	END
};

const struct xlat xlat_ip_protocols[] = {
	{ 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" },
	{ 4, "IPPROTO_IPIP" }, { 6, "IPPROTO_TCP" }, { 8, "IPPROTO_EGP" },
	{ 12, "IPPROTO_PUP" }, { 17, "IPPROTO_UDP" }, { 22, "IPPROTO_IDP" },
	{ 29, "IPPROTO_TP" }, { 33, "IPPROTO_DCCP" }, { 41, "IPPROTO_IPV6" },
	{ 46, "IPPROTO_RSVP" }, { 47, "IPPROTO_GRE" }, { 50, "IPPROTO_ESP" },
	{ 51, "IPPROTO_AH" }, { 58, "IPPROTO_ICMPV6" }, { 92, "IPPROTO_MTP" },
	{ 94, "IPPROTO_BEETPH" }, { 98, "IPPROTO_ENCAP" }, { 103, "IPPROTO_PIM" },
	{ 108, "IPPROTO_COMP" }, { 115, "IPPROTO_L2TP" }, { 132, "IPPROTO_SCTP" },
	{ 136, "IPPROTO_UDPLITE" }, { 137, "IPPROTO_MPLS" }, { 143, "IPPROTO_ETHERNET" },
	{ 255, "IPPROTO_RAW" }, { 262, "IPPROTO_MPTCP" },
	END
};

const struct xlat xlat_netlink_protocols[] = {
	{ 0, "NETLINK_ROUTE" }, { 1, "NETLINK_UNUSED" }, { 2, "NETLINK_USERSOCK" },
	{ 3, "NETLINK_FIREWALL" }, { 4, "NETLINK_SOCK_DIAG" }, { 5, "NETLINK_NFLOG" },
	{ 6, "NETLINK_XFRM" }, { 7, "NETLINK_SELINUX" }, { 8, "NETLINK_ISCSI" },
	{ 9, "NETLINK_AUDIT" }, { 10, "NETLINK_FIB_LOOKUP" }, { 11, "NETLINK_CONNECTOR" },
	{ 12, "NETLINK_NETFILTER" }, { 13, "NETLINK_IP6_FW" }, { 14, "NETLINK_DNRTMSG" },
	{ 15, "NETLINK_KOBJECT_UEVENT" }, { 16, "NETLINK_GENERIC" },
	{ 18, "NETLINK_SCSITRANSPORT" }, { 19, "NETLINK_ECRYPTFS" }, { 20, "NETLINK_RDMA" },
	{ 21, "NETLINK_CRYPTO" }, { 22, "NETLINK_SMC" },
	END
};

const struct xlat xlat_rename_flags[] = {
	{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" }, { 4, "RENAME_WHITEOUT" },
	END
};

const struct xlat xlat_resolve_flags[] = {
	{ 0x01, "RESOLVE_NO_XDEV" },
	{ 0x02, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, "RESOLVE_NO_SYMLINKS" },
	{ 0x08, "RESOLVE_BENEATH" },
	{ 0x10, "RESOLVE_IN_ROOT" },
	{ 0x20, "RESOLVE_CACHED" },
	END
};

/* WUNTRACED and WSTOPPED are the same bit; strace names it WSTOPPED. */
const struct xlat xlat_wait_options[] = {
	{ 0x1, "WNOHANG" },
	{ 0x4, "WEXITED" },
	{ 0x2, "WSTOPPED" },
	{ 0x8, "WCONTINUED" },
	{ 0x01000000, "WNOWAIT" },
	{ 0x80000000, "__WCLONE" },
	{ 0x40000000, "__WALL" },
	{ 0x20000000, "__WNOTHREAD" },
	END
};

const struct xlat xlat_kernel_errnos[] = {
	{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
	{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
	{ 518, "EOPENSTALE" }, { 519, "ENOPARAM" }, { 521, "EBADHANDLE" },
	{ 522, "ENOTSYNC" }, { 523, "EBADCOOKIE" }, { 524, "ENOTSUPP" },
	{ 525, "ETOOSMALL" }, { 526, "ESERVERFAULT" }, { 527, "EBADTYPE" },
	{ 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" }, { 530, "ERECALLCONFLICT" },
	{ 531, "ENOGRACE" },
	END
};

const struct xlat xlat_restart_codes[] = {
	{ 512, "ERESTARTSYS (To be restarted if SA_RESTART is set)" },
	{ 513, "ERESTARTNOINTR (To be restarted)" },
	{ 514, "ERESTARTNOHAND (To be restarted if no handler)" },
	{ 516, "ERESTART_RESTARTBLOCK (Interrupted by signal)" },
	END
};

const struct xlat xlat_sigprocmask_cmds[] = {
	{ 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" },
	END
};

const struct xlat xlat_sa_handlers[] = {
	{ (uint64_t)-1, "SIG_ERR" }, { 0, "SIG_DFL" }, { 1, "SIG_IGN" },
	END
};

/* x86-64 values. SA_NOMASK and SA_ONESHOT are other names of SA_NODEFER
 * and SA_RESETHAND, which strace prints. */
const struct xlat xlat_sigact_flags[] = {
	{ 0x04000000, "SA_RESTORER" },
	{ 0x08000000, "SA_ONSTACK" },
	{ 0x10000000, "SA_RESTART" },
	{ 0x20000000, "SA_INTERRUPT" },
	{ 0x40000000, "SA_NODEFER" },
	{ 0x80000000, "SA_RESETHAND" },
	{ 0x00000004, "SA_SIGINFO" },
	{ 0x00000001, "SA_NOCLDSTOP" },
	{ 0x00000002, "SA_NOCLDWAIT" },
	END
};

/* si_code: the values every signal may have, then those of one signal.
 * Negative codes are stored as their 64-bit two's complement. */
#define NEG(x) ((uint64_t)(int64_t)(x))
const struct xlat xlat_si_codes[] = {
	{ 0, "SI_USER" }, { 0x80, "SI_KERNEL" }, { NEG(-1), "SI_QUEUE" },
	{ NEG(-2), "SI_TIMER" }, { NEG(-3), "SI_MESGQ" }, { NEG(-4), "SI_ASYNCIO" },
	{ NEG(-5), "SI_SIGIO" }, { NEG(-6), "SI_TKILL" }, { NEG(-7), "SI_DETHREAD" },
	{ NEG(-60), "SI_ASYNCNL" }, { 32767, "SI_NOINFO" },
	END
};

const struct xlat xlat_sigchld_codes[] = {
	{ 1, "CLD_EXITED" }, { 2, "CLD_KILLED" }, { 3, "CLD_DUMPED" },
	{ 4, "CLD_TRAPPED" }, { 5, "CLD_STOPPED" }, { 6, "CLD_CONTINUED" },
	END
};

const struct xlat xlat_sigsegv_codes[] = {
	{ 1, "SEGV_MAPERR" }, { 2, "SEGV_ACCERR" }, { 3, "SEGV_BNDERR" },
	{ 4, "SEGV_PKUERR" }, { 5, "SEGV_ACCADI" }, { 6, "SEGV_ADIDERR" },
	{ 7, "SEGV_ADIPERR" }, { 8, "SEGV_MTEAERR" }, { 9, "SEGV_MTESERR" },
	END
};

const struct xlat xlat_sigbus_codes[] = {
	{ 1, "BUS_ADRALN" }, { 2, "BUS_ADRERR" }, { 3, "BUS_OBJERR" },
	{ 4, "BUS_MCEERR_AR" }, { 5, "BUS_MCEERR_AO" },
	END
};

const struct xlat xlat_sigill_codes[] = {
	{ 1, "ILL_ILLOPC" }, { 2, "ILL_ILLOPN" }, { 3, "ILL_ILLADR" }, { 4, "ILL_ILLTRP" },
	{ 5, "ILL_PRVOPC" }, { 6, "ILL_PRVREG" }, { 7, "ILL_COPROC" }, { 8, "ILL_BADSTK" },
	{ 9, "ILL_BADIADDR" },
	END
};

const struct xlat xlat_sigfpe_codes[] = {
	{ 1, "FPE_INTDIV" }, { 2, "FPE_INTOVF" }, { 3, "FPE_FLTDIV" }, { 4, "FPE_FLTOVF" },
	{ 5, "FPE_FLTUND" }, { 6, "FPE_FLTRES" }, { 7, "FPE_FLTINV" }, { 8, "FPE_FLTSUB" },
	{ 14, "FPE_FLTUNK" }, { 15, "FPE_CONDTRAP" },
	END
};

const struct xlat xlat_sigtrap_codes[] = {
	{ 1, "TRAP_BRKPT" }, { 2, "TRAP_TRACE" }, { 3, "TRAP_BRANCH" },
	{ 4, "TRAP_HWBKPT" }, { 5, "TRAP_UNK" }, { 6, "TRAP_PERF" },
	END
};

const struct xlat xlat_sigpoll_codes[] = {
	{ 1, "POLL_IN" }, { 2, "POLL_OUT" }, { 3, "POLL_MSG" },
	{ 4, "POLL_ERR" }, { 5, "POLL_PRI" }, { 6, "POLL_HUP" },
	END
};

const struct xlat xlat_sigsys_codes[] = {
	{ 1, "SYS_SECCOMP" }, { 2, "SYS_USER_DISPATCH" },
	END
};

const struct xlat xlat_audit_arch[] = {
	{ 0xc000003e, "AUDIT_ARCH_X86_64" }, { 0x40000003, "AUDIT_ARCH_I386" },
	END
};
