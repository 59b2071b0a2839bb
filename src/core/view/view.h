/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The view inside the core: the session's mount table and host fds, the
 * per-process state a view needs (cwd and root, as CLONE_FS shares them),
 * and the handling of every call that takes a path.
 *
 *   resolve  the call's path arguments, read once, become host fds and
 *            names (src/vfs does the walking; pathcall.c knows which
 *            argument is what, from the table in pathcalls.h);
 *   execute  the supervisor performs the call on those (exec_call.c), or,
 *            for what only the tracee can do (open on the ptrace route,
 *            chdir, connect...), the call is rewritten to name the object
 *            through the supervisor's /proc/PID/fd and the kernel runs it.
 */
#ifndef FACET_CORE_VIEW_H
#define FACET_CORE_VIEW_H

#include <linux/filter.h>
#include <linux/landlock.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/internal.h"
#include "rt/config.h"
#include "vfs/vfs.h"

#define VIEW_MAX_MOUNTS 128
#define VIEW_MAX_PROXIES 16

/* Landlock rights newer than the build machine's headers. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

struct stat;

struct view_bind {
	char *host, *guest;
	unsigned flags;                    /* FACET_BIND_* */
};

/* What the user asked for (the public struct facet_view). */
struct facet_view {
	char *root;                        /* host directory of "/", NULL: the host's "/" */
	char *cwd;                         /* guest starting directory, NULL: see view_start_cwd */
	struct view_bind *binds;
	unsigned nbinds;
	enum facet_view_mode mode;
	bool fake;                         /* fake root (facet_view_set_identity) */
	uid_t fake_uid;
	gid_t fake_gid;
	char *owner_state;                 /* its record's file, NULL: none */
};

/* A directory that lists mount points it does not hold on the host. */
struct view_augment {
	dev_t dev;
	ino_t ino;
	unsigned first, count;             /* its extra names in view_state.extra */
};

struct view_extra {
	char name[VFS_NAME_MAX + 1];
	unsigned char d_type;
	uint64_t ino;
};

