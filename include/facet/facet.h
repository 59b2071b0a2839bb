/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libfacet — several engines tracing one process tree, in the spirit of utrace.
 *
 * A *session* spawns a command and supervises its whole process tree. Engines
 * attach to the session in order; each declares which system calls it wants
 * to see (at entry, at exit, or both) and which other events (clone, exec,
 * signal, exit). The seccomp filter installed in the tree is compiled from
 * the union of those wishes, so a call no engine asked for runs natively.
 *
 * At system-call entry every interested engine is called in attach order and
 * may decide what happens to the call. Decisions have a rank; a decision
 * replaces the current one only if its rank is strictly higher, so the most
 * interventionist action wins and, among equals, the earliest engine wins:
 *
 *     FACET_RUN < FACET_REWRITE < FACET_COMPLETE < FACET_INJECT_FD < FACET_FAIL
 *
 * Later engines see the decision so far in `facet_syscall.action`. Engines
 * that asked for the exit of the call are called after it with its result,
 * whether the kernel ran it or an engine completed it.
 *
 * Library functions return 0 or a non-negative value on success and a
 * negative errno value on failure; they never print.
 *
 * See libfacet(3) for the full description.
 */
#ifndef FACET_FACET_H
#define FACET_FACET_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libfacet is built with hidden visibility; what is declared here is its ABI. */
#pragma GCC visibility push(default)

#define FACET_MAX_ARGS 6

struct facet_session;
struct facet_engine;
struct facet_task;
struct facet_process;

/* ---------------------------------------------------------------------- */
/* The system-call table: what libfacet knows about each call.             */

/* Syscall classes, as in strace's -e trace=%CLASS. A call may be in several. */
enum facet_syscall_class {
	FACET_CLASS_FILE    = 1u << 0, /* takes a file name */
	FACET_CLASS_DESC    = 1u << 1, /* takes or returns a file descriptor */
	FACET_CLASS_PROCESS = 1u << 2, /* process lifecycle */
	FACET_CLASS_NETWORK = 1u << 3, /* sockets */
	FACET_CLASS_SIGNAL  = 1u << 4, /* signals */
	FACET_CLASS_MEMORY  = 1u << 5, /* memory mapping */
	FACET_CLASS_IPC     = 1u << 6, /* SysV IPC */
	FACET_CLASS_CREDS   = 1u << 7, /* user/group ids, capabilities */
	FACET_CLASS_CLOCK   = 1u << 8, /* read or change clocks */
	FACET_CLASS_STAT    = 1u << 9, /* stat family */
};

/* How an argument is to be understood. The trace engine decodes by kind;
 * other engines use it to find paths, fds and out-pointers generically. */
enum facet_arg_kind {
	FACET_ARG_NONE = 0,
	FACET_ARG_INT,        /* signed decimal */
	FACET_ARG_UINT,       /* unsigned decimal (sizes, counts) */
	FACET_ARG_HEX,        /* anything else: shown in hex */
	FACET_ARG_PTR,        /* an address, not followed */
	FACET_ARG_FD,         /* a file descriptor */
	FACET_ARG_DIRFD,      /* a dirfd of an *at() call (AT_FDCWD allowed) */
	FACET_ARG_PATH,       /* pointer to a NUL-terminated path (input) */
	FACET_ARG_STR,        /* pointer to a NUL-terminated string (input) */
	FACET_ARG_BUF_IN,     /* pointer to bytes; length in the next argument */
	FACET_ARG_BUF_OUT,    /* pointer filled by the call; length = result */
	FACET_ARG_PATH_OUT,   /* pointer filled with a path; length = result */
	FACET_ARG_ARGV,       /* NULL-terminated array of strings */
	FACET_ARG_ENVP,       /* environment array (shown as a count) */
	FACET_ARG_OPEN_FLAGS, /* O_* */
	FACET_ARG_MODE,       /* permission bits, octal */
	FACET_ARG_AT_FLAGS,   /* AT_* */
	FACET_ARG_ACCESS_MODE,/* F_OK/R_OK/W_OK/X_OK */
	FACET_ARG_STAT_OUT,   /* struct stat * filled by the call */
	FACET_ARG_STATX_OUT,  /* struct statx * filled by the call */
	FACET_ARG_STATX_MASK, /* STATX_* */
	FACET_ARG_OPEN_HOW,   /* struct open_how * (openat2) */
	FACET_ARG_MMAP_PROT,  /* PROT_* */
	FACET_ARG_MMAP_FLAGS, /* MAP_* */
	FACET_ARG_SIGNAL,     /* a signal number */
	FACET_ARG_CLONE_FLAGS,/* CLONE_* (the low byte is the exit signal) */
	FACET_ARG_WHENCE,     /* SEEK_* */
	FACET_ARG_FCNTL_CMD,  /* F_* */
	FACET_ARG_PIPE_FDS,   /* int[2] filled by the call */
	FACET_ARG_SOCKADDR,   /* struct sockaddr *; length in the next argument */
	FACET_ARG_SOCK_FAMILY,/* AF_* */
	FACET_ARG_SOCK_TYPE,  /* SOCK_* with flags */
	FACET_ARG_UNLINK_FLAGS,/* AT_REMOVEDIR */
	FACET_ARG_RENAME_FLAGS,/* RENAME_* */
	FACET_ARG_WAIT_STATUS,/* int * filled with a wait status */
	FACET_ARG_KIND_COUNT
};

