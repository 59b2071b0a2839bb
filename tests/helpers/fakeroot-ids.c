/* fakeroot-ids: the identity calls as root or as another user sees them,
 * for tests/integration/fakeroot-ids.sh (under facet -0 and -i UID:GID).
 * Raw system calls throughout: glibc's set*id would make every thread
 * call them, and the per-thread case wants one.
 *
 * Usage: helper-fakeroot-ids MODE
 *
 *   root   starts as uid 0 with root's capabilities and groups [0] (as
 *          root logs in; natively: setpriv --groups=0): getters, setgroups,
 *          capget/capset (versions 1 and 3), the capability prctls,
 *          seteuid and setfsuid transitions, dropping root with and
 *          without PR_SET_KEEPCAPS (then EPERM), ambient capabilities
 *          across exec, a fork and a thread's own credentials
 *   user   starts as a uid other than 0 with no capabilities: EPERM
 *   show   prints "uid R E S FS gid R E S FS caps EFF PRM INH BND AMB"
 *          (hex), from the getters, capget and /proc/self/status
 *
 * Prints one line per failed check and "N checks, M failed"; exits 1 if
 * any failed. Run natively as root (setpriv --groups=0) and as a user, it
 * passes too: its expectations are the kernel's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIT(c) (1ull << (c))
#define FS_SET                                                                                      \
	(BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_FOWNER) | \
	 BIT(CAP_FSETID) | BIT(CAP_MAC_OVERRIDE) | BIT(CAP_LINUX_IMMUTABLE))

static int checks, failed;
static const char *self;

/* `got` and `want` as numbers; errors as -errno. */
#define CHECK(name, got, want)                                                                          \
	do {                                                                                                \
		long long g_ = (got), w_ = (want);                                                          \
		checks++;                                                                                   \
		if (g_ != w_) {                                                                             \
			failed++;                                                                           \
			printf("FAIL %s (line %d): got %lld (%#llx), want %lld (%#llx)\n", name, __LINE__, g_, \
			       (unsigned long long)g_, w_, (unsigned long long)w_);                         \
		}                                                                                           \
	} while (0)

static long sys(long r)
{
	return r < 0 ? -errno : r;
}

struct caps { uint64_t eff, prm, inh; };

static long capget_v(uint32_t version, struct caps *c)
{
	struct __user_cap_header_struct h = { version, 0 };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	long r = sys(syscall(SYS_capget, &h, d));
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return r;
}

static struct caps caps_now(void)
{
	struct caps c;
	if (capget_v(_LINUX_CAPABILITY_VERSION_3, &c) < 0)
		memset(&c, 0xff, sizeof(c));
	return c;
}

static long capset3(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return sys(syscall(SYS_capset, &h, d));
}

/* A line of /proc/self/status ("Uid:", "CapAmb:"...), its text after the tab. */
static void status_line(const char *file, const char *key, char *out, size_t size)
{
	char line[512];
	snprintf(out, size, "?");
	FILE *f = fopen(file, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, size, "%s", line + strlen(key) + 1);
			break;
		}
	fclose(f);
}

static uint64_t status_hex(const char *key)
{
	char v[64];
	status_line("/proc/thread-self/status", key, v, sizeof(v));
	return strtoull(v, NULL, 16);
}

/* Every capability root has: the bounding set it starts with (under
 * facet -0 every capability of the kernel, which the test checks). */
static uint64_t root_caps;

static uint64_t all_caps(void)
{
	return root_caps;
}

static void ids(uid_t u[3], gid_t g[3])
{
	syscall(SYS_getresuid, &u[0], &u[1], &u[2]);
	syscall(SYS_getresgid, &g[0], &g[1], &g[2]);
}