/* The running view: built from the facet_view when the session starts. */
struct view_state {
	struct vfs_table *table;
	size_t table_size;
	int *mount_fds;                    /* O_PATH fd per mount */
	char **mount_hosts;                /* ... the host path each was opened for (view.c) */
	unsigned nfds;
	char *scratch;                     /* host directory of the synthetic directories */
	struct view_augment *augment;
	unsigned naugment;
	/* Directories that list mount points they lack are given to the tracee
	 * at fds from here up, so that the filter traps getdents64 on those
	 * fds only (0: on every fd; the ptrace back end cannot choose numbers). */
	int aug_base;
	struct view_extra *extra;
	unsigned nextra;
	/* Host directories above mount points (and procfs): a walk from one
	 * of them must watch for mount points; from any other, the kernel
	 * may walk alone. */
	struct view_ident { dev_t dev; ino_t ino; } *fences;
	unsigned nfences;
	dev_t *proc_devs;
	unsigned nproc_devs;
	pid_t self;                        /* the supervisor's pid, for /proc/PID/fd/N names */
	bool protected_symlinks;           /* fs.protected_symlinks (vfs_may_follow) */
	/* AF_UNIX sockets bound in the view: the name the kernel keeps (a host
	 * path), and the one the program gave (tracee_calls.c). */
	struct view_bound { char *kernel, *program; } bound[64];
	unsigned next_bound;
	char start_cwd[VFS_PATH_MAX];      /* the command's starting directory (guest) */
	int start_fd;                      /* ... and its host directory */
	char *loader_path;                 /* facet-loader (exec.c), NULL if not found */
	uint64_t loader_lo, loader_hi;     /* where the kernel maps it (it is linked there) */
	uint64_t rt_gate;                  /* its runtime's forwarding instruction, 0: none */
	uint64_t rt_pass;                  /* ... and its pass-through instruction */
	uint64_t native_gate;              /* the image's own calls' one instruction */
	bool fast;                         /* the runtime serves calls (FACET_VIEW_FAST, and
					      what it needs is there) */
	struct rt_config *rt_config;       /* what the runtime is told at each exec */
	/* Where the supervisor writes in a process's runtime when it patches
	 * a call site there (patch.c): symbols of the image. */
	uint64_t rt_sites, rt_site_next, rt_cwd;
	uint64_t rt_trampolines;           /* trampoline 0, where the table's slot 0 points */
	uint64_t rt_config_addr;           /* the runtime's struct rt_config */
	uint64_t rt_fd_marks;              /* the runtime's marks of its fds (rt/fds.h), 0: none */
	uint64_t plan_in;                  /* the loader's .bss area for its plan (0: below the stack) */
	uint64_t rt_scratch;               /* the image's scratch for rewritten arguments,
					      0: none (view_push() uses the stack) */
	int aslr_flags;                    /* loader_plan_aslr_flags(), read once */
	/* proxy.c: processes sharing the supervisor's fds under tracees' ids. */
	struct view_proxy { uid_t uid; gid_t gid; pid_t pid; } proxies[VIEW_MAX_PROXIES];
	unsigned nproxies;
	/* landlock.c: the ruleset the tree is confined with (FAST, CONFINE). */
	struct view_landlock {
		int abi;                   /* the kernel's Landlock ABI; 0: not used */
		uint64_t handled;          /* the rights the ruleset handles */
		int ruleset_fd;
		struct view_rule { char *host; uint64_t access; } *rules; /* as added to it */
		unsigned nrules;
	} landlock;
	/* holder.c: under Landlock, the processes of the tree's domain that
	 * hold the fds its names lead to: [0] the holder, then the proxies. */
	struct view_holder {
		bool ready;                /* false: names lead to the supervisor */
		int sock[2];               /* the supervisor's end, and the holder's */
		int pidfd;                 /* the holder's */
		uint32_t seq;              /* the last request's number */
		char *path;                /* facet-holder, and how it is started */
		char pid_arg[16], fd_arg[16];
		char *argv[4], *envp[1];
		struct view_holder_proc { pid_t pid; uid_t uid; gid_t gid; } procs[VIEW_MAX_PROXIES + 1];
		unsigned nprocs;
		/* What the holder's fd N was last given (an exec names the same
		 * program and interpreter under the same numbers again). */
		struct view_holder_placed { int fd; dev_t dev; ino_t ino; } placed[32];
		unsigned next_placed;
	} holder;
	struct fakeroot *fr;               /* core/fakeroot: NULL without fake root */
	struct view_sites *sites;          /* sites.c: NULL until a site is patched */
	struct view_go_sites *go_sites;    /* go_sites.c: NULL until a program is looked at */
	struct view_exec_fds *exec_fds;    /* exec_fds.c: NULL until an exec */
};

/* Per fs_struct (shared by CLONE_FS): where relative names start, "/". */
struct view_fs {
	unsigned refs;
	char *cwd;                         /* canonical guest path */
	size_t cwd_len;
	int cwd_fd;                        /* O_PATH fd of its host directory */
	char *root;                        /* the process's root (chroot), canonical guest */
	size_t root_len;
	int root_fd;
	mode_t umask;
};

/* Per task: what a rewritten call needs until its exit stop. */
struct view_task {
	struct view_fs *fs;
	uint64_t clone_flags;              /* of the clone seen at its seccomp stop */
	int held[2];                       /* supervisor fds named in rewritten arguments */
	enum { PENDING_NONE, PENDING_CHDIR, PENDING_FCHDIR, PENDING_BIND, PENDING_SOCKNAME } pending;
	uint64_t pending_addr, pending_lenp;   /* PENDING_SOCKNAME: where the address goes */
	int open_mount;                        /* an open's object: its mount and identity, */
	dev_t open_dev;                        /* noted with the fd it becomes */
	ino_t open_ino;
	bool open_creates;                     /* ... and that it makes a new file (fake root), */
	gid_t open_gid;                        /* with this group */
	int relock_fd;                         /* fake root: a file opened with owner's bits */
	mode_t relock_mode;                    /* added, and its host mode to give back */
	uint32_t pending_len;                  /* ... and the room the caller gave */
	char *pending_path;                /* the guest cwd a chdir sets; the name a bind gives */
	char *pending_host;                /* the name the kernel gets for that bind */
	int pending_fd;
	/* The last rewrite, so that a restart of the call (the kernel re-runs
	 * it after a signal handler) is recognised and undone first. */
	long rw_nr;
	uint64_t rw_orig[6], rw_new[6];
	bool rw_valid;
	int scratch;                       /* its area of the image's scratch, -1: none */
	/* exec.c: an exec on its way to the loader, the one being loaded, and
	 * where the loader's code is while it runs. */
	struct view_exec *exec, *loading;
	uint64_t loader_lo, loader_hi;
	bool in_loader;
	char exe[VFS_PATH_MAX];            /* guest path of the program (/proc/PID/exe) */
	struct fake_ids *ids;              /* core/fakeroot: its identity, NULL without fake root */
};

