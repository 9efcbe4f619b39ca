/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Assembler macros of the three images' start.S files.
 *
 * enter_el el, sctlr: VBAR_ELn = vectors_el<n>, SCTLR_ELn = sctlr (if
 * given: MMU, caches and alignment checks off), sp = this CPU's stack:
 * __stack_top - MPIDR_EL1.Aff0 * BOARD_STACK_SIZE (at EL1, MPIDR_EL1
 * reads VMPIDR_EL2, which the stub sets to the physical MPIDR).
 * zero_bss: zero [__bss_start, __bss_end) (8-byte aligned).
 * eret_to el, spsr: leave EL<el> for the first time, to x0 with SPSR
 * `spsr` and x0 = x1 (the boot parameter word handed down).
 */
#include "el2/common/board.h"

	.macro eret_to el, spsr
	msr	elr_el\el, x0
	mov	x0, #\spsr
	msr	spsr_el\el, x0
	mov	x0, x1
	mov	x1, xzr
	isb
	eret
	.endm

	.macro enter_el el, sctlr
	ldr	x0, =vectors_el\el
	msr	vbar_el\el, x0
	.ifnb \sctlr
	ldr	x0, =\sctlr
	msr	sctlr_el\el, x0
	.endif
	isb
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	ldr	x1, =__stack_top
	mov	x2, #BOARD_STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	.endm

	.macro zero_bss
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:
	.endm

/*
 * An exception vector table for EL`el`.
 * Every entry saves x0..x30, ELR_ELn and SPSR_ELn into a struct frame on
 * the current stack, calls `handler(struct frame *, unsigned kind)` where
 * kind is the entry's index (0..15: current EL SP0, current EL SPx, lower
 * EL AArch64, lower EL AArch32; each sync, irq, fiq, serror), restores
 * the frame and returns with eret.
 */
	.macro vector_entry el, handler, kind
	.balign 0x80
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	save_and_call_\el
	.endm

	.macro vector_table el, handler
	.balign 0x800
	.global vectors_el\el
vectors_el\el:
	vector_entry \el, \handler, 0
	vector_entry \el, \handler, 1
	vector_entry \el, \handler, 2
	vector_entry \el, \handler, 3
	vector_entry \el, \handler, 4
	vector_entry \el, \handler, 5
	vector_entry \el, \handler, 6
	vector_entry \el, \handler, 7
	vector_entry \el, \handler, 8
	vector_entry \el, \handler, 9
	vector_entry \el, \handler, 10
	vector_entry \el, \handler, 11
	vector_entry \el, \handler, 12
	vector_entry \el, \handler, 13
	vector_entry \el, \handler, 14
	vector_entry \el, \handler, 15

save_and_call_\el:
	/* x0 and x1 are saved (x1 now holds the kind). */
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el\el
	mrs	x3, spsr_el\el
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #256]
	mov	x0, sp
	bl	\handler
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el\el, x2
	msr	spsr_el\el, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #(34 * 8)
	eret
	.endm
