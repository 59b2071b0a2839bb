/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fake root (facet -0, -i UID:GID): the tree believes it has another
 * identity, root's by default, and what it does as that identity that the
 * real user cannot do is recorded instead of refused. It is part of the
 * view, because it needs what the view has: every call that names a file
 * is resolved there, and the in-process runtime answers stat calls there.
 *
 *   ids.c     the identity calls (getuid ... setgroups), per task, inherited
 *             across clone and exec
 *   caps.c    capget, capset, the capability prctls, and what changing
 *             uids and exec do to the capability sets
 *   status.c  /proc/PID/status as the tree sees it
 *   table.c   the record of owners, modes and device nodes (src/rt/owners.h):
 *             the supervisor's own copy, written through to the file
 *             the runtime maps read-only
 *   files.c   chown, chmod, mknod, unlink, rename and the stat results:
 *             where the record is written and applied
 *   xattrs.c  security.* and trusted.* extended attributes, recorded
 *   state.c   --fakeroot-state FILE: loaded at start, saved at exit
 *
 * A file the tree creates is the real user's on the host; it shows as the
 * tree's identity's (owners.h). Only what differs from that is recorded,
 * so the record stays small: a package's files chowned to root:root under
 * -0 need none.
 */
#ifndef FACET_CORE_FAKEROOT_H
#define FACET_CORE_FAKEROOT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "rt/owners.h"

struct facet_session;
struct facet_task;
struct call;
struct emu_result;
struct path_call;
struct statx;

/* The kernel's NGROUPS_MAX (setgroups takes at most that many). */
#define FAKE_NGROUPS_MAX 65536

/* A task's credentials as the tree sees them: the kernel's struct cred,
 * one per task (threads have their own, as in Linux). */
struct fake_ids {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	uint64_t cap_eff, cap_prm, cap_inh, cap_bnd, cap_amb;
	unsigned securebits;               /* SECBIT_* (prctl PR_SET_SECUREBITS) */
	unsigned ngroups;
	gid_t *groups;                     /* sorted, as setgroups leaves them */
};

struct fakeroot {
	uid_t uid;                         /* the identity the tree starts with */
	gid_t gid;
	uid_t real_uid;                    /* the supervisor's */
	gid_t real_gid;
	uint64_t cap_all;                  /* the kernel's capabilities (cap_last_cap) */
	/* table.c: the record (private), and its published copy: a sealed
	 * memfd (fd), mapped shared (shown), which the runtimes map
	 * read-only through /proc/PID/fd/<fd> */
	struct owners_table *table;
	struct owners_table *shown;
	uint64_t size;
	int fd;
	/* state.c: --fakeroot-state, as given (for messages) and resolved:
	 * absolute, its symbolic links followed (a save replaces the file
	 * the link points to, not the link) */
	char *state_path;
	char *state_file;
	/* table.c: this session's removals of records, for state.c, once the
	 * table's tombstones are reused (private; the same layout, only
	 * tombstones, in order), NULL until the first */
	struct owners_table *graves;
};

/* The identity calls: what each row of the path-call table asks for
 * (its a1, pathcalls.h). */
enum fake_id_call {
	FID_GETUID, FID_GETEUID, FID_GETGID, FID_GETEGID, FID_GETRESUID, FID_GETRESGID,
	FID_GETGROUPS, FID_SETUID, FID_SETGID, FID_SETREUID, FID_SETREGID, FID_SETRESUID,
	FID_SETRESGID, FID_SETFSUID, FID_SETFSGID, FID_SETGROUPS, FID_CAPGET, FID_CAPSET,
	FID_PRCTL,
};

/* fakeroot.c: start and stop with the view (view_start, view_stop);
 * fakeroot_end() saves the record once the tree is gone (view_end). */
int fakeroot_start(struct facet_session *s);
int fakeroot_end(struct facet_session *s);
void fakeroot_stop(struct facet_session *s);

/* table.c */
/* A new table's slots; it doubles up to OWNERS_SLOTS (table.c). */
#define FAKEROOT_FIRST_SLOTS 1024u
/* The most records (and tombstones) a table of nslots takes. */
#define FAKEROOT_TABLE_MAX(nslots) ((nslots) / 4 * 3)
/* A tombstone's ino; it keeps the removed file's in rdev. */
#define FAKEROOT_TOMBSTONE (~0ull)
int fakeroot_table_create(struct fakeroot *fr);
void fakeroot_table_destroy(struct fakeroot *fr);
/* The identity of the file st (and its birth time, if the file system has
 * one) as a record keys it. */
void fakeroot_view_of(struct owner_view *v, const struct stat *st, const struct statx *stx);
/* Sets `fields` of the record of file v (creating it), to uid, gid, mode,
 * rdev; fields outside `fields` keep what the record had. 0, or -ENOSPC
 * when the table is full. */