/* view.c */
int view_start(struct facet_session *s);        /* builds view_state */
/* After the tree's end: saves what outlives the session (--fakeroot-state).
 * 0, or a negative errno with the session's message set. */
int view_end(struct facet_session *s);
void view_stop(struct facet_session *s);
/* vfs_ops.c: src/vfs as the supervisor runs it for task t (NULL: before
 * any task exists), and fs.protected_symlinks as this host sets it. */
const struct vfs_view *view_vfs(struct facet_task *t);
const struct vfs_view *view_session_vfs(struct facet_session *s, struct facet_task *t);
bool view_protected_symlinks(void);
/* Whether st is a directory listing mount points it lacks on the host. */
bool view_is_augmented(const struct view_state *vs, const struct stat *st);
/* The links such a directory (dev, ino) has in the view beyond the host's:
 * its mount points that are directories (exec_call.c). */
unsigned view_extra_links(const struct view_state *vs, dev_t dev, ino_t ino);
/* A free fd number of the tracee at or above vs->aug_base, or -1. */
int view_augmented_fd(struct facet_task *t);
/* Whether a walk from host directory fd may meet a mount point. */
bool view_is_fence(const struct view_state *vs, const struct stat *st);
/* PATH search for the command, in the view: the guest path into out. */
int view_find_command(struct facet_session *s, const char *name, char *out, size_t size);
/* "/proc/self/fd/N" */
void view_magic_name(char *buf, size_t size, int fd);
/* The tracee's fd `fd` as a supervisor fd (pidfd_getfd, else /proc). */
int view_tracee_fd(struct facet_task *t, int fd);

/* fs.c */
struct view_task *view_task(struct facet_task *t);
/* The host mode of a file an open on the ptrace route needed owner's bits
 * of (fake root), given back: at the open's exit, or the task's end. */
void view_relock(struct view_task *vt);
/* The mode `was` goes back to the file p (an fd of it) at the call's exit
 * (view_relock), or at once if p cannot be kept. */
void view_relock_at_exit(struct facet_task *t, int p, mode_t was);
/* The task's fs state, made at the view's root if it has none. */
struct view_fs *view_fs_of(struct facet_task *t);
/* rt_cwd.c: writes the cwd's names into t's runtime, or clears them where
 * the runtime cannot answer getcwd alone (rt/config.h, struct rt_cwd). */
void view_rt_cwd_note(struct facet_task *t);
/* The root of fs is not the view's "/". */
bool view_fs_root_changed(const struct view_fs *fs);
int view_fs_init_root(struct facet_session *s, struct facet_task *t);
void view_on_clone(struct facet_task *parent, struct facet_task *child);
void view_task_free(struct facet_task *t);
int view_fs_set_cwd(struct view_fs *fs, const char *guest, size_t len, int fd);
struct view_fs *view_fs_unshare(struct facet_task *t);
/* The cwd's guest path now (see fs.c), into buf: its length or -errno. */
long view_fs_cwd(const struct vfs_table *tb, struct view_fs *fs, char *buf, size_t size, bool deleted);

/* fdmounts.c: the mount each fd of a process was opened through. */
struct view_fdtab;
void view_fd_note(struct facet_task *t, int fd, int mount, const struct stat *st);
/* That mount, if fd still refers to the object st describes (or the
 * runtime marked the fd, and its host path lies in the mount); else -1. */
int view_fd_mount(struct facet_task *t, int fd, const struct stat *st);
/* fd was installed in t's process for a call from ip: a mark the runtime
 * made for that number earlier (rt/fds.h) is no longer true. */
void view_fd_installed(struct facet_task *t, uint64_t ip, int64_t fd);
void view_fd_copy(struct facet_task *parent, struct facet_task *child);
void view_fd_free(struct view_fdtab *tab);