static int show(void)
{
	uid_t u[3];
	gid_t g[3];
	ids(u, g);
	/* setfsuid with an invalid id changes nothing and says the fsuid */
	long fsu = syscall(SYS_setfsuid, -1), fsg = syscall(SYS_setfsgid, -1);
	struct caps c = caps_now();
	printf("uid %u %u %u %ld gid %u %u %u %ld caps %llx %llx %llx %llx %llx\n", u[0], u[1], u[2], fsu, g[0],
	       g[1], g[2], fsg, (unsigned long long)c.eff, (unsigned long long)c.prm, (unsigned long long)c.inh,
	       (unsigned long long)status_hex("CapBnd:"), (unsigned long long)status_hex("CapAmb:"));
	return 0;
}

/* Runs f in a child and counts its checks' failures as one. */
static void in_child(const char *name, void (*f)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		f();
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(name, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), 0);
}

/* The program again in `show` mode, in a child: its line, into buf. */
static void exec_show(char *buf, size_t size)
{
	int p[2];
	buf[0] = '\0';
	if (pipe(p) < 0)
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(self, self, "show", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	ssize_t n = read(p[0], buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	close(p[0]);
	waitpid(pid, NULL, 0);
}

static void getters_as_root(void)
{
	uid_t u[3] = { 9, 9, 9 };
	gid_t g[3] = { 9, 9, 9 }, list[8];
	ids(u, g);
	CHECK("getresuid", u[0] | u[1] | u[2], 0);
	CHECK("getresgid", g[0] | g[1] | g[2], 0);
	CHECK("getresuid EFAULT", sys(syscall(SYS_getresuid, &u[0], (void *)8, &u[2])), -EFAULT);
	CHECK("getgroups count", sys(syscall(SYS_getgroups, 0, NULL)), 1);
	CHECK("getgroups", sys(syscall(SYS_getgroups, 8, list)), 1);
	CHECK("getgroups [0]", list[0], 0);
	CHECK("getgroups -1", sys(syscall(SYS_getgroups, -1, list)), -EINVAL);
	CHECK("getgroups EFAULT", sys(syscall(SYS_getgroups, 8, (void *)8)), -EFAULT);
}

static void groups_as_root(void)
{
	gid_t set[3] = { 50, 30, 40 }, list[8];
	CHECK("setgroups", sys(syscall(SYS_setgroups, 3, set)), 0);
	CHECK("getgroups after", sys(syscall(SYS_getgroups, 8, list)), 3);
	CHECK("groups sorted", list[0] * 10000 + list[1] * 100 + list[2], 304050);
	CHECK("getgroups too small", sys(syscall(SYS_getgroups, 2, list)), -EINVAL);
	CHECK("setgroups too many", sys(syscall(SYS_setgroups, 65537, set)), -EINVAL);
	CHECK("setgroups EFAULT", sys(syscall(SYS_setgroups, 2, (void *)8)), -EFAULT);
	CHECK("setgroups none", sys(syscall(SYS_setgroups, 0, NULL)), 0);
	CHECK("getgroups none", sys(syscall(SYS_getgroups, 0, NULL)), 0);
}

static void capget_versions(void)
{
	uint64_t all = all_caps();
	struct caps c;
	CHECK("capget v3", capget_v(_LINUX_CAPABILITY_VERSION_3, &c), 0);
	CHECK("root CapEff", c.eff, all);
	CHECK("root CapPrm", c.prm, all);
	CHECK("root CapInh", c.inh, 0);
	CHECK("capget v1", capget_v(_LINUX_CAPABILITY_VERSION_1, &c), 0);
	CHECK("v1: low 32 only", c.eff, all & 0xffffffffu);
	struct __user_cap_header_struct h = { 0x12345678, 0 };
	struct __user_cap_data_struct d[2];
	CHECK("capget bad version", sys(syscall(SYS_capget, &h, d)), -EINVAL);
	CHECK("preferred version", h.version, _LINUX_CAPABILITY_VERSION_3);
	h.version = 1;
	CHECK("version query", sys(syscall(SYS_capget, &h, NULL)), 0);
	CHECK("queried version", h.version, _LINUX_CAPABILITY_VERSION_3);
	h = (struct __user_cap_header_struct){ _LINUX_CAPABILITY_VERSION_3, -1 };
	CHECK("capget pid -1", sys(syscall(SYS_capget, &h, d)), -EINVAL);
	h.pid = getppid() == 1 ? 2 : getppid();
	CHECK("capset other pid", sys(syscall(SYS_capset, &h, d)), -EPERM);
	h.pid = (int)syscall(SYS_gettid);
	CHECK("capget own tid", sys(syscall(SYS_capget, &h, d)), 0);
}

static void capset_and_prctl(void)
{
	uint64_t all = all_caps(), raw = BIT(CAP_NET_RAW);
	CHECK("capset drop eff", capset3(all & ~raw, all, 0), 0);
	CHECK("after drop", caps_now().eff, all & ~raw);
	CHECK("capset raise eff", capset3(all, all, 0), 0);
	CHECK("ambient needs inh", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0)), -EPERM);
	CHECK("capset inh", capset3(all, all, raw), 0);
	CHECK("ambient raise", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0)), 0);
	CHECK("ambient is set", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0)), 1);
	CHECK("status CapAmb", status_hex("CapAmb:"), raw);
	CHECK("ambient bad cap", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 63, 0, 0)), -EINVAL);
	CHECK("ambient bad arg", sys(prctl(PR_CAP_AMBIENT, 99, CAP_NET_RAW, 0, 0)), -EINVAL);
	CHECK("capset inh off", capset3(all, all, 0), 0);
	CHECK("ambient follows inh", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0)), 0);
	CHECK("capset drop prm", capset3(all & ~BIT(CAP_SYS_TIME), all & ~BIT(CAP_SYS_TIME), 0), 0);
	CHECK("prm cannot grow", capset3(all, all, 0), -EPERM);
	CHECK("eff within prm", capset3(all, all & ~BIT(CAP_SYS_TIME), 0), -EPERM);
	CHECK("bset read", sys(prctl(PR_CAPBSET_READ, CAP_SYS_MODULE, 0, 0, 0)), 1);
	CHECK("bset read bad", sys(prctl(PR_CAPBSET_READ, 63, 0, 0, 0)), -EINVAL);
	CHECK("bset drop", sys(prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0)), 0);
	CHECK("bset dropped", sys(prctl(PR_CAPBSET_READ, CAP_SYS_MODULE, 0, 0, 0)), 0);
	CHECK("status CapBnd", status_hex("CapBnd:"), all & ~BIT(CAP_SYS_MODULE));
	CHECK("inh outside bset", capset3(all & ~BIT(CAP_SYS_TIME), all & ~BIT(CAP_SYS_TIME), BIT(CAP_SYS_MODULE)),
	      -EPERM);
	CHECK("securebits", sys(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0)), 0);
	CHECK("keepcaps", sys(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0)), 0);
	CHECK("set keepcaps", sys(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)), 0);
	CHECK("keepcaps bit", sys(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0)), 1 << 4);
	CHECK("keepcaps 2", sys(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0)), -EINVAL);
	CHECK("lock keepcaps", sys(prctl(PR_SET_SECUREBITS, 3 << 4, 0, 0, 0)), 0);
	CHECK("locked", sys(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0)), -EPERM);
	CHECK("unknown bit", sys(prctl(PR_SET_SECUREBITS, (3 << 4) | (1 << 20), 0, 0, 0)), -EPERM);
	/* Any other option is the kernel's. */
	char name[16] = "";
	CHECK("PR_SET_NAME", sys(prctl(PR_SET_NAME, "fr-ids", 0, 0, 0)), 0);
	CHECK("PR_GET_NAME", sys(prctl(PR_GET_NAME, name, 0, 0, 0)) == 0 && !strcmp(name, "fr-ids"), 1);
}