int fakeroot_record(struct fakeroot *fr, const struct owner_view *v, uint32_t fields, uid_t uid, gid_t gid,
		    mode_t mode, dev_t rdev);
/* Adds a record read from --fakeroot-state, not dirty: 0, -EEXIST if
 * the file has one already, -ENOSPC when the table is full. */
int fakeroot_insert(struct fakeroot *fr, const struct owner_rec *rec);
/* Moves the chowns the runtimes made (the ring, rt/owners.h) into the
 * table: the functions here that read or change it do first;
 * fakeroot_table() is the table for a reader outside table.c. */
void fakeroot_sync(struct fakeroot *fr);
const struct owners_table *fakeroot_table(struct fakeroot *fr);
/* An extended attribute is recorded (xattrs.c): from now on the runtime
 * leaves removals to the supervisor, which drops a file's with it. */
void fakeroot_table_xattrs(struct fakeroot *fr);
/* Drops `fields` from the record of (dev, ino); the record goes with its last field. */
void fakeroot_forget(struct fakeroot *fr, uint64_t dev, uint64_t ino, uint32_t fields);

/* files.c: hooks of the view's calls (exec_call.c, exec_modify.c). Each
 * takes the object as an fd the supervisor holds (O_PATH or open). */
int64_t fakeroot_chown(struct facet_task *t, int fd, uid_t uid, gid_t gid);
int64_t fakeroot_chmod(struct facet_task *t, int fd, mode_t mode);
/* A directory the tree makes with mode (umask applied) that lacks some
 * of the owner's bits, which root (CAP_DAC_OVERRIDE) does not need: it is
 * made with them (fakeroot_dir_needs_bits), so that the real user can
 * still write in it as root does, and then its mode is recorded
 * (fakeroot_made_dir, name in dirfd). */
bool fakeroot_dir_needs_bits(struct facet_task *t, mode_t mode);
void fakeroot_made_dir(struct facet_task *t, int dirfd, const char *name, mode_t mode);
/* An open by the tree of the file st (regular or directory, the real
 * user's) that the owner's bits of its host mode refuse but root's
 * capabilities allow (a file made under umask 777, git's 0444 objects
 * written as root): the bits the open needs, which fakeroot_relock()
 * adds to the file (an O_PATH fd of it, st its mode) for the moment of
 * the open and takes away again; the fd keeps its access, the host file
 * its mode. 0: the real user's refusal is the tree's too. */
mode_t fakeroot_open_needs(struct facet_task *t, const struct stat *st, int flags);
int fakeroot_relock(int fd, mode_t mode);
/* The same for a call that makes or removes a name in directory dirfd
 * (an fd of it): where it is the real user's and its owner's write or
 * search bit is off, which root's CAP_DAC_OVERRIDE would not need, the
 * bits are added for the call: the mode to give back after
 * (fakeroot_relock), or FAKEROOT_UNCHANGED. */
#define FAKEROOT_UNCHANGED ((mode_t)-1)
mode_t fakeroot_dir_unlock(struct facet_task *t, int dirfd);
/* A lookup in directory dirfd (an fd of it) that failed with EACCES: where
 * the directory is the real user's and its owner's search bit is off
 * (tar's 0600 directory, a tree made under umask 177), which root's
 * CAP_DAC_READ_SEARCH would not need, the bit is added for the lookup: the
 * mode to give back after (fakeroot_relock), or FAKEROOT_UNCHANGED.
 * fakeroot_searches() says whether the task has that capability at all. */
bool fakeroot_searches(struct facet_task *t);
mode_t fakeroot_dir_search(struct facet_task *t, int dirfd);
/* mknod of a device node: an empty regular file in its place, recorded. */
int64_t fakeroot_mknod(struct facet_task *t, int dirfd, const char *name, mode_t mode, dev_t rdev);
/* Before a call that removes the name `name` in dirfd (unlink, rmdir, a
 * rename over it): note the file, so that fakeroot_removed() can drop its
 * record once its last link is gone. */
struct fake_gone { bool known; uint64_t dev, ino; nlink_t nlink; bool dir; };
void fakeroot_removing(struct facet_task *t, int dirfd, const char *name, struct fake_gone *g);
void fakeroot_removed(struct facet_task *t, const struct fake_gone *g);
/* The group a file created in directory dirfd gets: the task's fsgid, or
 * the directory's own if it is set-group-ID as the tree sees it. */
gid_t fakeroot_new_gid(struct facet_task *t, int dirfd);
/* A file the tree created (name in fd, or fd itself with ""), with group
 * gid (fakeroot_new_gid before it was made): recorded where its owner
 * differs from what the real user's file shows. */
void fakeroot_created(struct facet_task *t, int fd, const char *name, gid_t gid);
/* The stat family's results as the tree sees them. */
void fakeroot_stat(struct facet_task *t, struct stat *st, int fd, const char *name);
void fakeroot_statx(struct facet_task *t, struct statx *stx);
/* A directory entry's type (DT_*), -1 if the record does not change it. */
int fakeroot_dirent_type(struct facet_task *t, uint64_t dev, uint64_t ino, int dirfd, const char *name);

