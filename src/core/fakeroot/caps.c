/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Capabilities under fake root (fakeroot.h): the five sets and the
 * securebits of each task, changed by the rules of kernel/capability.c
 * and security/commoncap.c (capabilities(7)): capget and capset, the
 * bounding and ambient sets and the securebits through prctl, and what a
 * change of uids or an exec does to the sets. None of it is real: the
 * tree's real capabilities stay the real user's.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"

/* Securebits newer than the build machine's headers (Linux 6.14). */
#ifndef SECURE_EXEC_RESTRICT_FILE
#define SECURE_EXEC_RESTRICT_FILE 8
#define SECURE_EXEC_DENY_INTERACTIVE 10
#endif
#define ALL_BITS                                                                                          \
	(issecure_mask(SECURE_NOROOT) | issecure_mask(SECURE_NO_SETUID_FIXUP) | issecure_mask(SECURE_KEEP_CAPS) | \
	 issecure_mask(SECURE_NO_CAP_AMBIENT_RAISE) | issecure_mask(SECURE_EXEC_RESTRICT_FILE) |             \
	 issecure_mask(SECURE_EXEC_DENY_INTERACTIVE))
#define ALL_LOCKS (ALL_BITS << 1)
/* Bits a program may set on itself without CAP_SETPCAP (user space's own
 * restrictions, 6.14), and their locks. */
#define UNPRIVILEGED                                                                            \
	((issecure_mask(SECURE_EXEC_RESTRICT_FILE) | issecure_mask(SECURE_EXEC_DENY_INTERACTIVE)) * 3)

#define BIT(c) (1ull << (c))
/* What fsuid 0 means (the kernel's CAP_FS_SET). */
#define FS_SET                                                                                      \
	(BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_FOWNER) | \
	 BIT(CAP_FSETID) | BIT(CAP_MAC_OVERRIDE) | BIT(CAP_LINUX_IMMUTABLE))

static uint64_t cap_all(struct facet_task *t)
{
	return t->session->vs->fr->cap_all;
}

static bool valid(struct facet_task *t, uint64_t cap)
{
	return cap < 64 && (cap_all(t) & BIT(cap));
}

void fakeroot_caps_fix_setuid(struct fake_ids *now, const struct fake_ids *old, enum fake_setid how)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (how == FAKE_SETID_FS) {
		if (old->fsuid == 0 && now->fsuid != 0)
			now->cap_eff &= ~FS_SET;
		if (old->fsuid != 0 && now->fsuid == 0)
			now->cap_eff |= now->cap_prm & FS_SET;
		return;
	}
	bool was_root = !old->ruid || !old->euid || !old->suid;
	bool is_root = !now->ruid || !now->euid || !now->suid;
	if (was_root && !is_root) {
		if (!(old->securebits & SECBIT_KEEP_CAPS))
			now->cap_prm = now->cap_eff = 0;
		/* so that setresuid to non-root and an exec still drop them */
		now->cap_amb = 0;
	}
	if (old->euid == 0 && now->euid != 0)
		now->cap_eff = 0;
	if (old->euid != 0 && now->euid == 0)
		now->cap_eff = now->cap_prm;
}

void fakeroot_caps_exec(struct fake_ids *ids, bool setid)
{
	/* The program has no file capabilities (none are emulated); root's
	 * are its bounding and inheritable sets, effective for euid 0. */
	bool root = !(ids->securebits & SECBIT_NOROOT);
	uint64_t prm = 0;
	if (root && (ids->euid == 0 || ids->ruid == 0))
		prm = ids->cap_bnd | ids->cap_inh;
	if (setid)
		ids->cap_amb = 0;
	ids->cap_prm = prm | ids->cap_amb;
	ids->cap_eff = root && ids->euid == 0 ? ids->cap_prm : ids->cap_amb;
	ids->securebits &= ~(unsigned)SECBIT_KEEP_CAPS;
}

/* The header's version: how many __user_cap_data_struct follow, or
 * -EINVAL with the version the kernel prefers written back. */
static int64_t cap_version(struct facet_task *t, uint64_t header, unsigned *n)
{
	uint32_t version;
	if (facet_mem_read(t, header, &version, sizeof(version)) != sizeof(version))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*n = _LINUX_CAPABILITY_U32S_1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*n = _LINUX_CAPABILITY_U32S_3;
		return 0;
	}
	version = _LINUX_CAPABILITY_VERSION_3;
	if (facet_mem_write(t, header, &version, sizeof(version)) != sizeof(version))
		return -EFAULT;
	return -EINVAL;
}

static int64_t cap_pid(struct facet_task *t, uint64_t header, int32_t *pid)
{
	return facet_mem_read(t, header + 4, pid, sizeof(*pid)) == sizeof(*pid) ? 0 : -EFAULT;
}

/* Another process's sets, as the kernel has them (it is not the tree's). */
static int64_t real_caps(pid_t pid, uint64_t *e, uint64_t *p, uint64_t *i)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = pid };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*e = d[0].effective | (uint64_t)d[1].effective << 32;
	*p = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*i = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