/* seteuid and setfsuid away from 0 and back: effective and fs caps follow. */
static void euid_and_fsuid(void)
{
	uint64_t all = all_caps();
	CHECK("seteuid 1000", sys(syscall(SYS_setresuid, -1, 1000, -1)), 0);
	CHECK("euid", syscall(SYS_geteuid), 1000);
	CHECK("eff cleared", caps_now().eff, 0);
	CHECK("prm kept", caps_now().prm, all);
	char v[64];
	status_line("/proc/self/status", "Uid:", v, sizeof(v));
	CHECK("status Uid", strcmp(v, "0\t1000\t0\t1000"), 0);
	CHECK("seteuid 0", sys(syscall(SYS_setresuid, -1, 0, -1)), 0);
	CHECK("eff restored", caps_now().eff, all);
	CHECK("setfsuid 1000", syscall(SYS_setfsuid, 1000), 0);
	CHECK("fs caps dropped", caps_now().eff, all & ~FS_SET);
	CHECK("setfsuid back", syscall(SYS_setfsuid, 0), 1000);
	CHECK("fs caps raised", caps_now().eff, all);
	CHECK("setfsgid 7", syscall(SYS_setfsgid, 7), 0);
	CHECK("setfsgid back", syscall(SYS_setfsgid, 0), 7);
	CHECK("setuid -1", sys(syscall(SYS_setuid, -1)), -EINVAL);
}

