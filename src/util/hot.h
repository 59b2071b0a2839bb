/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FACET_HOT: a function on the way of a patched call through the
 * in-process runtime (src/rt/, and the vfs and loader helpers it calls).
 * GCC places such functions in .text.hot, side by side: three pages of
 * facet-loader's text instead of nine for a stat. Each system call the
 * runtime makes switches page tables twice (page-table isolation, without
 * PCID on our VMs), which empties the TLB: every page touched after it
 * costs a page walk (ten scattered pages, ~70-110 ns a call there). The
 * assembly parts (rt_site_entry, loader_gate) are put in .text.hot.* by
 * name.
 */
#ifndef FACET_UTIL_HOT_H
#define FACET_UTIL_HOT_H

#define FACET_HOT __attribute__((hot))

#endif
