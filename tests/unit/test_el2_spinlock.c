/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The EL2 stub's lock/unlock (el2/hyp/spinlock.h), the pattern docs/el2.md
 * offers embedders, on host threads standing for CPUs: contention between
 * CPUs is waited out, never taken for recursion; each lock excludes.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "el2/hyp/spinlock.h"
#include "tests/unit/check.h"

#define ROUNDS 200000

static struct hyp_locks locks;
static uint64_t inside[FFP_LOCK_COUNT]; /* CPUs inside each lock */
static uint64_t counter[FFP_LOCK_COUNT];

struct cpu {
	uint64_t id;
	int errors;
};

static int enter(struct cpu *c, unsigned which)
{
	if (hyp_lock_take(&locks, which, c->id))
		return ++c->errors;
	if (__atomic_fetch_add(&inside[which], 1, __ATOMIC_RELAXED))
		return ++c->errors; /* another CPU inside */
	counter[which]++;
	return 0;
}

static int leave(struct cpu *c, unsigned which)
{
	__atomic_fetch_sub(&inside[which], 1, __ATOMIC_RELAXED);
	if (hyp_lock_give(&locks, which, c->id))
		return ++c->errors;
	return 0;
}

/* The proxy's pattern: STATE alone, or BUFFERS then STATE. A CPU stops
 * at its first error (the locks are then in no known state). */
static void *cpu_main(void *arg)
{
	struct cpu *c = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (i & 1) {
			if (enter(c, FFP_LOCK_BUFFERS) ||
			    enter(c, FFP_LOCK_STATE) ||
			    leave(c, FFP_LOCK_STATE) ||
			    leave(c, FFP_LOCK_BUFFERS))
				break;
		} else if (enter(c, FFP_LOCK_STATE) ||
			   leave(c, FFP_LOCK_STATE)) {
			break;
		}
	}
	return NULL;
}

/* A CPU left spinning on a lock nobody will release: fail, not hang. */
static void on_alarm(int sig)
{
	static const char msg[] = "FAIL test_el2_spinlock: a CPU spins forever\n";

	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static void test_two_cpus(void)
{
	struct cpu cpus[2] = { { 1, 0 }, { 2, 0 } };
	pthread_t t[2];
	unsigned k;
	int errors = 0;

	signal(SIGALRM, on_alarm);
	alarm(30);
	for (k = 0; k < 2; k++)
		CHECK(pthread_create(&t[k], NULL, cpu_main, &cpus[k]) == 0);
	for (k = 0; k < 2; k++) {
		CHECK(pthread_join(t[k], NULL) == 0);
		errors += cpus[k].errors;
	}
	/* On main the held-lock check was one word for all CPUs: a CPU
	 * waiting for a lock another CPU held was "taking it recursively"
	 * (fatal in the stub: any two vCPUs calling FF-A at once). */
	CHECK_EQ(errors, 0);
	CHECK_EQ(counter[FFP_LOCK_STATE], 2 * ROUNDS);
	CHECK_EQ(counter[FFP_LOCK_BUFFERS], ROUNDS);
	alarm(0);
}

static void test_misuse(void)
{
	struct hyp_locks l = { 0 };

	CHECK_EQ(hyp_lock_give(&l, FFP_LOCK_STATE, 1), (uint64_t)-1); /* free */
	CHECK_EQ(hyp_lock_take(&l, FFP_LOCK_STATE, 1), 0);
	CHECK_EQ(hyp_lock_take(&l, FFP_LOCK_STATE, 1), (uint64_t)-1); /* again */
	CHECK_EQ(hyp_lock_give(&l, FFP_LOCK_STATE, 2), (uint64_t)-1); /* not its */
	CHECK_EQ(hyp_lock_take(&l, FFP_LOCK_BUFFERS, 2), 0); /* another lock */
	CHECK_EQ(hyp_lock_give(&l, FFP_LOCK_STATE, 1), 0);
	CHECK_EQ(hyp_lock_give(&l, FFP_LOCK_BUFFERS, 2), 0);
	CHECK_EQ(hyp_lock_give(&l, FFP_LOCK_BUFFERS, 2), (uint64_t)-1);
}

int main(void)
{
	RUN(test_misuse);
	RUN(test_two_cpus);
	return test_summary("test_el2_spinlock");
}
