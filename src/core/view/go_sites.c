/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Go's one call site, found in the program's file at exec for the loader
 * to patch (loader/prepatch.c).
 *
 * A Go program makes its system calls without libc: the runtime's own
 * from `mov $nr,%eax; syscall` sites, and every call of package syscall
 * and os (stat, open, readlink...) from one function, Syscall6:
 *
 *	mov %rsi,%r10; mov %rdi,%rdx; mov %rcx,%rsi; mov %rbx,%rdi; syscall
 *
 * The supervisor cannot patch it when its first call comes: a Go program
 * runs threads from its start, and patch.c patches only a process whose
 * one thread waits in that very call. Nor is there a 7-byte window of
 * whole instructions before the syscall. So the supervisor looks for it
 * in the file before the program runs, and the loader patches the last
 * two movs and the syscall, 8 bytes, with a jump that takes a prefix: no
 * thread can then be between them. A Go file is known by its note (owner
 * "Go", type 4, the build id); Syscall6 lies near the start of the text
 * (package runtime/internal/syscall, internal/runtime/syscall from Go
 * 1.21, is linked early), so only the first MiB is searched. What is
 * found, or not, is kept per file for the session.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "loader/plan.h"
#include "rt/config.h"

/* From its first mov to the end of the syscall instruction. */
static const uint8_t syscall6[14] = { 0x49, 0x89, 0xf2, 0x48, 0x89, 0xfa, 0x48,
				      0x89, 0xce, 0x48, 0x89, 0xdf, 0x0f, 0x05 };
#define WINDOW 8         /* the bytes patched: its last two movs and the syscall */
#define SEARCHED (1u << 20)
#define CHUNK (64u * 1024)
#define MAX_FOUND 4
#define CACHED 16

struct go_file {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	unsigned n;                        /* 0: not a Go file, or no site found */
	uint64_t off[MAX_FOUND];           /* of each site's window in the file */
};

struct view_go_sites {
	unsigned next;
	struct go_file file[CACHED];
};

static bool is_go(int fd, const Elf64_Phdr *ph, unsigned phnum)
{
	for (unsigned i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_NOTE || ph[i].p_filesz > 4096)
			continue;
		uint8_t note[4096];
		ssize_t n = pread(fd, note, ph[i].p_filesz, (off_t)ph[i].p_offset);
		for (size_t at = 0; n > 0 && at + sizeof(Elf64_Nhdr) <= (size_t)n;) {
			Elf64_Nhdr h;
			memcpy(&h, note + at, sizeof(h));
			size_t name = at + sizeof(h), desc = name + ((h.n_namesz + 3) & ~3u);
			if ((h.n_namesz == 3 || h.n_namesz == 4) && h.n_type == 4 && name + 3 <= (size_t)n &&
			    !memcmp(note + name, "Go", 3))
				return true;
			at = desc + ((h.n_descsz + 3) & ~3u);
		}
	}
	return false;
}

/* The windows of Syscall6 in the first SEARCHED bytes of fd's executable
 * segments. */
static unsigned find(int fd, const Elf64_Phdr *ph, unsigned phnum, uint64_t *off)
{
	unsigned found = 0;
	uint8_t *buf = malloc(CHUNK + sizeof(syscall6));
	for (unsigned i = 0; buf && i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		uint64_t end = ph[i].p_offset + (ph[i].p_filesz < SEARCHED ? ph[i].p_filesz : SEARCHED);
		/* Chunks that overlap by the pattern's length less one. */
		for (uint64_t at = ph[i].p_offset; at < end && found < MAX_FOUND; at += CHUNK) {
			size_t want = end - at < CHUNK + sizeof(syscall6) - 1 ? end - at : CHUNK + sizeof(syscall6) - 1;
			ssize_t n = pread(fd, buf, want, (off_t)at);
			if (n < (ssize_t)sizeof(syscall6))
				break;
			for (uint8_t *p = buf; found < MAX_FOUND &&
			     (p = memmem(p, (size_t)n - (size_t)(p - buf), syscall6, sizeof(syscall6)));
			     p++)
				off[found++] = at + (uint64_t)(p - buf) + sizeof(syscall6) - WINDOW;
		}
	}
	free(buf);
	return found;
}

static void look(int fd, struct go_file *f)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[64];
	f->n = 0;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phnum == 0 || eh.e_phnum > 64)
		return;
	size_t size = eh.e_phnum * sizeof(Elf64_Phdr);
	if (pread(fd, ph, size, (off_t)eh.e_phoff) != (ssize_t)size || !is_go(fd, ph, eh.e_phnum))
		return;
	f->n = find(fd, ph, eh.e_phnum, f->off);
}

unsigned view_go_sites(struct view_state *vs, int fd, struct loader_plan_site *out, unsigned max)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (!vs->go_sites && !(vs->go_sites = calloc(1, sizeof(*vs->go_sites))))
		return 0;
	struct view_go_sites *c = vs->go_sites;
	struct go_file *f = NULL;
	for (unsigned i = 0; i < CACHED && !f; i++)
		if (c->file[i].ino == st.st_ino && c->file[i].dev == st.st_dev && c->file[i].size == st.st_size &&
		    c->file[i].mtime.tv_sec == st.st_mtim.tv_sec && c->file[i].mtime.tv_nsec == st.st_mtim.tv_nsec)
			f = &c->file[i];
	if (!f) {
		f = &c->file[c->next++ % CACHED];
		*f = (struct go_file){ .dev = st.st_dev, .ino = st.st_ino, .size = st.st_size, .mtime = st.st_mtim };
		char path[64];
		view_magic_name(path, sizeof(path), fd); /* fd is O_PATH */
		int rd = open(path, O_RDONLY | O_CLOEXEC);
		if (rd >= 0) {
			look(rd, f);
			close(rd);
		}
	}
	unsigned n = 0;
	for (; n < f->n && n < max; n++) {
		out[n] = (struct loader_plan_site){ .off = f->off[n], .how = RT_SITE_GO_SYSCALL6, .len = WINDOW,
						    .image = LOADER_SITE_PROGRAM };
		memcpy(out[n].orig, syscall6 + sizeof(syscall6) - WINDOW, WINDOW);
	}
	return n;
}

void view_go_sites_free(struct view_state *vs)
{
	free(vs->go_sites);
	vs->go_sites = NULL;
}
