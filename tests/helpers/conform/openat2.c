/* openat2.c: openat2's resolve flags (RESOLVE_BENEATH, RESOLVE_IN_ROOT,
 * RESOLVE_NO_SYMLINKS, RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS) and its
 * argument checks. RESOLVE_CACHED is left out: its EAGAIN depends on what
 * the dentry cache holds. */
#include "conform.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void openat2_case(struct out *o, const char *dir, const char *path,
			 unsigned long long flags, unsigned long long mode, unsigned long long resolve)
{
	int d = AT_FDCWD;
	if (dir && (d = open_or_fail(o, dir, O_DIRECTORY | O_PATH)) < 0)
		return;
	struct open_how how = { .flags = flags | O_CLOEXEC, .mode = mode, .resolve = resolve };
	long fd = sys_openat2(d, path, &how, sizeof(how));
	if (out_ok(o, fd) >= 0) {
		out_fstat(o, (int)fd);
		close((int)fd);
	}
}

static void plain(struct out *o) { openat2_case(o, ".", "d/f", O_RDONLY, 0, 0); }
static void beneath_dotdot_escape(struct out *o) { openat2_case(o, "d/sub", "../f", O_RDONLY, 0, RESOLVE_BENEATH); }
static void beneath_dotdot_inside(struct out *o) { openat2_case(o, "d", "sub/../f", O_RDONLY, 0, RESOLVE_BENEATH); }
static void beneath_abs_path(struct out *o) { openat2_case(o, ".", P("f"), O_RDONLY, 0, RESOLVE_BENEATH); }
static void beneath_abs_symlink(struct out *o) { openat2_case(o, ".", "sl-abs", O_RDONLY, 0, RESOLVE_BENEATH); }
static void beneath_symlink_escape(struct out *o) { openat2_case(o, "d", "sub/sl-up", O_RDONLY, 0, RESOLVE_BENEATH); }
static void beneath_cwd_dotdot(struct out *o) { openat2_case(o, NULL, "../t/f", O_RDONLY, 0, RESOLVE_BENEATH); }

static void beneath_creat(struct out *o)
{
	openat2_case(o, "w", "o2-new", O_CREAT | O_WRONLY, 0640, RESOLVE_BENEATH);
}

static void beneath_creat_escape(struct out *o)
{
	openat2_case(o, "w", "../o2-escape", O_CREAT | O_WRONLY, 0640, RESOLVE_BENEATH);
	out_lstat(o, "o2-escape");
}

static void in_root_abs_symlink(struct out *o)
{
	if (mk_link(o, "/d/f", "w/ir-abs"))
		openat2_case(o, ".", "w/ir-abs", O_RDONLY, 0, RESOLVE_IN_ROOT);
}

static void in_root_abs_path(struct out *o) { openat2_case(o, ".", "/f", O_RDONLY, 0, RESOLVE_IN_ROOT); }
static void in_root_dotdot_then_name(struct out *o) { openat2_case(o, "d", "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT); }

static void in_root_dotdot_clamped(struct out *o)
{
	int d = open_or_fail(o, "d", O_DIRECTORY | O_PATH);
	if (d < 0)
		return;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	long fd = sys_openat2(d, "../../..", &how, sizeof(how));
	if (out_ok(o, fd) >= 0)
		out_fdpath(o, (int)fd);
}

static void no_symlinks_last(struct out *o) { openat2_case(o, ".", "sl-f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS); }
static void no_symlinks_middle(struct out *o) { openat2_case(o, ".", "sl-d/f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS); }
static void no_symlinks_nofollow(struct out *o)
{
	openat2_case(o, ".", "sl-f", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
}

static void no_xdev_inside(struct out *o) { openat2_case(o, ".", "d/sub/g", O_RDONLY, 0, RESOLVE_NO_XDEV); }
static void no_xdev_proc(struct out *o) { openat2_case(o, NULL, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_XDEV); }

static void magic(struct out *o, const char *fmt, int flags, unsigned long long resolve)
{
	int fd = open_or_fail(o, "f", 0);
	if (fd < 0)
		return;
	char path[64];
	snprintf(path, sizeof(path), fmt, fd);
	openat2_case(o, NULL, path, (unsigned long long)flags, 0, resolve);
}

static void proc_fd(struct out *o) { magic(o, "/proc/self/fd/%d", O_RDONLY, 0); }
static void no_magic_proc_fd(struct out *o) { magic(o, "/proc/self/fd/%d", O_RDONLY, RESOLVE_NO_MAGICLINKS); }
static void no_magic_proc_fd_nofollow(struct out *o)
{
	magic(o, "/proc/self/fd/%d", O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS);
}

static void no_magic_proc_cwd(struct out *o)
{
	openat2_case(o, NULL, "/proc/self/cwd/f", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
}

static void proc_cwd_dotdot(struct out *o) { openat2_case(o, NULL, "/proc/self/cwd/../t/f", O_RDONLY, 0, 0); }

static void bad_resolve(struct out *o) { openat2_case(o, ".", "f", O_RDONLY, 0, 1ULL << 40); }

static void large_size_tail(struct out *o)
{
	struct { struct open_how how; unsigned long long extra; } big;
	memset(&big, 0, sizeof(big));
	big.extra = 1;
	out_ok(o, sys_openat2(AT_FDCWD, "f", &big.how, sizeof(big)));
	big.extra = 0;
	long fd = sys_openat2(AT_FDCWD, "f", &big.how, sizeof(big));
	if (out_ok(o, fd) >= 0)
		close((int)fd);
}

const struct conform_case openat2_cases[] = {
	CASE("openat2-plain", plain),
	CASE("openat2-beneath-dotdot-escape", beneath_dotdot_escape),
	CASE("openat2-beneath-dotdot-inside", beneath_dotdot_inside),
	CASE("openat2-beneath-abs-path", beneath_abs_path),
	CASE("openat2-beneath-abs-symlink", beneath_abs_symlink),
	CASE("openat2-beneath-symlink-escape", beneath_symlink_escape),
	CASE("openat2-beneath-cwd-dotdot", beneath_cwd_dotdot),
	CASE("openat2-beneath-creat", beneath_creat),
	CASE("openat2-beneath-creat-escape", beneath_creat_escape),
	CASE("openat2-in-root-abs-symlink", in_root_abs_symlink),
	CASE("openat2-in-root-abs-path", in_root_abs_path),
	CASE("openat2-in-root-dotdot-then-name", in_root_dotdot_then_name),
	CASE("openat2-in-root-dotdot-clamped", in_root_dotdot_clamped),
	CASE("openat2-no-symlinks-last", no_symlinks_last),
	CASE("openat2-no-symlinks-middle", no_symlinks_middle),
	CASE("openat2-no-symlinks-opath-nofollow", no_symlinks_nofollow),
	CASE("openat2-no-xdev-inside", no_xdev_inside),
	CASE("openat2-no-xdev-into-proc", no_xdev_proc),
	CASE("openat2-proc-fd-reopen", proc_fd),
	CASE("openat2-no-magiclinks-proc-fd", no_magic_proc_fd),
	CASE("openat2-no-magiclinks-proc-fd-nofollow", no_magic_proc_fd_nofollow),
	CASE("openat2-no-magiclinks-proc-cwd", no_magic_proc_cwd),
	CASE("openat2-proc-cwd-dotdot", proc_cwd_dotdot),
	CASE("openat2-unknown-resolve-flag", bad_resolve),
	CASE("openat2-size-larger-tail", large_size_tail),
	CASES_END
};