/* ids.c */
/* The identity a task of the tree starts with (-0: root's; -i: that one). */
struct fake_ids *fakeroot_ids_new(const struct fakeroot *fr);
struct fake_ids *fakeroot_ids_copy(const struct fake_ids *ids);
void fakeroot_ids_free(struct fake_ids *ids);
/* t's identity (made as new if t has none yet). */
struct fake_ids *fakeroot_ids_of(struct facet_task *t);
/* A call of the identity family (row pc, enum fake_id_call in its a1):
 * a value, or EMU_NATIVE for a prctl that is not about capabilities. */
void fakeroot_id_call(struct facet_task *t, const struct call *c, const struct path_call *pc,
		      struct emu_result *res);
/* ids make the calls on files as -0's root: its fsuid and fsgid, and the
 * capabilities that decide chown, chmod and times (CAP_CHOWN, CAP_FOWNER,
 * CAP_FSETID). The runtime makes such calls itself only for a process
 * whose identity is that (RT_CONFIG_FAKE_ROOT_IDS). NULL: the tree's
 * first identity. */
bool fakeroot_ids_root(const struct fakeroot *fr, const struct fake_ids *ids);
/* At exec: the new program's ids and capabilities (prog_fd: its file, to
 * see set-user-ID and set-group-ID bits; -1 if not known). */
void fakeroot_on_exec(struct facet_task *t, int prog_fd);

/* caps.c */
/* What the kernel does to the capabilities when uids change (LSM_SETID_*
 * in cap_task_fix_setuid): `old` is the identity before, `now` after. */
enum fake_setid { FAKE_SETID_ID, FAKE_SETID_RE, FAKE_SETID_RES, FAKE_SETID_FS };
void fakeroot_caps_fix_setuid(struct fake_ids *now, const struct fake_ids *old, enum fake_setid how);
/* The capability sets at exec (cap_bprm_creds_from_file), with the ids
 * the exec gives (after set-user-ID); `setid`: they changed. */
void fakeroot_caps_exec(struct fake_ids *ids, bool setid);
int64_t fakeroot_capget(struct facet_task *t, uint64_t header, uint64_t data);
int64_t fakeroot_capset(struct facet_task *t, uint64_t header, uint64_t data);
/* prctl's capability options; sets *native for any other option, which
 * the kernel runs. */
int64_t fakeroot_prctl(struct facet_task *t, const uint64_t args[6], bool *native);

/* status.c */
/* The status file `fd` (O_PATH, a procfs file) of task tid as the tree
 * sees it: read, its credential lines rewritten, in a new read-only memfd
 * (its fd), or -errno. */
int fakeroot_status_file(struct facet_task *t, int fd, pid_t tid);

/* xattrs.c: names only root may set (security.*, trusted.*), recorded
 * per file. get and remove return -ENODATA for a name not recorded (the
 * kernel's then); list appends the recorded names of file after the
 * `used` bytes the kernel's list took in buf (size 0: just count). */
struct fakeroot_xattr {
	struct owner_view file;            /* dev, ino and birth time */
	char *name;                        /* NULL: all of the file's names, removed */
	void *value;
	size_t size;
	bool gone;                         /* a tombstone: the name was removed */
	uint32_t dirty;                    /* changed by this session (state_file.c:
					    * the line, while it parses) */
};
bool fakeroot_xattr_recorded(const char *name);
/* Whether the task may set or remove the recorded name (files.c): 0 or -EPERM. */
int fakeroot_xattr_may_change(struct facet_task *t, const char *name);
int64_t fakeroot_xattr_get(const struct owner_view *file, const char *name, void *buf, size_t size);
int64_t fakeroot_xattr_set(const struct owner_view *file, const char *name, const void *value, size_t size,
			   int flags);
int64_t fakeroot_xattr_remove(const struct owner_view *file, const char *name);
int64_t fakeroot_xattr_list(const struct owner_view *file, char *buf, size_t size, size_t used);
/* The last link of (dev, ino) is gone: so are its names. */
void fakeroot_xattr_forget(uint64_t dev, uint64_t ino);
/* Adds a name read from --fakeroot-state, not dirty: 0, -EEXIST if the
 * file has it already, or -ENOMEM. */
int fakeroot_xattr_insert(const struct fakeroot_xattr *x);
/* Every entry, tombstones included, for state.c's save. */
const struct fakeroot_xattr *fakeroot_xattr_all(size_t *n);
void fakeroot_xattr_clear(void);
/* The file an fd the supervisor holds is (its identity, as records key it). */
int fakeroot_file_of(int fd, struct owner_view *v);

/* state.c */
int fakeroot_state_load(struct facet_session *s, struct fakeroot *fr);
int fakeroot_state_save(struct facet_session *s, struct fakeroot *fr);

#endif
