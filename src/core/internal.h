/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Structures shared by the files of src/core; not part of the public API. */
#ifndef FACET_CORE_INTERNAL_H
#define FACET_CORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "facet/facet.h"

/* Every task is traced with these: EXITKILL so that none outlives the
 * supervisor, and every way of creating a task reported. */
#define SPAWN_PTRACE_OPTIONS                                                    \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |      \
	 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |         \
	 PTRACE_O_TRACESECCOMP)

/* Highest syscall number + 1 that libfacet tracks: every arch/<arch>/numbers.h
 * stays below (syscall_table.c asserts it for the build's, the unit test for all). */
#define FACET_NR_MAX 512

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

struct facet_engine {
	const struct facet_engine_ops *ops;
	void *priv;
	struct facet_session *session;
	unsigned index;                    /* slot index in tasks and processes */
	unsigned events;                   /* FACET_EV_CLONE|EXEC|SIGNAL|EXIT */
	uint8_t want[FACET_NR_MAX];        /* FACET_EV_SYSCALL_ENTRY|EXIT per nr */
};

struct facet_process {
	pid_t pid;
	unsigned nthreads;
	int pidfd;                         /* -1 until first needed */
	void **slots;
	struct view_fdtab *view_fds;       /* view/fdmounts.c: the mount each fd was opened through */
	/* Memory shared with another process (clone with CLONE_VM and no
	 * CLONE_THREAD: vfork, posix_spawn), until the child execs or ends:
	 * the parent's pid in the child, a count in the parent. Code is not
	 * patched then (view/patch.c): the other process may be running it. */
	pid_t vm_parent;
	unsigned vm_children;
	/* The child of a vfork (CLONE_VFORK): its parent waits, in the kernel,
	 * until it execs or ends. */
	bool vforked;
	uint32_t scratch_used;             /* view/tracee_calls.c: areas of rt_scratch in use */
	uint64_t view_no_site[16];         /* view/patch.c: call sites of none of the shapes it
					      patches, by address, until the next exec */
	bool view_no_table;                /* view/patch.c: no runtime's jump table, until exec */
	bool view_sigtrap_taken;           /* view/patch.c: SIGTRAP caught or ignored (seen with
					      several threads), until exec */
	struct facet_process *hnext;
};

/* How a trapped call reached the supervisor; decides what can be done to it. */
enum call_route { ROUTE_NOTIFY, ROUTE_PTRACE };

/* The public facet_syscall plus what only the core needs. */
struct call {
	struct facet_syscall sc;
	enum call_route route;
	bool can_rewrite;                  /* the back end can honour FACET_REWRITE */
	bool can_inject;                   /* ... and FACET_INJECT_FD */
	bool want_exit;                    /* some engine asked for the exit */
	bool view_pending;                 /* view: rewritten; its exit stop completes it */
	int inject_at;                     /* the fd number to inject at; -1: the lowest free */
	uint64_t notif_id;                 /* ROUTE_NOTIFY */
};

