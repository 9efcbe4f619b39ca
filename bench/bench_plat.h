/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* What the bench drivers' minimal platforms share: locks that do nothing
 * (one CPU), named plat_* so that the scripts subtract them. */
#ifndef FFAPROXY_BENCH_PLAT_H
#define FFAPROXY_BENCH_PLAT_H

#include <ffaproxy/platform.h>

__attribute__((noinline)) void plat_lock(void *ctx, enum ffp_lock l);
void plat_lock(void *ctx, enum ffp_lock l)
{
	(void)ctx;
	(void)l;
}

__attribute__((noinline)) void plat_unlock(void *ctx, enum ffp_lock l);
void plat_unlock(void *ctx, enum ffp_lock l)
{
	(void)ctx;
	(void)l;
}

#endif
