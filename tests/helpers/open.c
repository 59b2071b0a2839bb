/* open: one openat(2), and what it gave, for the tests of engines' decisions.
 *
 * Usage: helper-open [-D DIR] [-p] [-n] [-w] [-c] PATH
 *
 *   -D DIR   open the directory DIR as fd 9 first (an engine may rewrite
 *            the dirfd to it); the call itself uses AT_FDCWD
 *   -p       O_PATH          -n  O_NONBLOCK
 *   -w       O_WRONLY        -c  O_CREAT (mode 0640)
 *
 * Prints one line, "open PATH = FD kind KIND ino INO content TEXT" (TEXT:
 * the first line read from FD, "-" if none could be read), or
 * "open PATH = -ERRNO NAME" if the call failed. The fd is left open.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
	return S_ISREG(m) ? "reg" : S_ISDIR(m) ? "dir" : S_ISFIFO(m) ? "fifo" : S_ISCHR(m) ? "chr" : "other";
}

int main(int argc, char **argv)
{
	int flags = O_RDONLY, opt;
	while ((opt = getopt(argc, argv, "D:pnwc")) != -1) {
		switch (opt) {
		case 'D': {
			int d = open(optarg, O_RDONLY | O_DIRECTORY);
			if (d < 0 || dup2(d, 9) < 0) {
				perror(optarg);
				return 2;
			}
			break;
		}
		case 'p': flags |= O_PATH; break;
		case 'n': flags |= O_NONBLOCK; break;
		case 'w': flags = (flags & ~O_ACCMODE) | O_WRONLY; break;
		case 'c': flags |= O_CREAT; break;
		default:
			fputs("usage: helper-open [-D DIR] [-p] [-n] [-w] [-c] PATH\n", stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs("usage: helper-open [-D DIR] [-p] [-n] [-w] [-c] PATH\n", stderr);
		return 2;
	}
	const char *path = argv[optind];
	long fd = syscall(SYS_openat, AT_FDCWD, path, flags, 0640);
	if (fd < 0) {
		printf("open %s = -%d %s\n", path, errno, strerrorname_np(errno));
		return 0;
	}
	struct stat st;
	if (fstat((int)fd, &st) < 0) {
		printf("open %s = %ld kind - ino - content -\n", path, fd);
		return 0;
	}
	char buf[128] = "-";
	ssize_t n = (flags & O_ACCMODE) == O_WRONLY ? -1 : read((int)fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
	} else {
		strcpy(buf, "-");
	}
	printf("open %s = %ld kind %s ino %lu content %s\n", path, fd, kind(st.st_mode), (unsigned long)st.st_ino, buf);
	return 0;
}
