/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and writing tracee memory with process_vm_readv/writev: one system
 * call per transfer, no ptrace stop needed, and EFAULT exactly where the
 * tracee itself would fault. */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "core/internal.h"

#define PAGE 4096u

static ssize_t vm_xfer(pid_t tid, uint64_t addr, void *buf, size_t len, bool write)
{
	if (len == 0)
		return 0;
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n = write ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
			  : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return n;
}

ssize_t facet_mem_read(struct facet_task *t, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = vm_xfer(t->tid, addr, buf, len, false);
	return n >= 0 && (size_t)n < len ? -EFAULT : n;
}

ssize_t facet_mem_write(struct facet_task *t, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = vm_xfer(t->tid, addr, (void *)buf, len, true);
	return n >= 0 && (size_t)n < len ? -EFAULT : n;
}

ssize_t facet_mem_read_string(struct facet_task *t, uint64_t addr, char *buf, size_t size)
{
	if (size == 0)
		return -ENAMETOOLONG;
	if (addr == 0)
		return -EFAULT;
	size_t got = 0;
	/* Read up to each page boundary so an unmapped next page does not fail
	 * a string that ends before it. */
	while (got < size) {
		size_t chunk = PAGE - (size_t)((addr + got) % PAGE);
		if (chunk > size - got)
			chunk = size - got;
		ssize_t n = vm_xfer(t->tid, addr + got, buf + got, chunk, false);
		if (n <= 0)
			return n < 0 ? n : -EFAULT;
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}
