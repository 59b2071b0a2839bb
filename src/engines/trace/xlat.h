/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Constant and flag tables, as data, and the functions that print them the
 * way strace does: two generic ones (xlat_flags, xlat_value) and printers
 * for the values that are made of several fields.
 *
 * A table is an array of { value, "NAME" } ended by { 0, NULL }. Values are
 * the kernel's (x86-64 UAPI), not the C library's: glibc defines O_LARGEFILE
 * as 0 on 64-bit, for one, while the kernel reports 0100000.
 *
 * For flag tables the order is the order names are printed in, and it
 * matters: an entry whose value has several bits (O_SYNC, STATX_ALL) must
 * come before its parts so that it is chosen; the order follows strace 6.1.
 */
#ifndef FACET_TRACE_XLAT_H
#define FACET_TRACE_XLAT_H

#include <stdint.h>

#include "util/strbuf.h"

struct xlat {
	uint64_t value;
	const char *name;
};

/* The name of `value`, or NULL. */
const char *xlat_lookup(const struct xlat *table, uint64_t value);

/* Flags: "A|B|0x40", each name printed at most once and its bits cleared,
 * leftover bits in hex. 0 prints zero_name, else the table's entry of value 0
 * if it has one, else "0". */
void xlat_flags(struct strbuf *b, const struct xlat *table, uint64_t value, const char *zero_name);

/* The same, but when no name matched at all the value is printed as strace
 * prints unknown flags: in hex, followed by dflt (e.g. "AT_???") inside a C
 * comment. dflt NULL behaves like xlat_flags. */
void xlat_flags_dflt(struct strbuf *b, const struct xlat *table, uint64_t value,
		     const char *zero_name, const char *dflt);

/* A single value: its name, or else fallback_fmt, a printf format taking one
 * unsigned long long (strace writes unknown values as the hex value followed
 * by a "SEEK_???" comment); NULL means "%#llx". */
void xlat_value(struct strbuf *b, const struct xlat *table, uint64_t value, const char *fallback_fmt);

/* open(2) flags: the access mode first, always ("O_RDONLY", "O_ACCMODE" for
 * 3), then the other flags. */
void xlat_print_open_flags(struct strbuf *b, uint64_t flags);
/* A st_mode: "S_IFDIR|S_ISVTX|0777". */
void xlat_print_mode(struct strbuf *b, unsigned mode);
/* mmap flags: the mapping type by value, the flags, the huge page size. */
void xlat_print_mmap_flags(struct strbuf *b, uint64_t flags);
/* socket(2) type: "SOCK_STREAM|SOCK_CLOEXEC". */
void xlat_print_sock_type(struct strbuf *b, uint32_t type);
/* statx(2) flags: the sync type, named even when 0, then AT_* flags. */
void xlat_print_statx_flags(struct strbuf *b, uint32_t flags);

/* "SIGINT" (strace's names: SIGIO, SIGRTMIN = 32, SIGRT_n = 32 + n), or NULL. */
const char *xlat_signal_name(int sig);
/* A signal number: its name, or the number ("0" for none). */
void xlat_print_signal(struct strbuf *b, int sig);
/* clone(2) flags, the exit signal in the low byte last: "CLONE_VM|SIGCHLD"
 * (unknown bits alone: in hex, with a CLONE_??? comment). */
void xlat_print_clone_flags(struct strbuf *b, uint64_t flags);
/* A wait(2) status: "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]". */
void xlat_print_wait_status(struct strbuf *b, int status);

/* Kernel values that the decoders test directly. */
#define XLAT_O_ACCMODE   03
#define XLAT_O_CREAT     0100
#define XLAT___O_TMPFILE 020000000
#define XLAT_AT_FDCWD    (-100)
#define XLAT_AT_STATX_SYNC_TYPE 0x6000
#define XLAT_MAP_TYPE    0x0f
#define XLAT_MAP_HUGE_SHIFT 26
#define XLAT_MAP_HUGE_MASK  0x3f
#define XLAT_CSIGNAL     0xff

