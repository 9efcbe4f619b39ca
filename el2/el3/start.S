/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL3 firmware entry: QEMU resets the CPU at EL3 at address 0 of the
 * secure flash, where -bios puts this image. Runs with the MMU off (so C
 * code is built with -mstrict-align), copies .data to secure RAM, zeroes
 * .bss and calls el3_main.
 */
#include "el2/common/asm.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	/* SCTLR_EL3: MMU, caches and alignment checks off (RES1 bits only). */
	enter_el 3, 0x30c50830
	/* .data: load address in flash, run address in secure RAM. */
	ldr	x0, =__data_start
	ldr	x1, =__data_end
	ldr	x2, =__data_load
4:	cmp	x0, x1
	b.hs	5f
	ldr	x3, [x2], #8
	str	x3, [x0], #8
	b	4b
5:	zero_bss
	bl	el3_main
3:	wfi
	b	3b

/* el3_enter_el2(entry, arg): first entry into non-secure EL2 (AArch64,
 * EL2h, interrupts masked) at `entry` with x0 = arg. */
	.text
	.global el3_enter_el2
el3_enter_el2:
	eret_to 3, 0x3c9

	vector_table 3, el3_exception