/* Root gives up root: everything goes, and nothing comes back. */
static void drop_root(void)
{
	gid_t g = 0;
	CHECK("setresgid", sys(syscall(SYS_setresgid, 1000, 1000, 1000)), 0);
	CHECK("setgroups", sys(syscall(SYS_setgroups, 1, &(gid_t){ 1000 })), 0);
	CHECK("setresuid", sys(syscall(SYS_setresuid, 1000, 1000, 1000)), 0);
	struct caps c = caps_now();
	CHECK("eff gone", c.eff, 0);
	CHECK("prm gone", c.prm, 0);
	CHECK("setuid 0", sys(syscall(SYS_setuid, 0)), -EPERM);
	CHECK("setresuid 0", sys(syscall(SYS_setresuid, -1, 0, -1)), -EPERM);
	CHECK("setreuid 0", sys(syscall(SYS_setreuid, 0, -1)), -EPERM);
	CHECK("setgid 0", sys(syscall(SYS_setgid, 0)), -EPERM);
	CHECK("setgroups", sys(syscall(SYS_setgroups, 1, &g)), -EPERM);
	CHECK("capset", capset3(BIT(CAP_CHOWN), BIT(CAP_CHOWN), 0), -EPERM);
	CHECK("bset drop", sys(prctl(PR_CAPBSET_DROP, CAP_CHOWN, 0, 0, 0)), -EPERM);
	CHECK("securebits", sys(prctl(PR_SET_SECUREBITS, 1 << 4, 0, 0, 0)), -EPERM);
	CHECK("setfsuid 0", syscall(SYS_setfsuid, 0), 1000);
	CHECK("fsuid stays", syscall(SYS_setfsuid, -1), 1000);
	CHECK("setuid own", sys(syscall(SYS_setuid, 1000)), 0);
	CHECK("setresuid keep", sys(syscall(SYS_setresuid, -1, -1, -1)), 0);
	char v[64];
	status_line("/proc/self/status", "Uid:", v, sizeof(v));
	CHECK("status Uid", strcmp(v, "1000\t1000\t1000\t1000"), 0);
	char line[256], want[256];
	exec_show(line, sizeof(line));
	snprintf(want, sizeof(want), "uid 1000 1000 1000 1000 gid 1000 1000 1000 1000 caps 0 0 0 %llx 0",
		 (unsigned long long)all_caps());
	CHECK("exec as user", strcmp(line, want), 0);
}

/* With PR_SET_KEEPCAPS the permitted set stays; an ambient capability
 * survives the exec of a non-root program, and only it. */
