/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The session's tables of tasks (threads) and processes (thread groups). */
#include <errno.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"

static unsigned bucket(pid_t id) { return (unsigned)id % TASK_BUCKETS; }

pid_t facet_task_tid(const struct facet_task *t) { return t->tid; }
pid_t facet_task_pid(const struct facet_task *t) { return t->proc->pid; }
struct facet_process *facet_task_process(struct facet_task *t) { return t->proc; }
struct facet_session *facet_task_session(struct facet_task *t) { return t->session; }
pid_t facet_process_pid(const struct facet_process *p) { return p->pid; }

void *facet_task_slot(const struct facet_task *t, const struct facet_engine *e)
{
	return t->slots[e->index];
}

void facet_task_set_slot(struct facet_task *t, const struct facet_engine *e, void *data)
{
	t->slots[e->index] = data;
}

void *facet_process_slot(const struct facet_process *p, const struct facet_engine *e)
{
	return p->slots[e->index];
}

void facet_process_set_slot(struct facet_process *p, const struct facet_engine *e, void *data)
{
	p->slots[e->index] = data;
}

/* A copy of the tracee's fd: pidfd_getfd costs a third of opening
 * /proc/TID/fd/N, which walks procfs. The process's pidfd is kept. It names
 * the thread-group leader's fd table, which a thread may not share (clone
 * without CLONE_FILES) or may have left (a dead leader): on failure the
 * caller falls back to /proc/TID/fd/N, which is exact. */
int task_dup_fd(const struct facet_task *t, int fd)
{
	struct facet_process *p = t->proc;
	if (p->pidfd < 0)
		p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd < 0 || t->tid != p->pid)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, p->pidfd, fd, 0);
}

static pid_t read_status_field(pid_t tid, const char *fmt)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	pid_t v = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &v) == 1)
			break;
	fclose(f);
	return v;
}

pid_t task_read_ppid(pid_t tid)
{
	return read_status_field(tid, "PPid: %d");
}

pid_t task_read_tgid(pid_t tid)
{
	/* pidfd_open takes a thread-group leader only (without PIDFD_THREAD):
	 * one cheap call answers for the new processes, which are most. */
	int fd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (fd >= 0) {
		close(fd);
		return tid;
	}
	return read_status_field(tid, "Tgid: %d");
}

struct facet_task *task_find(struct facet_session *s, pid_t tid)
{
	for (struct facet_task *t = s->tasks[bucket(tid)]; t; t = t->hnext)
		if (t->tid == tid)
			return t;
	return NULL;
}

static struct facet_process *process_get(struct facet_session *s, pid_t pid)
{
	struct facet_process **head = &s->procs[bucket(pid)];
	for (struct facet_process *p = *head; p; p = p->hnext)
		if (p->pid == pid)
			return p;
	struct facet_process *p = calloc(1, sizeof(*p));
	if (!p)
		abort(); /* the supervisor cannot continue consistently without memory */
	p->slots = calloc(s->nengines ? s->nengines : 1, sizeof(void *));
	if (!p->slots)
		abort();
	p->pid = pid;
	p->pidfd = -1;
	p->hnext = *head;
	*head = p;
	return p;
}

void task_note_vm_shared(struct facet_session *s, struct facet_task *parent, struct facet_task *child, bool vfork)
{
	if (child->proc == parent->proc ||
	    syscall(SYS_kcmp, parent->proc->pid, child->proc->pid, KCMP_VM, 0, 0) != 0)
		return;
	child->proc->vm_parent = parent->proc->pid;
	parent->proc->vm_children++;
	child->proc->vforked = vfork;
}

struct facet_process *task_vm_parent(struct facet_session *s, const struct facet_process *p)
{
	if (!p->vm_parent)
		return NULL;
	for (struct facet_process *q = s->procs[bucket(p->vm_parent)]; q; q = q->hnext)
		if (q->pid == p->vm_parent)
			return q;
	return NULL;
}

void task_vm_unshare(struct facet_session *s, struct facet_process *p)
{
	if (!p->vm_parent)
		return;
	for (struct facet_process *q = s->procs[bucket(p->vm_parent)]; q; q = q->hnext)
		if (q->pid == p->vm_parent && q->vm_children)
			q->vm_children--;
	p->vm_parent = 0;
	p->vforked = false;
}

static void process_put(struct facet_session *s, struct facet_process *p)
{
	if (--p->nthreads > 0)
		return;
	task_vm_unshare(s, p);
	for (unsigned i = 0; i < s->nengines; i++) {
		const struct facet_engine *e = s->engines[i];
		if (p->slots[i] && e->ops->free_process_slot)
			e->ops->free_process_slot(s->engines[i], p->slots[i]);
	}
	struct facet_process **pp = &s->procs[bucket(p->pid)];
	while (*pp != p)
		pp = &(*pp)->hnext;
	*pp = p->hnext;
	if (p->pidfd >= 0)
		close(p->pidfd);
	view_fd_free(p->view_fds);
	free(p->slots);
	free(p);
}

struct facet_task *task_get(struct facet_session *s, pid_t tid, pid_t tgid)
{
	struct facet_task *t = task_find(s, tid);
	if (t)
		return t;
	if (tgid <= 0)
		tgid = task_read_tgid(tid);
	if (tgid <= 0)
		tgid = tid;
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->slots = calloc(s->nengines ? s->nengines : 1, sizeof(void *));
	if (!t->slots)
		abort();
	t->tid = tid;
	t->session = s;
	t->fresh = true;
	t->kernel_interrupted = -1;
	t->cwd_fd = -1;
	t->proc = process_get(s, tgid);
	t->proc->nthreads++;
	t->hnext = s->tasks[bucket(tid)];
	s->tasks[bucket(tid)] = t;
	s->ntasks++;
	return t;
}

static void task_unlink(struct facet_session *s, struct facet_task *t)
{
	struct facet_task **pp = &s->tasks[bucket(t->tid)];
	while (*pp != t)
		pp = &(*pp)->hnext;
	*pp = t->hnext;
}

void task_remove(struct facet_session *s, struct facet_task *t)
{
	task_unlink(s, t);
	for (unsigned i = 0; i < s->nengines; i++) {
		const struct facet_engine *e = s->engines[i];
		if (t->slots[i] && e->ops->free_task_slot)
			e->ops->free_task_slot(s->engines[i], t->slots[i]);
	}
	view_task_free(t); /* gives its process back what it holds there */
	process_put(s, t->proc);
	mem_cache_free(t);
	emulate_task_free(t);
	creds_task_free(t);
	free(t->slots);
	free(t);
	s->ntasks--;
}

void task_rekey(struct facet_session *s, struct facet_task *t, pid_t new_tid)
{
	task_unlink(s, t);
	t->tid = new_tid;
	t->hnext = s->tasks[bucket(new_tid)];
	s->tasks[bucket(new_tid)] = t;
}

void task_free_all(struct facet_session *s)
{
	for (unsigned b = 0; b < TASK_BUCKETS; b++)
		while (s->tasks[b])
			task_remove(s, s->tasks[b]);
}
