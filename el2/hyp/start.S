/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL2 stub entry: EL3 erets here (EL2h, MMU off) with x0 = the boot
 * parameter word. Sets the vectors and stack, zeroes .bss and calls
 * hyp_main(x0).
 */
#include "el2/common/vectors.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x0, =vectors_el2
	msr	vbar_el2, x0
	/* SCTLR_EL2: MMU, caches and alignment checks off (RES1 bits only). */
	ldr	x0, =0x30c50830
	msr	sctlr_el2, x0
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
	bl	hyp_main
3:	wfi
	b	3b

/* hyp_enter_el1(entry, arg): first entry into EL1h (interrupts masked)
 * at `entry` with x0 = arg. */
	.text
	.global hyp_enter_el1
hyp_enter_el1:
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	mov	x0, x1
	mov	x1, xzr
	isb
	eret

	vector_table 2, hyp_exception