static void keep_caps(void)
{
	uint64_t all = all_caps(), raw = BIT(CAP_NET_RAW);
	CHECK("keepcaps", sys(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)), 0);
	CHECK("setresuid", sys(syscall(SYS_setresuid, 1000, 1000, 1000)), 0);
	struct caps c = caps_now();
	CHECK("eff gone", c.eff, 0);
	CHECK("prm kept", c.prm, all);
	CHECK("raise eff", capset3(all, all, raw), 0);
	CHECK("ambient", sys(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0)), 0);
	char line[256], want[256];
	exec_show(line, sizeof(line));
	snprintf(want, sizeof(want), "uid 1000 1000 1000 1000 gid 0 0 0 0 caps %llx %llx %llx %llx %llx",
		 (unsigned long long)raw, (unsigned long long)raw, (unsigned long long)raw,
		 (unsigned long long)all, (unsigned long long)raw);
	CHECK("exec keeps ambient", strcmp(line, want), 0);
	CHECK("setuid 0 with CAP_SETUID", sys(syscall(SYS_setuid, 0)), 0);
	c = caps_now();
	CHECK("root again: eff", c.eff, all);
	CHECK("keepcaps stays without an exec", sys(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0)), 1);
}

static void *thread_setuid(void *arg)
{
	long *r = arg;
	r[0] = sys(syscall(SYS_setresuid, 7, 7, 7));
	r[1] = syscall(SYS_getuid);
	return NULL;
}

/* Credentials are per thread: a raw setresuid changes its thread only. */
static void per_thread(void)
{
	long r[2] = { -1, -1 };
	pthread_t th;
	pthread_create(&th, NULL, thread_setuid, r);
	pthread_join(th, NULL);
	CHECK("thread setresuid", r[0], 0);
	CHECK("thread uid", r[1], 7);
	CHECK("main uid", syscall(SYS_getuid), 0);
}

/* A fork's child starts with its parent's credentials. */
static void fork_inherits(void)
{
	CHECK("setresgid", sys(syscall(SYS_setresgid, 5, 6, 7)), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		uid_t u[3];
		gid_t g[3];
		ids(u, g);
		_exit(g[0] == 5 && g[1] == 6 && g[2] == 7 ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK("child's gids", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

static void as_user(void)
{
	uid_t u[3];
	gid_t g[3];
	ids(u, g);
	CHECK("not root", u[0] != 0 && u[0] == u[1] && u[1] == u[2], 1);
	struct caps c = caps_now();
	CHECK("no eff", c.eff, 0);
	CHECK("no prm", c.prm, 0);
	CHECK("setuid 0", sys(syscall(SYS_setuid, 0)), -EPERM);
	CHECK("setgid 0", sys(syscall(SYS_setgid, 0)), -EPERM);
	CHECK("setresuid other", sys(syscall(SYS_setresuid, -1, u[0] + 1, -1)), -EPERM);
	CHECK("setgroups", sys(syscall(SYS_setgroups, 0, NULL)), -EPERM);
	CHECK("capset", capset3(1, 1, 0), -EPERM);
	CHECK("setuid own", sys(syscall(SYS_setuid, u[0])), 0);
	CHECK("setresgid own", sys(syscall(SYS_setresgid, g[0], g[0], g[0])), 0);
	CHECK("bset read", sys(prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0)), 1);
}

int main(int argc, char **argv)
{
	self = argv[0];
	root_caps = status_hex("CapBnd:");
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "show"))
		return show();
	if (!strcmp(mode, "root")) {
		getters_as_root();
		in_child("groups", groups_as_root);
		capget_versions();
		in_child("capset and prctl", capset_and_prctl);
		in_child("euid and fsuid", euid_and_fsuid);
		in_child("drop root", drop_root);
		in_child("keep caps", keep_caps);
		in_child("per thread", per_thread);
		in_child("fork", fork_inherits);
	} else if (!strcmp(mode, "user")) {
		as_user();
	} else {
		fprintf(stderr, "usage: %s root|user|show\n", argv[0]);
		return 2;
	}
	printf("%d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