/* pathcall.c */
#include "core/view/pathcall.h"
/* The route of path call nr in a view. */
enum call_route view_route(const struct facet_session *s, long nr);
/* At the seccomp stop of clone or clone3: notes the flags (CLONE_FS decides
 * whether the child shares the cwd); -EPERM for a new mount or user
 * namespace, which the view could not follow. */
int view_clone_entry(struct facet_task *t, const struct call *c);
/* Clone flags the filter must stop for in a view. */
#define VIEW_CLONE_FLAGS (CLONE_FS | CLONE_NEWNS | CLONE_NEWUSER)

/* exec.c */
struct view_exec;
void view_exec_free(struct view_exec *x);
/* At PTRACE_EVENT_EXEC: the loader starts; give it its plan. */
void view_on_exec(struct facet_task *t);
/* A call the loader makes while it maps the program: it runs untouched
 * and no engine sees it. */
bool view_loader_call(struct facet_task *t, const struct call *c);

/* loader_image.c: facet-loader, found next to libfacet or where it was
 * installed; and the address seccomp reports for a call the runtime
 * forwards (0 without a runtime). */
int view_find_loader(struct view_state *vs, const char *libdir_hint);
uint64_t view_rt_gate_ip(const struct view_state *vs);
/* A call from there is the program's own (rt.h, rt_pass). */
uint64_t view_rt_pass_ip(const struct view_state *vs);
/* The image's own calls (the loader's, the runtime's) come from there. */
uint64_t view_native_gate_ip(const struct view_state *vs);
/* The runtime's configuration for this view (vs->rt_config); clears
 * vs->fast if the image lacks what patching needs. */
int view_rt_prepare(struct view_state *vs);
/* What the runtime of t is told at exec (buf: room for a variant). */
const struct rt_config *view_rt_config_for(struct facet_task *t, struct rt_config *buf);
/* Writes c into the runtime of t's new image (at its exec stop), the
 * bytes in use only (rt_config_size): 0 or -errno. */
int view_rt_config_write(struct facet_task *t, const struct rt_config *c);
/* A chroot changed the root of fs: the runtimes that share it are told. */
void view_rt_root_changed(struct facet_session *s, const struct view_fs *fs);
/* After a change of t's fake identity: a process whose thread is no
 * longer -0's root makes no fake root write itself (config.h). */
void view_rt_ids_changed(struct facet_task *t);

/* patch.c: a call the runtime could have answered came from a call site of
 * the program, stopped in user notification: point the site at the
 * runtime if it can be. */
void view_patch_site(struct facet_task *t, const struct call *c);
/* At a SIGTRAP's signal-delivery stop: if t met a site half written for
 * the runtime, the site is finished and t set to run it again; true then,
 * and the signal is to be dropped. */
bool view_patch_trap(struct facet_task *t);
/* An exec brings new code: the sites found of no shape are forgotten. */
void view_patch_sites_forget(struct facet_process *p);
/* sites.c: whether the 7 bytes at a site are its jump to the runtime. */
bool view_site_patched(const uint8_t b[7]);
/* sites.c: the sites patched so far, by file. A site to patch: */
struct view_site_at {
	uint64_t at;                       /* its first byte */
	uint32_t how, imm;                 /* rt_sites[k].nr and .imm */
};
/* The other sites known of the file whose site at `at` (bytes orig, how)
 * is, if all of them are in place in t's process: into out (at most max)
 * those not patched yet, their number; -1 if no file known has it. */
int view_sites_known(struct facet_task *t, uint64_t at, const uint8_t orig[7], uint32_t how,
		     struct view_site_at *out, unsigned max);
/* Learns that the site at `at` of t's process is patchable so. */
void view_sites_learn(struct facet_task *t, uint64_t at, const uint8_t orig[7], uint32_t how, uint32_t imm);
/* The sites known of the file open on fd, for the loader to patch before
 * the file's code runs (loader/plan.h): their number, at most max; none
 * unless at least two are known (as view_sites_known()). */
struct loader_plan_site;
unsigned view_sites_of_file(struct view_state *vs, int fd, struct loader_plan_site *out, unsigned max);
void view_sites_free(struct view_state *vs);
/* go_sites.c: Go's Syscall6 in the program open on fd, for the loader to
 * patch: the sites' number, at most max (0 but in a Go program). */
