/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL1 client entry: EL2 erets here (EL1h, MMU off, stage-2 on) with
 * x0 = the boot parameter word. Sets the vectors and stack, zeroes .bss
 * and calls client_main(x0).
 */
#include "el2/common/vectors.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x0, =vectors_el1
	msr	vbar_el1, x0
	isb
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x19
	bl	client_main
3:	wfi
	b	3b

	.text
	vector_table 1, client_exception