/* How the return value is to be understood. */
enum facet_ret_kind {
	FACET_RET_INT = 0,    /* signed decimal, negative = -errno */
	FACET_RET_FD,         /* a new file descriptor */
	FACET_RET_HEX,        /* an address (mmap, brk) */
	FACET_RET_NONE,       /* does not return (exit, exit_group) */
};

struct facet_syscall_info {
	long nr;
	const char *name;
	unsigned nargs;
	unsigned classes;                       /* FACET_CLASS_* */
	enum facet_ret_kind ret;
	enum facet_arg_kind args[FACET_MAX_ARGS];
};

/* Look up by number (NULL if unknown) or by name (NULL if unknown), for the
 * architecture libfacet was built for. */
const struct facet_syscall_info *facet_syscall_by_nr(long nr);
const struct facet_syscall_info *facet_syscall_by_name(const char *name);
/* Iterate: *cursor starts at 0; returns NULL at the end. */
const struct facet_syscall_info *facet_syscall_next(size_t *cursor);
/* "%file" -> FACET_CLASS_FILE; 0 if not a class name. */
unsigned facet_syscall_class_by_name(const char *name);

/* ---------------------------------------------------------------------- */
/* One system call, as seen by engines.                                    */

enum facet_action {
	FACET_RUN = 0,     /* let the call run (natively, or emulated by the core) */
	FACET_REWRITE,     /* run it with the arguments in args[] changed */
	FACET_COMPLETE,    /* do not run it; return `retval` */
	FACET_INJECT_FD,   /* do not run it; install `inject_fd` in the tracee, return its number */
	FACET_FAIL,        /* do not run it; fail with errno `-retval` */
};

struct facet_syscall {
	long nr;
	const struct facet_syscall_info *info; /* NULL for a number libfacet does not know */
	uint64_t args[FACET_MAX_ARGS];
	uint64_t ip;                           /* instruction pointer of the call */

	enum facet_action action;              /* decision so far */
	const struct facet_engine *decided_by; /* engine that made it, NULL for RUN */
	int64_t retval;                        /* at exit: the result, -errno on failure */
	int inject_fd;                         /* supervisor's fd, for FACET_INJECT_FD */
	bool inject_cloexec;

	bool exited;                           /* retval is the real result */
	bool emulated;                         /* the supervisor performed the call itself */
	struct timespec entry_time, exit_time; /* CLOCK_MONOTONIC */
};

/* Decisions, used from an entry callback. Each returns 0 if it took effect,
 * -EALREADY if an earlier engine made a stronger (or, except for rewrites,
 * which combine, an equal) decision, and
 * -EOPNOTSUPP if the back end cannot carry it out for this call (rewriting
 * arguments of a call delivered by seccomp user notification, for example). */
