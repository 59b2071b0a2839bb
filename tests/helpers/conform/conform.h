/* conform.h: what the parts of helper-conform share.
 *
 * A case is a function that fills a struct out with its result (words
 * separated by spaces: values, or errno names), or a probe: one call on one
 * path described by a table row. Each case runs in a child process of its
 * own, with ROOT/t as working directory and umask 022, so that a crash, a
 * chdir or a leaked fd cannot touch the next case. The parent prints
 * "name: result" with every occurrence of ROOT replaced by "ROOT".
 *
 * In paths of probe rows and of P(), a leading "%/" stands for ROOT/t/. */
#ifndef FACET_TESTS_CONFORM_H
#define FACET_TESTS_CONFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define OUT_MAX 8192

struct out {
	size_t len;
	char buf[OUT_MAX];
};

/* One call on one path, done by probe_run(). */
enum probe_op {
	PR_NONE,
	PR_STAT,	/* stat(path): the stat words */
	PR_LSTAT,	/* lstat(path) */
	PR_OPEN,	/* open(path, arg, 0644), then the fstat words */
	PR_READLINK,	/* readlink(path): the target */
	PR_ACCESS,	/* access(path, arg) */
	PR_MKDIR,	/* mkdir(path, arg), then the stat words */
	PR_RMDIR,	/* rmdir(path) */
	PR_UNLINK,	/* unlink(path) */
	PR_CHDIR,	/* chdir(path), then getcwd */
	PR_LIST,	/* the sorted names in the directory path, . and .. included */
	PR_TRUNCATE,	/* truncate(path, arg), then the stat words */
};

struct conform_case {
	const char *name;
	void (*fn)(struct out *o);
	enum probe_op op;
	const char *path;
	long arg;
};

#define CASE(name, fn) { name, fn, PR_NONE, NULL, 0 }
#define PROBE(name, op, path, arg) { name, NULL, op, path, arg }
#define CASES_END { NULL, NULL, PR_NONE, NULL, 0 }

/* The run: ROOT as given (made canonical) and ROOT/t. */
struct conform_ctx {
	char root[4096];
	char t[4096];
};
extern struct conform_ctx ctx;

/* The case lists, one per file. */
extern const struct conform_case setup_cases[];
extern const struct conform_case path_cases[];
extern const struct conform_case symlink_cases[];
extern const struct conform_case at_cases[];
extern const struct conform_case modify_cases[];
extern const struct conform_case openat2_cases[];
extern const struct conform_case open_cases[];
extern const struct conform_case errno_cases[];
extern const struct conform_case cwd_cases[];
extern const struct conform_case misc_cases[];
extern const struct conform_case exec_cases[];
extern const struct conform_case task_cases[];
extern const struct conform_case shebang_cases[];
extern const struct conform_case procfs_cases[];
extern const struct conform_case view_only_cases[];

/* --- results (out.c) -------------------------------------------------------- */

/* Appends one word (or several), separated from the previous by a space. */
void out_add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The name of an errno value: "ENOENT". */
const char *errname(int e);
/* Appends the outcome of a call that just returned RC: errno's name if
 * RC < 0, "ok" if RC = 0, else the number. Returns RC. */
long out_rc(struct out *o, long rc);
/* The same, but "ok" for any RC >= 0 (fds). */
long out_ok(struct out *o, long rc);
/* The stat words: "reg 0644 size=6 nlink=1", "dir 0755", "lnk size=1"
 * ("lnk size=ROOT+5" for a target that starts with ROOT), of the file
 * PATH in DIRFD (as for readlinkat: "" for DIRFD itself). */
void out_statbuf(struct out *o, const struct stat *st, int dirfd, const char *path);
void out_stat(struct out *o, const char *path);		/* stat(), or errno */
void out_lstat(struct out *o, const char *path);	/* lstat(), or errno */
void out_fstat(struct out *o, int fd);
void out_fstatat(struct out *o, int dirfd, const char *path);	/* not following */
/* Appends the target of the symlink, or errno. */
void out_readlink(struct out *o, const char *path);
/* The sorted entries of a directory, "[. .. a b]", or errno. */
void out_list(struct out *o, const char *path);
void out_list_fd(struct out *o, int fd);		/* consumes nothing: dups fd */
/* Appends the content of a small file, or errno. */
void out_content(struct out *o, const char *path);
/* Appends getcwd() (glibc), or errno. */
void out_cwd(struct out *o);
/* Appends readlink("/proc/self/fd/FD"). */
void out_fdpath(struct out *o, int fd);
/* Appends "cloexec" or "no-cloexec" for FD. */
void out_cloexec(struct out *o, int fd);

/* --- paths and fixtures (fixture.c) --------------------------------------------- */

/* ROOT/t/REL (REL may start with "%/", which is dropped), in one of a few
 * rotating static buffers. */
const char *P(const char *rel);
/* Expands a leading "%/" to ROOT/t/; other paths are returned as they are. */
const char *expand(const char *path);
/* Setup steps inside a case: on failure they append "setup:WHAT:ERRNO" and
 * return false, so that the case's line shows where it stopped. */
bool mk_dir(struct out *o, const char *path);
bool mk_file(struct out *o, const char *path, const char *content);
bool mk_link(struct out *o, const char *target, const char *path);
bool mk_fail(struct out *o, const char *what);	/* always false */
bool mk_script(struct out *o, const char *path, const char *text);	/* mode 0755 */
/* open(path, O_RDONLY|O_CLOEXEC|flags), or -1 after mk_fail. */
int open_or_fail(struct out *o, const char *path, int flags);
/* Removes PATH and everything under it, restoring permissions on the way. */
int rm_tree(const char *path);
/* Writes LEN bytes of the character C followed by '\0' into BUF. */
void fill(char *buf, size_t len, char c);

void probe_run(struct out *o, const struct conform_case *c);

/* --- raw system calls glibc lacks or emulates (out.c) ---------------------------------- */

struct open_how;
long sys_openat2(int dirfd, const char *path, const struct open_how *how, size_t size);
long sys_faccessat2(int dirfd, const char *path, int mode, int flags);
long sys_fchmodat2(int dirfd, const char *path, mode_t mode, int flags);
long sys_renameat2(int olddir, const char *oldpath, int newdir, const char *newpath, unsigned flags);
long sys_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags);
long sys_close_range(unsigned first, unsigned last, unsigned flags);
long sys_getcwd(char *buf, size_t size);

/* --- exec (exec.c) ------------------------------------------------------------------------ */

/* helper-conform --exec-report ARG...: prints argv, /proc/self/cmdline,
 * AT_EXECFN and the working directory on one line. */
int exec_report(int argc, char **argv);
/* What a program run with CONFORM_REPORT=MODE in its environment does
 * instead of running the cases (see exec.c). */
int conform_report(int argc, char **argv, const char *mode);
/* Runs PATH with ARGV and CONFORM_REPORT=MODE added to the environment,
 * and appends what it printed (and its status, unless 0). */
void exec_report_case(struct out *o, const char *path, char *const argv[], const char *mode);

#endif