unsigned view_go_sites(struct view_state *vs, int fd, struct loader_plan_site *out, unsigned max);
void view_go_sites_free(struct view_state *vs);
/* patch.c: whether a site that serves every call may be patched (no
 * engine wants a call the runtime would answer). */
bool view_patch_serve_all(const struct facet_session *s);

/* exec_fds.c: the fds an exec names to the loader, kept for the next one.
 * take() gives fd, or an fd of the same file by the same name kept from
 * before (fd closed); release() once the loader has opened it. */
int view_exec_fd_take(struct view_state *vs, int fd);
/* holder.c: whether fd fa of process pa and fd fb of pb name their object
 * by the same path (readlink of their /proc links). */
bool view_fds_same_name(pid_t pa, int fa, pid_t pb, int fb);
void view_exec_fd_release(struct view_state *vs, int fd);
void view_exec_fds_free(struct view_state *vs);
/* The guest path of the program t runs, into buf; false if not known. */
bool view_exe(struct facet_task *t, char *buf, size_t size);

/* landlock.c */
/* The Landlock ABI the tree will be confined with (see
 * facet_session_landlock()), or 0 and why not. */
int view_landlock_status(const struct facet_session *s, const char **why);
/* The ruleset of the running view's mounts, if Landlock is to be used. */
int view_landlock_prepare(struct facet_session *s);
void view_landlock_free(struct view_landlock *ll);
/* The rights Landlock checks for an open with `flags` of an object of
 * type `mode`, and for making an object of type `mode`. */
uint64_t view_landlock_open_access(int flags, mode_t mode);
uint64_t view_landlock_make_access(mode_t mode);
/* -EACCES if the kernel would refuse `access` on the resolved name to the
 * confined tree (an object outside the view's mounts), else 0: the
 * supervisor refuses it in the tree's name as well. */
int view_confined(struct facet_task *t, struct pc_name *n, uint64_t access);

/* holder.c */
/* The holder's filter, if Landlock is used. */
int view_holder_prepare(struct facet_session *s);
/* In the command's stub, after no_new_privs and before its own filter:
 * confines it with the ruleset and starts the holder (its pid in *holder). */
int view_holder_start(const struct view_state *vs, pid_t *holder);
/* The supervisor waits for the holder to be ready. */
int view_holder_attach(struct facet_session *s, pid_t holder);
/* Installs the supervisor's fd at the same number in the process whose
 * /proc/PID/fd t follows under Landlock: that pid (the supervisor's own
 * if it cannot be done: the name then fails in the tracee). */
pid_t view_holder_name(struct facet_task *t, int fd);
void view_holder_stop(struct view_holder *h);

/* proxy.c */
/* The name under which t's kernel reaches the supervisor's fd `fd` (and
 * `name` in that directory, if not NULL): /proc/PID/fd/N[/name], PID being
 * the supervisor's or, for a task with other credentials, a proxy's. Its
 * length, or -ENAMETOOLONG. */
int view_fd_name(struct facet_task *t, char *buf, size_t size, int fd, const char *name);
/* Ends the proxies (when the tree is gone, and with the view). */
void view_proxies_stop(struct view_state *vs);

/* procfs.c */
/* A link in a procfs directory of the view, to follow (see struct vfs_ops). */
long view_proc_link(struct facet_session *s, struct facet_task *t, const char *dir, size_t dir_len,
		    const char *name, char *buf, size_t size);
/* readlink of a procfs link as the tracee reads it; -EINVAL if `name` in
 * `dir` is not one the view translates. */
long view_proc_readlink(struct facet_task *t, const char *dir, size_t dir_len, const char *name, char *buf,
			size_t size);
/* The task of the tree whose file of procfs (/proc/PID/NAME,
 * /proc/PID/task/TID/NAME) fd is, NAME in name (size bytes), or 0 if it
 * is not one. */
pid_t view_proc_task_file(struct facet_session *s, int fd, char *name, size_t size);

/* len bytes of data in a sealed memfd (named name), given as a new
 * read-only fd: a procfs file as the view shows it. -errno on failure. */
int view_sealed_file(const char *name, const char *data, size_t len);
/* The view's mounts as /proc/PID/mountinfo (or, `legacy`, /proc/PID/mounts)
 * would show them in a mount namespace of their own (mountinfo.c): a sealed
 * memfd, or -errno. */
int view_mounts_file(struct facet_session *s, bool legacy);

#endif
