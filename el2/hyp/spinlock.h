/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The stub's lock/unlock platform operations (platform.h): a test-and-set
 * spinlock per enum ffp_lock, with a check that no CPU takes a lock it
 * holds or releases one it does not hold. Header-only so that a host unit
 * test (tests/unit/test_el2_spinlock.c) runs the same code on threads.
 */
#ifndef EL2_SPINLOCK_H
#define EL2_SPINLOCK_H

#include <stdint.h>

#include <ffaproxy/platform.h>

/* Each lock word holds its owner: 0 when free, else the CPU that holds
 * it. The recursion check must be per CPU: one "held" bit per lock for
 * the whole system (as the stub had) takes a lock that another CPU holds
 * for one this CPU holds, and ends the hypervisor as soon as two vCPUs
 * make FF-A calls at once; its non-atomic updates also lose bits. */
struct hyp_locks {
	uint64_t owner[FFP_LOCK_COUNT];
};

static inline void hyp_cpu_relax(void)
{
#if defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Take lock `which` for the CPU `cpu` (nonzero, unique per CPU): 0, or -1
 * when this CPU already holds it (spinning would never end). Only `cpu`
 * itself stores `cpu` in the word, so a relaxed load of it is exact. */
static inline int hyp_lock_take(struct hyp_locks *l, unsigned which,
				uint64_t cpu)
{
	uint64_t free_ = 0;

	if (__atomic_load_n(&l->owner[which], __ATOMIC_RELAXED) == cpu)
		return -1;
	/* Acquire: the critical section's accesses stay after it. */
	while (!__atomic_compare_exchange_n(&l->owner[which], &free_, cpu,
					    false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free_ = 0;
		while (__atomic_load_n(&l->owner[which], __ATOMIC_RELAXED))
			hyp_cpu_relax();
	}
	return 0;
}

/* Release it: 0, or -1 when `cpu` does not hold it. */
static inline int hyp_lock_give(struct hyp_locks *l, unsigned which,
				uint64_t cpu)
{
	if (__atomic_load_n(&l->owner[which], __ATOMIC_RELAXED) != cpu)
		return -1;
	/* Release: the critical section's accesses stay before it. */
	__atomic_store_n(&l->owner[which], 0, __ATOMIC_RELEASE);
	return 0;
}

#endif /* EL2_SPINLOCK_H */
