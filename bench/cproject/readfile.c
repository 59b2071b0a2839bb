/* Feed a file (or stdin) through an algorithm in fixed-size chunks. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fsum.h"

#define CHUNK 65536

int fsum_file(const struct fsum_algo *a, const char *path, uint64_t *out, uint64_t *len)
{
	static unsigned char buf[CHUNK];
	int fd = 0;
	uint64_t st, total = 0;

	if (!(path[0] == '-' && path[1] == '\0')) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	a->init(&st);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (fd)
				close(fd);
			return -e;
		}
		if (n == 0)
			break;
		a->update(&st, buf, (size_t)n);
		total += (uint64_t)n;
	}
	if (fd)
		close(fd);
	*out = a->final(&st, total);
	*len = total;
	return 0;
}

uint64_t fsum_buffer(const struct fsum_algo *a, const void *buf, size_t len)
{
	uint64_t st;
	a->init(&st);
	a->update(&st, buf, len);
	return a->final(&st, len);
}