struct facet_task {
	pid_t tid;
	struct facet_process *proc;
	struct facet_session *session;
	void **slots;
	bool in_syscall;                   /* ptrace: resumed to reach the exit stop */
	bool fresh;                        /* no stop of it seen yet */
	bool announced;                    /* its parent's clone event was seen (or it is the root) */
	bool held;                         /* new, kept in its first stop until it is announced */
	enum {
		DEFER_NONE,
		DEFER_INTERRUPTED,         /* answered ERESTARTNOINTR, PTRACE_INTERRUPT sent */
		DEFER_AWAIT_ENTRY,         /* resumed with PTRACE_SYSCALL, call restarting */
		DEFER_AWAIT_NOTIF,         /* entry stop seen; its notification gets CONTINUE */
		DEFER_AWAIT_EXIT,          /* running in the kernel; the exit stop has the result */
	} defer;
	long kernel_interrupted;           /* the number of its last call, if the kernel made it
					      (defer.c) and it ended in ERESTARTSYS: a signal came
					      while it ran, not while it waited for the supervisor
					      (keep_uninterruptible); -1. Until its next call. */
	bool diverged;                     /* watch.c: no longer sees what the supervisor sees */
	bool diverge_children;             /* watch.c: its next clone makes namespaces */
	bool creds_dirty;                  /* watch.c: read its credentials before its next call */
	bool cwd_changing;                 /* emulate.c: its chdir or fchdir may not have returned */
	int cwd_fd;                        /* emulate.c: its cwd, kept open; -1 */
	struct creds *creds;               /* creds.c: its credentials, NULL: the supervisor's */
	bool hidden;                       /* spawn.c: the stub after a failed execve; its calls
					      are facet's own, not shown to engines */
	pid_t superseded_by;               /* on_exec: a leader replaced by this (former) tid */
	enum {
		STOP_NONE,                 /* not stopped, or not in one of its callbacks */
		STOP_PTRACE,               /* dispatch.c: callbacks at a ptrace stop */
		STOP_SIGNAL,               /* ... at a signal-delivery stop */
	} stop;
	struct call call;                  /* the call between entry and exit (ptrace) */
	struct mem_cache *memcache;        /* mem.c: bytes read/written during this stop */
	struct view_task *view;            /* view/fs.c: the task's view state, NULL without a view */
	struct facet_task *hnext;
};

#define TASK_BUCKETS 1024

struct facet_session {
	struct facet_engine **engines;
	unsigned nengines;
	unsigned events;                   /* union of engines' events */
	uint8_t want[FACET_NR_MAX];        /* union of engines' syscall wishes */
	enum facet_backend requested, backend;
	struct facet_features feat;
	bool probed;

	int notify_fd;                     /* -1 with the ptrace back end */
	bool sync_on;                      /* synchronous wake-up set on notify_fd (backend_notify.c) */
	pid_t root_pid;
	int root_status;
	bool emulating;                    /* some call may be emulated (session_prepare) */
	unsigned cwd_changing;             /* emulate.c: tasks whose chdir may not have returned */
	unsigned cwd_cached;               /* emulate.c: tasks with cwd_fd open */
	struct creds_state *creds;         /* creds.c: the supervisor's, and which it wears */
	bool root_execed;                  /* the command's first execve succeeded */
	int exec_error;                    /* errno of a failed first execve */
	bool command_error;                /* the error is the command's: not found, not executable */
	bool started;

	struct facet_task *tasks[TASK_BUCKETS];
	struct facet_process *procs[TASK_BUCKETS];
	unsigned ntasks;
	unsigned nheld;                    /* tasks held in their first stop (backend_ptrace.c) */

	struct facet_view *view;           /* what the user asked for; NULL: no view */
	struct view_state *vs;             /* the running view (view/view.c) */

	char error[512];
};

/* syscall_table.c: the architecture-neutral rows (syscalls.h), numbered or
 * not on this architecture, with nr -1; for the unit test. */
const struct facet_syscall_info *syscall_rows(size_t *count);

/* session.c */
__attribute__((format(printf, 3, 4)))
int session_fail(struct facet_session *s, int err, const char *fmt, ...);
/* The same, for a message that says all itself: no ": strerror" added. */
__attribute__((format(printf, 3, 4)))
int session_fail_text(struct facet_session *s, int err, const char *fmt, ...);
/* Calls the engines' start callbacks and forms the union of their wishes. */
int session_prepare(struct facet_session *s);
/* Route of syscall nr given the back end and what engines want. */
enum call_route session_route(const struct facet_session *s, long nr);

/* task.c */
struct facet_task *task_find(struct facet_session *s, pid_t tid);
/* Finds or creates the task; its process is found from /proc if needed.
 * `tgid` may be 0 if unknown. */
/* task.c: memory sharing between processes (struct facet_process). */
void task_note_vm_shared(struct facet_session *s, struct facet_task *parent, struct facet_task *child, bool vfork);
/* The process that shares p's memory, p being a vfork's child (or NULL). */
struct facet_process *task_vm_parent(struct facet_session *s, const struct facet_process *p);
void task_vm_unshare(struct facet_session *s, struct facet_process *p);
struct facet_task *task_get(struct facet_session *s, pid_t tid, pid_t tgid);
void task_remove(struct facet_session *s, struct facet_task *t);
/* The thread `from` took over `to`'s tid (exec from a non-leader thread). */
void task_rekey(struct facet_session *s, struct facet_task *t, pid_t new_tid);
void task_free_all(struct facet_session *s);
pid_t task_read_tgid(pid_t tid);
pid_t task_read_ppid(pid_t tid);
/* The tracee's fd `fd` as a supervisor fd (pidfd_getfd), -1 if that cannot
 * be had; see task.c for when. */
