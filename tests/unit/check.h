/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* A minimal unit-test harness: RUN(fn) runs one test function, CHECK()s
 * inside it record failures; test_summary() prints "name: N passed, N
 * failed" (one count per test function) and gives main's exit status. */
#ifndef FFAPROXY_TESTS_CHECK_H
#define FFAPROXY_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>

static int check_failed_in_test;
static int check_tests_passed, check_tests_failed;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__,        \
				__LINE__, #cond);                            \
			check_failed_in_test = 1;                            \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b); \
		if (check_a_ != check_b_) {                                  \
			fprintf(stderr,                                      \
				"FAIL %s:%d: %s == %s (0x%" PRIx64           \
				" != 0x%" PRIx64 ")\n",                      \
				__FILE__, __LINE__, #a, #b, check_a_,        \
				check_b_);                                   \
			check_failed_in_test = 1;                            \
		}                                                            \
	} while (0)

#define RUN(fn)                                                              \
	do {                                                                 \
		check_failed_in_test = 0;                                    \
		fn();                                                        \
		if (check_failed_in_test) {                                  \
			fprintf(stderr, "FAIL test %s\n", #fn);              \
			check_tests_failed++;                                \
		} else {                                                     \
			check_tests_passed++;                                \
		}                                                            \
	} while (0)

static inline int test_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_tests_passed,
	       check_tests_failed);
	return check_tests_failed ? 1 : 0;
}

#endif
