/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The stub's copy between its memory and a guest's (caller_read and
 * caller_write): by 8-byte words where it can, since byte by byte a 4 KiB
 * RX costs the SMP loop's PARTITION_INFO_GET most of its time. EL2 runs
 * with its MMU off, so every access is to Device memory, where an
 * unaligned one faults (the stub is built -mstrict-align): words only
 * when both addresses are 8-byte aligned after the same head, bytes for
 * the head, the tail and any pair aligned differently. Volatile: guest
 * memory may change under the copy, and each byte is read once.
 * Header-only so that a host unit test (tests/unit/test_el2_copy.c) runs
 * the same code.
 */
#ifndef EL2_COPY_H
#define EL2_COPY_H

#include <stddef.h>
#include <stdint.h>

/* One aligned 8-byte word; the unit test counts and checks them. */
#ifndef hyp_copy_word
#define hyp_copy_word(d, s)                                                  \
	(*(volatile uint64_t *)(uintptr_t)(d) =                              \
		 *(const volatile uint64_t *)(uintptr_t)(s))
#endif

static inline void hyp_copy(volatile uint8_t *d, const volatile uint8_t *s,
			    size_t len)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (len && (uintptr_t)d & 7) {
			*d++ = *s++;
			len--;
		}
		while (len >= 8) {
			hyp_copy_word(d, s);
			d += 8;
			s += 8;
			len -= 8;
		}
	}
	while (len--)
		*d++ = *s++;
}

#endif /* EL2_COPY_H */