int facet_syscall_fail(struct facet_syscall *sc, const struct facet_engine *e, int err);
int facet_syscall_complete(struct facet_syscall *sc, const struct facet_engine *e, int64_t value);
/* The session owns `fd` from this call on, whether the decision takes effect or not. */
int facet_syscall_inject_fd(struct facet_syscall *sc, const struct facet_engine *e, int fd, bool cloexec);
int facet_syscall_rewrite(struct facet_syscall *sc, const struct facet_engine *e, unsigned argi, uint64_t value);

/* ---------------------------------------------------------------------- */
/* Engines.                                                                */

enum facet_event {
	FACET_EV_SYSCALL_ENTRY = 1u << 0,
	FACET_EV_SYSCALL_EXIT  = 1u << 1,
	FACET_EV_CLONE         = 1u << 2,
	FACET_EV_EXEC          = 1u << 3,
	FACET_EV_SIGNAL        = 1u << 4,
	FACET_EV_EXIT          = 1u << 5,
};

enum facet_clone_kind { FACET_CLONE_THREAD, FACET_CLONE_FORK, FACET_CLONE_VFORK };

struct facet_engine_ops {
	const char *name;
	/* Called once when the session starts, before the command runs. */
	int (*start)(struct facet_engine *e, struct facet_session *s);
	/* System-call entry and exit, for the calls the engine asked for. An
	 * exit callback may change sc->retval: the tracee gets the final value. */
	void (*syscall_entry)(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc);
	void (*syscall_exit)(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc);
	/* A new task; `child` is already in the session's tables. */
	void (*clone)(struct facet_engine *e, struct facet_task *parent, struct facet_task *child,
		      enum facet_clone_kind kind);
	/* A successful execve/execveat, after the new image is loaded;
	 * `filename` is the loaded binary (/proc/PID/exe: for a script, its
	 * interpreter). */
	void (*exec)(struct facet_engine *e, struct facet_task *t, const char *filename);
	/* A signal is about to be delivered. Return the signal to deliver
	 * (the same one, another one, or 0 to suppress it). */
	int (*signal)(struct facet_engine *e, struct facet_task *t, int sig);
	/* A task is gone; `status` is a wait(2) status. A thread-group leader
	 * that vanished because another thread of its process exec'd gets
	 * status 0; facet_task_superseded_by() tells that case apart. */
	void (*exit)(struct facet_engine *e, struct facet_task *t, int status);
	/* Called once when the whole tree is gone. */
	void (*finish)(struct facet_engine *e, struct facet_session *s);
	/* Per-task and per-process private data are freed with these (optional). */
	void (*free_task_slot)(struct facet_engine *e, void *slot);
	void (*free_process_slot)(struct facet_engine *e, void *slot);
	/* Called when the engine is freed (with its session, or by
	 * facet_engine_free()); frees whatever `priv` holds (optional). */
	void (*release)(struct facet_engine *e);
};

/* The engine object is owned by the session it is attached to; one that was
 * never attached is freed with facet_engine_free(). */
struct facet_engine *facet_engine_new(const struct facet_engine_ops *ops, void *priv);
void facet_engine_free(struct facet_engine *e);
void *facet_engine_priv(const struct facet_engine *e);
const char *facet_engine_name(const struct facet_engine *e);

/* Ask for a call at entry (FACET_EV_SYSCALL_ENTRY), exit, or both. */
int facet_engine_want_syscall(struct facet_engine *e, long nr, unsigned events);
/* The same for every call in one or more FACET_CLASS_* classes. */
int facet_engine_want_class(struct facet_engine *e, unsigned classes, unsigned events);
/* Every call libfacet knows. */
int facet_engine_want_all(struct facet_engine *e, unsigned events);
/* Ask for FACET_EV_CLONE, _EXEC, _SIGNAL, _EXIT (or-ed together). */
void facet_engine_want_events(struct facet_engine *e, unsigned events);

/* A loadable engine is a shared object that exports this function under the
 * name "facet_plugin_init"; `facet --engine=PATH[:ARG]` loads it and attaches
 * the engine it returns (NULL, with errno set, to refuse). */
typedef struct facet_engine *facet_plugin_init_fn(const char *arg);
#define FACET_PLUGIN_INIT "facet_plugin_init"

/* ---------------------------------------------------------------------- */
/* Sessions.                                                               */

