/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error reporting. The name table holds arrays, not pointers, so that it
 * needs no relocation in the static PIE. */
#include <linux/errno.h>

#include "loader/fail.h"
#include "loader/lib.h"
#include "sys.h"

struct errname {
	unsigned short nr;
	char name[14];
};

#define E(e) { e, #e }
/* The errors the loader's calls can return. */
static const struct errname errnames[] = {
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
	E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(ENAMETOOLONG),
	E(ENOSYS), E(ELOOP), E(EOVERFLOW), E(ELIBBAD), E(EPROTO), E(EOPNOTSUPP),
	E(ESTALE), E(EDQUOT),
};
#undef E

void loader_fail(const char *what, const char *name, const char *step, long err)
{
	char num[21];
	const char *errstr = NULL;
	for (unsigned i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].nr == -err)
			errstr = errnames[i].name;
	if (!errstr)
		errstr = loader_decimal(num, (unsigned long)-err);

	struct iovec iov[9];
	int n = 0;
#define PUT(s) (iov[n].iov_base = (void *)(s), iov[n].iov_len = loader_strlen(s), n++)
	PUT("facet: loader: ");
	PUT(what);
	if (name) {
		PUT(" ");
		PUT(name);
	}
	if (step) {
		PUT(": ");
		PUT(step);
	}
	PUT(": ");
	PUT(errstr);
	PUT("\n");
#undef PUT
	sys_writev(2, iov, n);
	sys_exit_group(127);
}
