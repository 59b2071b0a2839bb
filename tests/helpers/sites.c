/* sites: path calls made from call sites of the shapes facet's fast mode
 * patches (`mov $nr,%eax; syscall`; for opens also ld.so's
 * `mov $-100,%edi; syscall`, %eax set before), each name twice, so that the second
 * call goes through the in-process runtime where the first patched the
 * site; then whether the sites were patched.
 *
 * Usage: sites [--thread] [--fd0] NAME...   (names relative to the cwd)
 *        sites --early NAME
 *        sites --exec NAME...
 *        sites --write NAME...
 *        sites --up DIR...
 *        sites --in DIR NAME...
 *        sites --syscall NAME...
 *        sites --storm NAME
 * --thread keeps a second thread alive meanwhile: a process with two
 * threads is patched too, its other thread idle.
 * --fd0 closes fd 0 first, and opens each name twice from each open site,
 * nothing else: "fd0 NAME: N N N N", the kernel's lowest free fd being 0.
 *
 * Prints, per name and call: "stat NAME: TYPE SIZE" or "stat NAME: ERRNO",
 * "lstat ...", "open NAME: fd TYPE" or "open NAME: ERRNO" (both open
 * sites agreeing); then "patched: stat=yes|no open=yes|no" (open=yes: both
 * open sites).
 * --exec execs each NAME twice from a site of the patchable shape, printing
 * "exec NAME: ERRNO" (every NAME must fail), then "patched: exec=yes|no".
 * --write, for each NAME from sites of that shape: creates it twice
 * (O_WRONLY|O_CREAT|O_TRUNC, writing "w"), then with O_EXCL, removes it
 * twice (unlink), printing "creat NAME: ok|ERRNO", "excl NAME: ...",
 * "unlink NAME: ..."; after the creations, "waccess NAME: ..." twice
 * (access W_OK); then "patched: open=yes|no unlink=yes|no access=yes|no".
 * --up, for each DIR (opened O_PATH; "fd:N": the inherited fd N) twice
 * from sites of that shape:
 * stat of "..", and the names an open of ".." lists, sorted:
 * "up DIR: links N: NAME NAME..." (or an ERRNO for either); then
 * "patched: stat=yes|no open=yes|no".
 * --in, for each NAME in DIR (as for --up) twice from sites of that shape:
 * "in DIR NAME: ok|ERRNO ok|ERRNO", a stat and an open; then the same
 * "patched:" line.
 * --syscall, for each NAME twice, through glibc's syscall(2) (a site
 * whose number comes from a register, and whose sixth argument from the
 * stack): "syscall NAME: STAT STATX OPEN", each "TYPE SIZE", "fd TYPE
 * FIRST" or an ERRNO; then twice "syscall passed: ok EINVAL" (a call
 * the runtime passes on, with its sixth argument: an anonymous mmap at
 * offset 0, then at 1), and "patched: syscall=yes|no".
 * --storm: threads run a site of a shape that serves every call while
 * it is patched: one makes getpid through it without pause, one forks
 * children that stat NAME through it, while the main thread stats NAME
 * through it until it is patched (at most 200 times); prints "storm NAME:
 * TYPE SIZE TYPE SIZE" (or an ERRNO), the first answer and the last, "storm getpid: ok" (or how many answers were wrong), "storm
 * forks: ok" (or how many children failed) and "patched: storm=yes|no".
 * A thread caught while the site is half written must neither die of
 * the supervisor's int3 nor make a wrong call.
 */
#include <dlfcn.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* long storm_call(long nr, long a0, long a1, long a2, long a3): the number
 * read from the stack at the site, as glibc 2.41's cancellable calls do
 * (`mov disp8(%rsp),%rax; syscall`), so that the site serves every call. */
long storm_call(long nr, long a0, long a1, long a2, long a3);
__asm__(".text\n.globl storm_call\n.type storm_call,@function\nstorm_call:\n"
	"\tpush %rdi\n\tmov %rsi,%rdi\n\tmov %rdx,%rsi\n\tmov %rcx,%rdx\n\tmov %r8,%r10\n"
	".globl storm_site\nstorm_site:\n\t.byte 0x48,0x8b,0x44,0x24,0x00\n\tsyscall\n"
	"\tpop %rdi\n\tret\n");