int task_dup_fd(const struct facet_task *t, int fd);

/* mem.c: forget what was cached, before the tracee runs again. */
void mem_cache_reset(struct facet_task *t);
/* Writes `total` bytes, the n pieces local[i] to remote[i] in their order,
 * in one system call: total, or -errno (-EFAULT if cut short). */
ssize_t mem_writev(struct facet_task *t, const struct iovec *local, const struct iovec *remote, size_t n,
		   size_t total);
void mem_cache_free(struct facet_task *t);

/* dispatch.c */
void dispatch_entry(struct facet_session *s, struct facet_task *t, struct call *c);
void dispatch_exit(struct facet_session *s, struct facet_task *t, struct call *c);
void dispatch_clone(struct facet_session *s, struct facet_task *parent, struct facet_task *child,
		    enum facet_clone_kind kind);
void dispatch_exec(struct facet_session *s, struct facet_task *t);
int dispatch_signal(struct facet_session *s, struct facet_task *t, int sig);
void dispatch_task_exit(struct facet_session *s, struct facet_task *t, int status);
void call_init(struct call *c, const struct facet_session *s, long nr, const uint64_t args[6],
	       uint64_t ip, enum call_route route);

/* filter.c: the BPF program for the tree, from the engines' union. */
struct sock_fprog;
int filter_compile(struct facet_session *s, struct sock_fprog *out);
void filter_free(struct sock_fprog *prog);

/* emulate.c: calls the supervisor can perform itself with identical results,
 * so that their result is known without a ptrace exit stop. */
bool emulate_supported(const struct facet_session *s, long nr);
/* Some calls can be emulated only when (args[*argi] & *mask) == 0 (open
 * without O_CREAT, say); the filter sends the others down the ptrace route. */
bool emulate_arg_condition(long nr, unsigned *argi, uint64_t *mask);

enum emu_outcome {
	EMU_VALUE,   /* the result is `value` */
	EMU_INJECT,  /* install the supervisor's `fd` in the tracee; the result is its number */
	EMU_DEFER,   /* only the kernel can do this one: let the tracee make the call itself */
	EMU_NATIVE,  /* the kernel runs the call as it is (view.c: umask, unshare) */
	EMU_REWRITTEN, /* ptrace route: the arguments were rewritten; the exit stop completes it */
};
struct emu_result {
	enum emu_outcome kind;
	int64_t value;
	int fd;
	bool cloexec;
	int target_fd;               /* EMU_INJECT: the tracee's fd number to use; -1: the lowest free */
};
/* Performs c->sc in the name of t. */
void emulate_call(struct facet_task *t, const struct call *c, struct emu_result *r);
/* The tracees' cwds, kept open between emulated calls: t called chdir or
 * fchdir (watch.c), which may change the cwd of any task until it returns;
 * t is at a stop or notification again, so any such call of its returned;
 * t is gone. */
void emulate_cwd_changing(struct facet_task *t);
void emulate_cwd_settled(struct facet_task *t);
void emulate_task_free(struct facet_task *t);
/* emulate_open.c: open/openat without O_CREAT, answered by fd injection. */
void emulate_open(struct facet_task *t, int dfd, const char *path, int flags, struct emu_result *r);

/* watch.c: calls after which a task's calls are no longer emulated (or,
 * in a view, are performed with its credentials). */
bool watch_wanted(const struct facet_session *s);
/* Whether nr is watched; for clone, only when (flags & *clone_flags_mask). */
bool watch_nr(long nr, uint64_t *clone_flags_mask);
void watch_entry(struct facet_task *t, const struct call *c);
/* True if t's calls must be left to the kernel. */
bool watch_diverged(struct facet_task *t);

