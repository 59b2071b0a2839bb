/* fake-sites: what a program sees of fake root's record (facet -0) through
 * the calls the in-process runtime answers with it, each made from a call
 * site of the shape fast mode patches (`mov $nr,%eax; syscall`), twice, so
 * that the second call goes through the runtime where the first patched the
 * site. Built static too (helper-fake-sites-static): no libc of the
 * program's that the runtime could lean on.
 *
 * Usage: fake-sites NAME...   (names in the cwd)
 *
 * Prints, per round and name, "stat NAME: UID:GID MODE MAJ:MIN SIZE" for
 * stat, lstat, newfstatat, statx and fstat of an O_PATH fd (MODE in octal,
 * type included; SIZE only for regular files and devices), then the cwd's
 * entries, "dirent NAME: TYPE" (d_type, sorted by name); then whether each
 * site was patched, whether the record is mapped in the process
 * ("record: mapped" or "record: absent", from /proc/self/maps), and the
 * fds the process holds ("fds: 0 1 2 ..."), which must be the same in every
 * mode: the runtime's own fd for the record is never left open.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* One call from a site of the patchable shape: `mov $nr,%eax; syscall`. */
#define SITE(name, nr)                                                                                  \
	extern const unsigned char name##_site[];                                                       \
	__attribute__((noinline)) static long name##_call(long a, long b, long c, long d, long e)       \
	{                                                                                               \
		long ret;                                                                               \
		register long r10 __asm__("r10") = d;                                                   \
		register long r8 __asm__("r8") = e;                                                     \
		__asm__ volatile(".globl " #name "_site\n" #name "_site:\n\t.byte 0xb8\n\t.long " #nr   \
				 "\n\tsyscall"                                                          \
				 : "=a"(ret)                                                            \
				 : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)                            \
				 : "rcx", "r11", "memory");                                             \
		return ret;                                                                             \
	}

SITE(stat, 4)
SITE(fstat, 5)
SITE(lstat, 6)
SITE(getdents, 217)
SITE(newfstatat, 262)
SITE(statx, 332)

static void show(const char *what, const char *name, long r, unsigned uid, unsigned gid, unsigned mode,
		 unsigned maj, unsigned min, long long size)
{
	if (r < 0) {
		printf("%s %s: %s\n", what, name, strerrorname_np((int)-r));
		return;
	}
	printf("%s %s: %u:%u %06o %u:%u", what, name, uid, gid, mode, maj, min);
	if (S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode))
		printf(" %lld", size);
	printf("\n");
}

static void show_stat(const char *what, const char *name, long r, const struct stat *st)
{
	show(what, name, r, st->st_uid, st->st_gid, st->st_mode, major(st->st_rdev), minor(st->st_rdev),
	     (long long)st->st_size);
}

static void stats(const char *name)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	show_stat("stat", name, stat_call((long)name, (long)&st, 0, 0, 0), &st);
	show_stat("lstat", name, lstat_call((long)name, (long)&st, 0, 0, 0), &st);
	show_stat("newfstatat", name, newfstatat_call(AT_FDCWD, (long)name, (long)&st, AT_SYMLINK_NOFOLLOW, 0), &st);
	struct statx sx;
	memset(&sx, 0, sizeof(sx));
	long r = statx_call(AT_FDCWD, (long)name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, (long)&sx);
	show("statx", name, r, sx.stx_uid, sx.stx_gid, sx.stx_mode, sx.stx_rdev_major, sx.stx_rdev_minor,
	     (long long)sx.stx_size);
	int fd = open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	r = fd < 0 ? fd : fstat_call(fd, (long)&st, 0, 0, 0);
	show_stat("fstat", name, r, &st);
	r = fd < 0 ? fd : newfstatat_call(fd, (long)"", (long)&st, AT_EMPTY_PATH, 0);
	show_stat("fstatat-empty", name, r, &st);
	if (fd >= 0)
		close(fd);
}

/* The kernel's struct linux_dirent64 (glibc's dirent64 has a fixed-size name). */
struct dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct entry {
	char name[256];
	unsigned type;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* The cwd's entries from the getdents64 site, a small buffer so that it
 * takes several calls. */
static void dirents(void)
{
	static struct entry e[512];
	size_t n = 0;
	int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char buf[512] __attribute__((aligned(8)));
	long len;
	while (fd >= 0 && (len = getdents_call(fd, (long)buf, sizeof(buf), 0, 0)) > 0)
		for (long off = 0; off < len;) {
			struct dirent64_head *d = (struct dirent64_head *)(buf + off);
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && n < 512) {
				snprintf(e[n].name, sizeof(e[n].name), "%s", d->d_name);
				e[n++].type = d->d_type;
			}
			off += d->d_reclen;
		}
	if (fd >= 0)
		close(fd);
	qsort(e, n, sizeof(e[0]), by_name);
	for (size_t i = 0; i < n; i++)
		printf("dirent %s: %u\n", e[i].name, e[i].type);
}

static const char *patched(const unsigned char *site)
{
	return site[0] == 0xff && site[1] == 0x24 && site[2] == 0x25 ? "yes" : "no";
}

/* fake root's record, mapped read-only at a fixed address (src/rt/owners.h). */
static const char *record(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	const char *r = "absent";
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "05100000-", 9) && strstr(line, " r--s "))
			r = "mapped";
	if (f)
		fclose(f);
	return r;
}

static void fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int list[64], n = 0, self = d ? dirfd(d) : -1;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != self && n < 64)
			list[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (list[j] < list[i]) {
				int t = list[i];
				list[i] = list[j];
				list[j] = t;
			}
	printf("fds:");
	for (int i = 0; i < n; i++)
		printf(" %d", list[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int round = 0; round < 2; round++) {
		for (int i = 1; i < argc; i++)
			stats(argv[i]);
		dirents();
	}
	printf("patched: stat=%s lstat=%s newfstatat=%s statx=%s fstat=%s getdents=%s\n", patched(stat_site),
	       patched(lstat_site), patched(newfstatat_site), patched(statx_site), patched(fstat_site),
	       patched(getdents_site));
	printf("record: %s\n", record());
	fds();
	return 0;
}