extern const struct xlat xlat_open_access[];   /* O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE */
extern const struct xlat xlat_open_flags[];    /* O_CREAT ... FASYNC */
extern const struct xlat xlat_at_flags[];      /* AT_SYMLINK_NOFOLLOW ... */
extern const struct xlat xlat_faccessat_flags[];/* AT_EACCESS shares AT_REMOVEDIR's bit */
extern const struct xlat xlat_statx_sync[];    /* AT_STATX_SYNC_AS_STAT ... */
extern const struct xlat xlat_dirfd[];         /* AT_FDCWD */
extern const struct xlat xlat_access_modes[];  /* R_OK|W_OK|X_OK, F_OK */
extern const struct xlat xlat_statx_mask[];    /* STATX_* */
extern const struct xlat xlat_statx_attrs[];   /* STATX_ATTR_* */
extern const struct xlat xlat_mode_types[];    /* S_IFREG ... */
extern const struct xlat xlat_mmap_prot[];     /* PROT_* */
extern const struct xlat xlat_mmap_flags[];    /* MAP_* (type and flags) */
extern const struct xlat xlat_clone_flags[];   /* CLONE_* */
extern const struct xlat xlat_clone3_flags[];  /* CLONE_*, and clone3's own */
extern const struct xlat xlat_whence[];        /* SEEK_* */
extern const struct xlat xlat_fcntl_cmds[];    /* F_* */
extern const struct xlat xlat_fd_flags[];      /* FD_CLOEXEC */
extern const struct xlat xlat_seals[];         /* F_SEAL_* */
extern const struct xlat xlat_lock_types[];    /* F_RDLCK ... */
extern const struct xlat xlat_dn_flags[];      /* DN_* (F_NOTIFY) */
extern const struct xlat xlat_sock_families[]; /* AF_* */
extern const struct xlat xlat_sock_types[];    /* SOCK_STREAM ... */
extern const struct xlat xlat_sock_type_flags[];/* SOCK_CLOEXEC, SOCK_NONBLOCK */
extern const struct xlat xlat_ip_protocols[];  /* IPPROTO_* */
extern const struct xlat xlat_netlink_protocols[]; /* NETLINK_* */
extern const struct xlat xlat_rename_flags[];  /* RENAME_* */
extern const struct xlat xlat_resolve_flags[]; /* RESOLVE_* (openat2) */
extern const struct xlat xlat_wait_options[];  /* WNOHANG ... */
extern const struct xlat xlat_kernel_errnos[]; /* ERESTARTSYS ...: errno names glibc lacks */
extern const struct xlat xlat_restart_codes[]; /* 512 -> "ERESTARTSYS (To be restarted ...)" */
extern const struct xlat xlat_sigprocmask_cmds[]; /* SIG_BLOCK ... */
extern const struct xlat xlat_sa_handlers[];   /* SIG_DFL, SIG_IGN, SIG_ERR */
extern const struct xlat xlat_sigact_flags[];  /* SA_* */
extern const struct xlat xlat_si_codes[];      /* SI_USER ...: any signal's si_code */
extern const struct xlat xlat_sigchld_codes[]; /* CLD_* */
extern const struct xlat xlat_sigsegv_codes[]; /* SEGV_* */
extern const struct xlat xlat_sigbus_codes[];  /* BUS_* */
extern const struct xlat xlat_sigill_codes[];  /* ILL_* */
extern const struct xlat xlat_sigfpe_codes[];  /* FPE_* */
extern const struct xlat xlat_sigtrap_codes[]; /* TRAP_* */
extern const struct xlat xlat_sigpoll_codes[]; /* POLL_* (SIGIO) */
extern const struct xlat xlat_sigsys_codes[];  /* SYS_SECCOMP ... */
extern const struct xlat xlat_audit_arch[];    /* AUDIT_ARCH_* */

#endif