int64_t fakeroot_capget(struct facet_task *t, uint64_t header, uint64_t data)
{
	unsigned n;
	int32_t pid;
	int64_t r = cap_version(t, header, &n);
	if (!data || r < 0)
		return !data && r == -EINVAL ? 0 : r; /* a query of the version */
	if ((r = cap_pid(t, header, &pid)) < 0)
		return r;
	if (pid < 0)
		return -EINVAL;
	uint64_t e = 0, p = 0, i = 0;
	struct facet_task *who = pid && pid != t->tid ? task_find(t->session, pid) : t;
	if (who) {
		const struct fake_ids *ids = fakeroot_ids_of(who);
		e = ids->cap_eff, p = ids->cap_prm, i = ids->cap_inh;
	} else if ((r = real_caps(pid, &e, &p, &i)) < 0) {
		return r;
	}
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)e, (uint32_t)p, (uint32_t)i },
		{ (uint32_t)(e >> 32), (uint32_t)(p >> 32), (uint32_t)(i >> 32) },
	};
	ssize_t len = (ssize_t)(n * sizeof(d[0])); /* version 1: the low 32 only */
	return facet_mem_write(t, data, d, (size_t)len) == len ? 0 : -EFAULT;
}

int64_t fakeroot_capset(struct facet_task *t, uint64_t header, uint64_t data)
{
	unsigned n;
	int32_t pid;
	int64_t r = cap_version(t, header, &n);
	if (r < 0 || (r = cap_pid(t, header, &pid)) < 0)
		return r;
	if (pid != 0 && pid != t->tid)
		return -EPERM; /* only the caller's own */
	struct __user_cap_data_struct d[2] = { 0 };
	ssize_t len = (ssize_t)(n * sizeof(d[0]));
	if (facet_mem_read(t, data, d, (size_t)len) != len)
		return -EFAULT;
	uint64_t all = cap_all(t);
	uint64_t e = (d[0].effective | (uint64_t)d[1].effective << 32) & all;
	uint64_t p = (d[0].permitted | (uint64_t)d[1].permitted << 32) & all;
	uint64_t i = (d[0].inheritable | (uint64_t)d[1].inheritable << 32) & all;
	struct fake_ids *ids = fakeroot_ids_of(t);
	/* Inheritable: within permitted without CAP_SETPCAP, within the
	 * bounding set always; permitted only shrinks; effective within it. */
	if (!(ids->cap_eff & BIT(CAP_SETPCAP)) && (i & ~(ids->cap_inh | ids->cap_prm)))
		return -EPERM;
	if ((i & ~(ids->cap_inh | ids->cap_bnd)) || (p & ~ids->cap_prm) || (e & ~p))
		return -EPERM;
	ids->cap_eff = e;
	ids->cap_prm = p;
	ids->cap_inh = i;
	ids->cap_amb &= p & i; /* ambient only what is both */
	return 0;
}

static int64_t set_securebits(struct fake_ids *ids, uint64_t bits)
{
	uint64_t old = ids->securebits;
	if ((((old & ALL_LOCKS) >> 1) & (old ^ bits)) || /* a locked bit changes */
	    (old & ALL_LOCKS & ~bits) ||                /* a lock goes */
	    (bits & ~(uint64_t)(ALL_LOCKS | ALL_BITS)))  /* a bit the kernel lacks */
		return -EPERM;
	/* Without CAP_SETPCAP only user space's own bits, and not nothing. */
	if (!(ids->cap_eff & BIT(CAP_SETPCAP)) && (old == bits || ((old ^ bits) & ~(uint64_t)UNPRIVILEGED)))
		return -EPERM;
	ids->securebits = (unsigned)bits;
	return 0;
}

static int64_t ambient(struct facet_task *t, struct fake_ids *ids, const uint64_t *a)
{
	if (a[1] == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (a[2] | a[3] | a[4])
			return -EINVAL;
		ids->cap_amb = 0;
		return 0;
	}
	if (!valid(t, a[2]) || a[3] || a[4])
		return -EINVAL;
	uint64_t bit = BIT(a[2]);
	switch (a[1]) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(ids->cap_amb & bit);
	case PR_CAP_AMBIENT_RAISE:
		if (!(ids->cap_prm & bit) || !(ids->cap_inh & bit) || (ids->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		ids->cap_amb |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		ids->cap_amb &= ~bit;
		return 0;
	}
	return -EINVAL;
}

int64_t fakeroot_prctl(struct facet_task *t, const uint64_t args[6], bool *native)
{
	struct fake_ids *ids = fakeroot_ids_of(t);
	uint64_t arg2 = args[1];
	*native = false;
	switch ((int)args[0]) {
	case PR_CAPBSET_READ:
		return valid(t, arg2) ? !!(ids->cap_bnd & BIT(arg2)) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!(ids->cap_eff & BIT(CAP_SETPCAP)))
			return -EPERM;
		if (!valid(t, arg2))
			return -EINVAL;
		ids->cap_bnd &= ~BIT(arg2);
		return 0;
	case PR_SET_SECUREBITS:
		return set_securebits(ids, arg2);
	case PR_GET_SECUREBITS:
		return ids->securebits;
	case PR_GET_KEEPCAPS:
		return !!(ids->securebits & SECBIT_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		if (ids->securebits & SECBIT_KEEP_CAPS_LOCKED)
			return -EPERM;
		ids->securebits = arg2 ? ids->securebits | SECBIT_KEEP_CAPS : ids->securebits & ~(unsigned)SECBIT_KEEP_CAPS;
		return 0;
	case PR_CAP_AMBIENT:
		return ambient(t, ids, args);
	default:
		*native = true; /* nothing to do with credentials: the kernel's */
		return 0;
	}
}