enum facet_backend {
	FACET_BACKEND_AUTO = 0, /* user notification if the kernel gives it, else ptrace */
	FACET_BACKEND_NOTIFY,   /* seccomp user notification (+ ptrace for events) */
	FACET_BACKEND_PTRACE,   /* seccomp RET_TRACE and ptrace only */
};
const char *facet_backend_name(enum facet_backend b);

struct facet_session *facet_session_new(void);
void facet_session_free(struct facet_session *s);
/* Attach in order; the session owns `e` from now on, even on failure. */
int facet_session_attach(struct facet_session *s, struct facet_engine *e);
void facet_session_set_backend(struct facet_session *s, enum facet_backend b);
/* The back end actually used; valid from the engines' start callbacks on. */
enum facet_backend facet_session_backend(const struct facet_session *s);

/* Spawn argv[0] (searched in PATH) under supervision, then supervise until
 * every task in the tree is gone. Returns the command's wait status
 * (>= 0), or a negative errno if the tree could not be started, or if
 * what the view saves at the end (facet_view_set_owner_state()) could not
 * be saved once the command had run. On failure facet_session_error()
 * says which step failed (and, for a failed save, how the command ended). */
int facet_session_run(struct facet_session *s, char *const argv[]);
const char *facet_session_error(const struct facet_session *s);
/* After facet_session_run() failed: true if the command itself could not
 * be run (not found, not executable: its errno is the return value), false
 * if the session could not start (a bad view, the kernel...). */
bool facet_session_command_error(const struct facet_session *s);

/* Kernel features, found by trying them in a throw-away child process. */
struct facet_features {
	bool seccomp_filter, user_notif, notif_addfd, sync_wakeup, wait_killable,
	     ptrace, get_syscall_info, pidfd_getfd;
};
int facet_probe(struct facet_features *out);
/* The features the session found; valid from the engines' start callbacks on. */
const struct facet_features *facet_session_features(const struct facet_session *s);

/* ---------------------------------------------------------------------- */
/* Views: host paths mounted anywhere, an alternate root.                  */

/* A view is described before the session starts, then handed to it. Every
 * call that takes a path is then resolved in the view, as the kernel would
 * if the mounts were bind mounts, whatever the engines asked for. */
struct facet_view;

enum facet_bind_flags {
	FACET_BIND_RO = 1u << 0,   /* writes fail with EROFS */
};

struct facet_view *facet_view_new(void);
void facet_view_free(struct facet_view *v);
/* The host directory that is the view's "/" (default: the host's "/"). */
int facet_view_set_root(struct facet_view *v, const char *host);
/* Mounts the host file or directory `host` at the absolute guest path
 * `guest`; the deepest mount wins whatever the order. The host path is
 * checked when the session starts. */
int facet_view_bind(struct facet_view *v, const char *host, const char *guest, unsigned flags);
/* The command's starting directory in the view (default: the caller's
 * current directory if the view shows it, else "/"). */
int facet_view_set_cwd(struct facet_view *v, const char *guest);
/* How the view's path calls are served.
 * FAST: a runtime that facet's loader maps into every traced process
 *   answers them in the process; what it cannot answer goes to the
 *   supervisor. Not a security boundary on its own (see CONFINE).
 * CONFINE: the supervisor decides every path call; no call is admitted
 *   because of where it comes from.
 * SUPERVISOR: the supervisor alone, without the runtime or Landlock (for
 *   comparison and for kernels where the others misbehave).
 * In FAST and CONFINE, where the kernel has Landlock, the tree is also
 * confined to the view's mounts (read-only where the mount is). */
enum facet_view_mode {
	FACET_VIEW_FAST = 0,
	FACET_VIEW_CONFINE,
	FACET_VIEW_SUPERVISOR,
};
int facet_view_set_mode(struct facet_view *v, enum facet_view_mode mode);
/* The Landlock ABI version the session's tree is confined with (1 or more:
 * a view in FAST or CONFINE mode on a kernel with Landlock), or 0, with
 * *why (if why is not NULL) saying why not in a sentence: no view, the
 * SUPERVISOR mode, a kernel without Landlock... Valid from the engines'
 * start callbacks on. */
