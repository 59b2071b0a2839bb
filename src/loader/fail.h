/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader's only way to fail: one line on fd 2, exit status 127 (the
 * shell's "command not found or not executable"). */
#ifndef FACET_LOADER_FAIL_H
#define FACET_LOADER_FAIL_H

/*
 * Writes "facet: loader: WHAT[ NAME][: STEP]: ERR\n" in one write and
 * exits the whole process with status 127. ERR is the errno name of
 * -err (or its number), so err is a negative errno as the kernel returns it.
 * Example: loader_fail("program", "/bin/ls", "cannot open", -ENOENT).
 */
__attribute__((noreturn)) void loader_fail(const char *what, const char *name, const char *step, long err);

#endif