extern const unsigned char storm_site[], stat_site[], open_site[], open_cwd_site[], exec_site[], unlink_site[], access_site[];

/* newfstatat(dfd, name, st, flags) from a site of the patchable shape. */
__attribute__((noinline)) static long site_stat(long dfd, const char *name, struct stat *st, long flags)
{
	long ret;
	register long r10 __asm__("r10") = flags;
	__asm__ volatile(".globl stat_site\nstat_site:\n\t.byte 0xb8\n\t.long 262\n\tsyscall"
			 : "=a"(ret) : "D"(dfd), "S"(name), "d"(st), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

/* openat(dfd, name, flags, mode), likewise. */
__attribute__((noinline)) static long site_open_mode(long dfd, const char *name, long flags, long mode)
{
	long ret;
	register long r10 __asm__("r10") = mode;
	__asm__ volatile(".globl open_site\nopen_site:\n\t.byte 0xb8\n\t.long 257\n\tsyscall"
			 : "=a"(ret) : "D"(dfd), "S"(name), "d"(flags), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

static long site_open(long dfd, const char *name, long flags)
{
	return site_open_mode(dfd, name, flags, 0);
}

/* unlinkat(AT_FDCWD, name, 0), likewise. */
__attribute__((noinline)) static long site_unlink(const char *name)
{
	long ret;
	__asm__ volatile(".globl unlink_site\nunlink_site:\n\t.byte 0xb8\n\t.long 263\n\tsyscall"
			 : "=a"(ret) : "D"((long)AT_FDCWD), "S"(name), "d"(0L) : "rcx", "r11", "memory");
	return ret;
}

/* access(name, mode), likewise. */
__attribute__((noinline)) static long site_access(const char *name, long mode)
{
	long ret;
	__asm__ volatile(".globl access_site\naccess_site:\n\t.byte 0xb8\n\t.long 21\n\tsyscall"
			 : "=a"(ret) : "D"(name), "S"(mode) : "rcx", "r11", "memory");
	return ret;
}

/* openat(AT_FDCWD, name, flags, 0) from ld.so's and libc's open site:
 * the number set apart from the `mov $-100,%edi; syscall`. */
__attribute__((noinline)) static long site_open_cwd(const char *name, long flags)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("mov $257, %%eax\n\tmov %%rsi, %%rsi\n"
			 ".globl open_cwd_site\nopen_cwd_site:\n\t.byte 0xbf\n\t.long -100\n\tsyscall"
			 : "=a"(ret) : "S"(name), "d"(flags), "r"(r10) : "rdi", "rcx", "r11", "memory");
	return ret;
}

/* execve(name, argv, envp), likewise. */
__attribute__((noinline)) static long site_exec(const char *name, char *const argv[], char *const envp[])
{
	long ret;
	__asm__ volatile(".globl exec_site\nexec_site:\n\t.byte 0xb8\n\t.long 59\n\tsyscall"
			 : "=a"(ret) : "D"(name), "S"(argv), "d"(envp) : "rcx", "r11", "memory");
	return ret;
}

static const char *type(mode_t m)
{
	return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : "other";
}

static void show_stat(const char *what, const char *name, long flags)
{
	struct stat st;
	long r = site_stat(AT_FDCWD, name, &st, flags);
	if (r < 0)
		printf("%s %s: %s\n", what, name, strerrorname_np((int)-r));
	else
		printf("%s %s: %s %lld\n", what, name, type(st.st_mode), S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

/* What an open gave, as show_open() prints it. */
static void describe_open(long fd, char *out, size_t size)
{
	if (fd < 0) {
		snprintf(out, size, "%s", strerrorname_np((int)-fd));
		return;
	}
	struct stat st;
	fstat((int)fd, &st);
	char first[16] = "";
	if (S_ISREG(st.st_mode)) {
		ssize_t n = read((int)fd, first, sizeof(first) - 1);
		first[n > 0 ? n : 0] = '\0';
		first[strcspn(first, "\n")] = '\0';
	}
	snprintf(out, size, "%s %s", type(st.st_mode), first);
	close((int)fd);
}

static void show_open(const char *name, long flags)
{
	char a[64], b[64];
	describe_open(site_open(AT_FDCWD, name, flags), a, sizeof(a));
	describe_open(site_open_cwd(name, flags), b, sizeof(b));
	if (strcmp(a, b))
		printf("open %s: %s, but %s from the other site\n", name, a, b);
	else
		printf("open %s: %s\n", name, a);
}

static int patched(const unsigned char *site)
{
	return site[0] == 0xff && site[1] == 0x24 && site[2] == 0x25;
}

/* Where glibc's syscall(2) makes its call: the 7 bytes before its
 * syscall instruction (NULL if none is found). */
static const unsigned char *syscall_site(void)
{
	const unsigned char *f = dlsym(RTLD_DEFAULT, "syscall");
	for (int i = 5; f && i < 64; i++)
		if (f[i] == 0x0f && f[i + 1] == 0x05)
			return f + i - 5;
	return NULL;
}

static const char *stat_answer(long r, const struct stat *st, char *out, size_t size)
{
	if (r < 0)
		return strerrorname_np((int)-r);
	snprintf(out, size, "%s %lld", type(st->st_mode), S_ISDIR(st->st_mode) ? 0LL : (long long)st->st_size);
	return out;
}

/* syscall(2) returns -1 and sets errno: as the kernel's answer. */
static long raw_answer(long r)
{
	return r < 0 ? -errno : r;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names directory fd lists, sorted, after ": " (fd is consumed). */
static void show_names(long fd)
{
	DIR *d = fd < 0 ? NULL : fdopendir((int)fd);
	if (!d) {
		printf(": %s\n", strerrorname_np(fd < 0 ? (int)-fd : errno));
		return;
	}
	char *names[256];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 256;)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	printf(":");
	for (size_t k = 0; k < n; k++) {
		printf(" %s", names[k]);
		free(names[k]);
	}
	printf("\n");
}

static void *idle(void *arg)
{
	pause();
	return arg;
}

static atomic_int storm_stop, storm_started, storm_bad_pid, storm_bad_fork;

static void *storm_getpid(void *arg)
{
	(void)arg;
	long pid = getpid();
	atomic_store(&storm_started, 1);
	while (!atomic_load(&storm_stop))
		if (storm_call(SYS_getpid, 0, 0, 0, 0) != pid)
			atomic_fetch_add(&storm_bad_pid, 1);
	return NULL;
}

static void *storm_fork(void *arg)
{
	const char *name = arg;
	struct stat want;
	if (stat(name, &want) < 0)
		return NULL;
	while (!atomic_load(&storm_stop)) {
		pid_t c = fork();
		if (c == 0) {
			struct stat st;
			for (int i = 0; i < 4; i++)
				if (storm_call(SYS_newfstatat, AT_FDCWD, (long)name, (long)&st, 0) < 0 ||
				    st.st_ino != want.st_ino)
					_exit(1);
			_exit(0);
		}
		int status;
		if (c < 0 || waitpid(c, &status, 0) != c || !WIFEXITED(status) || WEXITSTATUS(status))
			atomic_fetch_add(&storm_bad_fork, 1);
	}
	return NULL;
}

static int storm(const char *name)
{
	pthread_t g, f;
	pthread_create(&g, NULL, storm_getpid, NULL);
	pthread_create(&f, NULL, storm_fork, (void *)name);
	while (!atomic_load(&storm_started))
		;
	/* The first answer, and the last: a call that finds a thread with
	 * SIGTRAP blocked (glibc's fork blocks every signal) leaves the site
	 * for the next, so calls go on until one was made through the
	 * patched site (at most 200). */
	printf("storm %s:", name);
	for (int round = 0; round < 200; round++) {
		struct stat st;
		bool through = patched(storm_site);
		long r = storm_call(SYS_newfstatat, AT_FDCWD, (long)name, (long)&st, 0);
		if (round > 0 && !through && round < 199)
			continue;
		if (r < 0)
			printf(" %s", strerrorname_np((int)-r));
		else
			printf(" %s %lld", S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
			       (long long)st.st_size);
		if (round > 0)
			break;
	}
	printf("\n");
	usleep(100000);
	atomic_store(&storm_stop, 1);
	pthread_join(g, NULL);
	pthread_join(f, NULL);
	int bp = atomic_load(&storm_bad_pid), bf = atomic_load(&storm_bad_fork);
	printf("storm getpid: %s%.0d\n", bp ? "wrong " : "ok", bp);
	printf("storm forks: %s%.0d\n", bf ? "failed " : "ok", bf);
	printf("patched: storm=%s\n", patched(storm_site) ? "yes" : "no");
	return 0;
}

int main(int argc, char **argv)
{
	/* --early NAME: one stat of NAME, then whether the open sites are
	 * patched already, before any call of theirs: in a second process of
	 * the same program they are (the supervisor patches every site it knows
	 * of a file at the first call from one of them). */
	if (argc == 3 && !strcmp(argv[1], "--early")) {
		struct stat st;
		site_stat(AT_FDCWD, argv[2], &st, 0);
		printf("early: open=%s\n", patched(open_site) && patched(open_cwd_site) ? "yes" : "no");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--exec")) {
		for (int j = 2; j < argc; j++)
			for (int round = 0; round < 2; round++) {
				char *args[] = { argv[j], NULL }, *env[] = { NULL };
				printf("exec %s: %s\n", argv[j], strerrorname_np((int)-site_exec(argv[j], args, env)));
			}
		printf("patched: exec=%s\n", patched(exec_site) ? "yes" : "no");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--write")) {
		for (int j = 2; j < argc; j++) {
			for (int round = 0; round < 2; round++) {
				long fd = site_open_mode(AT_FDCWD, argv[j], O_WRONLY | O_CREAT | O_TRUNC, 0640);
				if (fd >= 0 && (write((int)fd, "w", 1) != 1 || close((int)fd) < 0))
					fd = -EIO;
				printf("creat %s: %s\n", argv[j], fd >= 0 ? "ok" : strerrorname_np((int)-fd));
			}
			for (int round = 0; round < 2; round++) {
				long r = site_access(argv[j], W_OK);
				printf("waccess %s: %s\n", argv[j], r == 0 ? "ok" : strerrorname_np((int)-r));
			}
			long fd = site_open_mode(AT_FDCWD, argv[j], O_WRONLY | O_CREAT | O_EXCL, 0640);
			if (fd >= 0)
				close((int)fd);
			printf("excl %s: %s\n", argv[j], fd >= 0 ? "ok" : strerrorname_np((int)-fd));
			for (int round = 0; round < 2; round++) {
				long r = site_unlink(argv[j]);
				printf("unlink %s: %s\n", argv[j], r == 0 ? "ok" : strerrorname_np((int)-r));
			}
		}
		printf("patched: open=%s unlink=%s access=%s\n", patched(open_site) ? "yes" : "no",
		       patched(unlink_site) ? "yes" : "no", patched(access_site) ? "yes" : "no");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--syscall")) {
		for (int j = 2; j < argc; j++)
			for (int round = 0; round < 2; round++) {
				struct stat st;
				struct statx stx;
				char a[64], b[64], c[64];
				long r = raw_answer(syscall(SYS_newfstatat, AT_FDCWD, argv[j], &st, 0));
				long x = raw_answer(syscall(SYS_statx, AT_FDCWD, argv[j], 0, STATX_BASIC_STATS, &stx));
				struct stat from_x = { .st_mode = stx.stx_mode, .st_size = (off_t)stx.stx_size };
				describe_open(raw_answer(syscall(SYS_openat, AT_FDCWD, argv[j], O_RDONLY | O_CLOEXEC)), c,
					      sizeof(c));
				printf("syscall %s: %s %s %s\n", argv[j], stat_answer(r, &st, a, sizeof(a)),
				       stat_answer(x, &from_x, b, sizeof(b)), c);
			}
		for (int round = 0; round < 2; round++) {
			const char *got[2];
			for (long off = 0; off < 2; off++) {
				long m = raw_answer(syscall(SYS_mmap, NULL, 4096L, (long)PROT_READ,
							    (long)(MAP_PRIVATE | MAP_ANONYMOUS), -1L, off));
				if (m >= 0)
					munmap((void *)m, 4096);
				got[off] = m >= 0 ? "ok" : strerrorname_np((int)-m);
			}
			printf("syscall passed: %s %s\n", got[0], got[1]);
		}
		const unsigned char *site = syscall_site();
		printf("patched: syscall=%s\n", site && patched(site) ? "yes" : "no");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--storm"))
		return storm(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "--up")) {
		for (int j = 2; j < argc; j++) {
			bool inherited = !strncmp(argv[j], "fd:", 3);
			int dir = inherited ? atoi(argv[j] + 3) : open(argv[j], O_PATH | O_DIRECTORY | O_CLOEXEC);
			for (int round = 0; round < 2; round++) {
				struct stat st;
				long r = site_stat(dir, "..", &st, 0);
				printf("up %s: ", argv[j]);
				if (r < 0)
					printf("%s", strerrorname_np((int)-r));
				else
					printf("links %lu", (unsigned long)st.st_nlink);
				show_names(site_open(dir, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
			}
			if (!inherited)
				close(dir);
		}
		printf("patched: stat=%s open=%s\n", patched(stat_site) ? "yes" : "no", patched(open_site) ? "yes" : "no");
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--in")) {
		bool inherited = !strncmp(argv[2], "fd:", 3);
		int dir = inherited ? atoi(argv[2] + 3) : open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
		for (int j = 3; j < argc; j++)
			for (int round = 0; round < 2; round++) {
				struct stat st;
				long r = site_stat(dir, argv[j], &st, 0);
				long fd = site_open(dir, argv[j], O_RDONLY | O_CLOEXEC);
				if (fd >= 0)
					close((int)fd);
				printf("in %s %s: %s %s\n", argv[2], argv[j], r < 0 ? strerrorname_np((int)-r) : "ok",
				       fd < 0 ? strerrorname_np((int)-fd) : "ok");
			}
		printf("patched: stat=%s open=%s\n", patched(stat_site) ? "yes" : "no", patched(open_site) ? "yes" : "no");
		return 0;
	}
	int i = 1, fd0 = 0;
	if (i < argc && !strcmp(argv[i], "--thread")) {
		pthread_t th;
		pthread_create(&th, NULL, idle, NULL);
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--fd0")) {
		fd0 = i++;
		close(0);
	}
	for (int j = i; fd0 && j < argc; j++) {
		long fds[4];
		for (int k = 0; k < 4; k++) {
			fds[k] = k < 2 ? site_open(AT_FDCWD, argv[j], O_RDONLY) : site_open_cwd(argv[j], O_RDONLY);
			if (fds[k] >= 0)
				close((int)fds[k]);
		}
		printf("fd0 %s: %ld %ld %ld %ld\n", argv[j], fds[0], fds[1], fds[2], fds[3]);
	}
	for (i = fd0 ? argc : i; i < argc; i++)
		for (int round = 0; round < 2; round++) {
			show_stat("stat", argv[i], 0);
			show_stat("lstat", argv[i], AT_SYMLINK_NOFOLLOW);
			show_open(argv[i], O_RDONLY | O_CLOEXEC);
		}
	/* Bad pointers: EFAULT from the runtime as from the kernel (twice: the
	 * second through the patched site). */
	for (int round = 0; round < 2 && !fd0; round++) {
		struct stat st;
		long r = site_stat(AT_FDCWD, (const char *)1, &st, 0);
		long o = site_open(AT_FDCWD, (const char *)-4096L, O_RDONLY);
		long c = site_open_cwd((const char *)-4096L, O_RDONLY);
		printf("bad pointers: %s %s%s\n", strerrorname_np((int)-r), strerrorname_np((int)-o),
		       c == o ? "" : " (not so from the other open site)");
	}
	const char *open = patched(open_site) && patched(open_cwd_site)	  ? "yes"
			   : patched(open_site) || patched(open_cwd_site) ? "one of two sites"
									  : "no";
	printf("patched: stat=%s open=%s\n", patched(stat_site) ? "yes" : "no", open);
	return 0;
}