int facet_session_landlock(const struct facet_session *s, const char **why);
/* Whether the in-process runtime serves the session's view (FAST mode with
 * what it needs: the notify back end, an image with the runtime): 1, or 0
 * with *why (if why is not NULL) saying why not in a sentence. Valid from
 * the engines' start callbacks on. */
int facet_session_fast(const struct facet_session *s, const char **why);
/* Fake root: the tree sees itself as uid:gid (0:0 for facet -0), with
 * every capability for uid 0, and may change its identity as that user
 * could. What it does as that identity and the real user cannot (chown,
 * chmod bits, device nodes) is recorded and shown back to it: files the
 * real user owns appear owned by uid:gid, recorded ones as recorded. */
int facet_view_set_identity(struct facet_view *v, uid_t uid, gid_t gid);
/* The file fake root's record is loaded from when the session starts and
 * saved to, atomically and under a lock, when its tree is gone (facet(1),
 * "FAKE ROOT"): only this session's changes are applied to what the file
 * holds by then. A missing file is created; a corrupt or unreadable one,
 * or one whose directory is not writable, makes the session fail to
 * start. Needs facet_view_set_identity(). */
int facet_view_set_owner_state(struct facet_view *v, const char *path);
/* The session owns `v` from now on, even on failure. */
int facet_session_set_view(struct facet_session *s, struct facet_view *v);
/* The errno a view answers call nr with, because the call would bypass the
 * view (io_uring_setup: ENOSYS; open_by_handle_at, mount...: EPERM); 0 for
 * a call the view serves or leaves alone. */
int facet_view_refusal(long nr);

/* ---------------------------------------------------------------------- */
/* Tasks and processes.                                                    */

pid_t facet_task_tid(const struct facet_task *t);
pid_t facet_task_pid(const struct facet_task *t);   /* thread-group id */
struct facet_process *facet_task_process(struct facet_task *t);
struct facet_session *facet_task_session(struct facet_task *t);

/* Private data of engine `e` for this task / process (NULL at first). */
void *facet_task_slot(const struct facet_task *t, const struct facet_engine *e);
void facet_task_set_slot(struct facet_task *t, const struct facet_engine *e, void *data);
void *facet_process_slot(const struct facet_process *p, const struct facet_engine *e);
void facet_process_set_slot(struct facet_process *p, const struct facet_engine *e, void *data);
pid_t facet_process_pid(const struct facet_process *p);

/* In an exit callback: if `t` is a thread-group leader that vanished because
 * another thread of its process called execve (that thread takes over t's
 * tid), the tid that thread had before the execve; 0 for any other exit. */
pid_t facet_task_superseded_by(const struct facet_task *t);

/* In a signal callback: the siginfo of the signal about to be delivered
 * (PTRACE_GETSIGINFO; if an earlier engine replaced the signal, that of the
 * original). Returns 0, -EINVAL outside a signal callback of `t`, -ESRCH if
 * the task is gone. */
int facet_task_siginfo(struct facet_task *t, siginfo_t *si);

/* In a callback of `t` made while it sits in a ptrace stop (the entry or
 * exit of a call on the ptrace route, a signal, exec, clone as the parent):
 * its stack pointer. -EOPNOTSUPP when it is not stopped (a call that came by
 * seccomp user notification, or outside its callbacks), -ESRCH if gone. */
int facet_task_stack_pointer(struct facet_task *t, uint64_t *sp);

/* ---------------------------------------------------------------------- */
/* Tracee memory. Each returns the number of bytes transferred, or -EFAULT
 * (bad address), -ESRCH (task gone). */
ssize_t facet_mem_read(struct facet_task *t, uint64_t addr, void *buf, size_t len);
ssize_t facet_mem_write(struct facet_task *t, uint64_t addr, const void *buf, size_t len);
/* Reads a NUL-terminated string into buf, which is always terminated (empty
 * on -EFAULT/-ESRCH). Returns its length, -ENAMETOOLONG if it does not fit in
 * `size` (buf then holds the first size-1 bytes), -EFAULT or -ESRCH. */
ssize_t facet_mem_read_string(struct facet_task *t, uint64_t addr, char *buf, size_t size);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
