/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Proof that src/vfs is freestanding: this program is linked with -nostdlib
 * -static against the module and nothing else, and runs. It builds a table,
 * checks two lookups, and exits through a raw system call: 0 if right.
 */
#include "vfs/vfs.h"

static char buf[4096];

static __attribute__((noreturn)) void sys_exit(long code)
{
	__asm__ volatile("syscall" : : "a"(231 /* exit_group */), "D"(code) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

void _start(void);
void _start(void)
{
	struct vfs_table *t = (struct vfs_table *)buf;
	int bad = vfs_table_init(buf, sizeof(buf), 4) != 0;
	bad |= vfs_table_add(t, "/", "/srv/root", 0) < 0;
	bad |= vfs_table_add(t, "/mnt/x/", "/usr", 0) < 0;
	bad |= vfs_table_finish(t) != 0;
	bad |= vfs_mount_of(t, "/mnt/x/bin", 10) != vfs_mount_at(t, "/mnt/x", 6);
	bad |= !vfs_mounts_below(t, "/mnt", 4);
	sys_exit(bad);
}
