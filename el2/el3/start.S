/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL3 firmware entry: QEMU resets the CPU at EL3 at address 0 of the
 * secure flash, where -bios puts this image. Runs with the MMU off (so C
 * code is built with -mstrict-align), copies .data to secure RAM, zeroes
 * .bss and calls el3_main.
 */
#include "el2/common/vectors.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	ldr	x0, =vectors_el3
	msr	vbar_el3, x0
	/* SCTLR_EL3: MMU, caches and alignment checks off (RES1 bits only). */
	ldr	x0, =0x30c50830
	msr	sctlr_el3, x0
	isb
	ldr	x0, =__stack_top
	mov	sp, x0
	/* .data: load address in flash, run address in secure RAM. */
	ldr	x0, =__data_start
	ldr	x1, =__data_end
	ldr	x2, =__data_load
1:	cmp	x0, x1
	b.hs	2f
	ldr	x3, [x2], #8
	str	x3, [x0], #8
	b	1b
2:	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:	bl	el3_main
5:	wfi
	b	5b

/* el3_enter_el2(entry, arg): first entry into non-secure EL2 (AArch64,
 * EL2h, interrupts masked) at `entry` with x0 = arg. */
	.text
	.global el3_enter_el2
el3_enter_el2:
	msr	elr_el3, x0
	mov	x0, #0x3c9
	msr	spsr_el3, x0
	mov	x0, x1
	mov	x1, xzr
	isb
	eret

	vector_table 3, el3_exception