/* creds.c: tracees' credentials, and the supervisor wearing them for a
 * call made in a tracee's name (the view's path calls). */
struct creds;
int creds_start(struct facet_session *s);
void creds_stop(struct facet_session *s);
/* Whether tracees can have credentials other than the supervisor's. */
bool creds_privileged(const struct facet_session *s);
/* t's credentials, read again if a watched call marked them dirty; NULL
 * while they are the supervisor's. */
const struct creds *creds_of(struct facet_task *t);
void creds_share(struct facet_task *parent, struct facet_task *child);
/* The fsuid and fsgid of credentials creds_of() returned. */
void creds_fs_ids(const struct creds *c, uid_t *uid, gid_t *gid);
void creds_task_free(struct facet_task *t);
/* Makes the supervisor's thread check permissions as t (with t's real ids
 * if `real`, as access(2) does) until creds_restore(): 1 if it switched, 0
 * if t's credentials are the supervisor's, -errno if it could not. */
int creds_assume(struct facet_task *t, bool real);
void creds_restore(struct facet_session *s);

/* keep_traced.c: no task escapes supervision (CLONE_UNTRACED). */
/* Whether nr must take the ptrace route and be trapped even if no engine
 * wants it; for clone only when (flags & *clone_flags_mask). */
bool keep_traced_nr(long nr, uint64_t *clone_flags_mask);
/* At the seccomp stop: clears CLONE_UNTRACED in the arguments the kernel
 * will use; true if args changed (the registers must be set). */
bool keep_traced_args(struct facet_task *t, long nr, uint64_t args[6]);
/* A task that reached the supervisor untraced: attach it, or kill it. */
int keep_traced_adopt(struct facet_session *s, pid_t tid);

/* probe.c */
int probe_features(struct facet_features *f);
/* The same, always by a probe child: what probe_features() answers
 * without one must agree with it (tests/unit/test-probe.c). */
int probe_features_by_child(struct facet_features *f);

/* spawn.c */
/* area: SPAWN_AREA_SIZE bytes, 16-aligned, for the stub (its stack), valid
 * until the command has exec'd or died: facet_session_run()'s frame. */
#define SPAWN_AREA_SIZE (16 * 1024)
int spawn_tree(struct facet_session *s, char *const argv[], const struct sock_fprog *prog, void *area);
/* At a SIGTRAP of the root task: true if it is the stub reporting that
 * execve failed; the error is then recorded and the task hidden from the
 * engines, and when resumed it exits with status 1 (as strace's child does). */
bool spawn_exec_failed(struct facet_session *s, pid_t tid);

/* defer.c: a notified call the core cannot perform, made again by the
 * tracee under ptrace and run by the kernel with the engines' arguments.
 * Each function returns true if it took the event; the caller then resumes
 * the task (the notification needs no further answer). */
struct __ptrace_syscall_info;
void defer_call(struct facet_session *s, struct facet_task *t, const struct call *c);
bool defer_notification(struct facet_session *s, struct facet_task *t, uint64_t id);
bool defer_interrupt(struct facet_task *t, int sig);
bool defer_syscall_stop(struct facet_task *t, const struct __ptrace_syscall_info *info);
bool defer_seccomp_stop(struct facet_task *t, long nr);

/* backend_notify.c / backend_ptrace.c */
struct seccomp_notif;
/* Waits for the next notification on fd (the listener, or a copy of it):
 * 0, or -errno (-ENOENT: it vanished, or no task holds the filter). */
int notify_receive(int fd, struct seccomp_notif *req);
void notify_handle(struct facet_session *s, const struct seccomp_notif *req);
/* Synchronous wake-up on the listener, or off (backend_notify.c). */
void notify_set_sync_wakeup(struct facet_session *s, bool on);
int ptrace_handle_stop(struct facet_session *s, pid_t tid, int status);
int supervise(struct facet_session *s);
/* supervise.c: keeps the supervisor's signals away from a call that a
 * signal must not interrupt; pass what it returns to
 * supervise_release_signals() after the call. */
bool supervise_hold_signals(void);
void supervise_release_signals(bool held);

#endif
