/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL1 client entry: EL2 erets here (EL1h, MMU off, stage-2 on) with
 * x0 = the boot parameter word. Sets the vectors and stack, zeroes .bss
 * and calls client_main(x0).
 */
#include "el2/common/asm.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	enter_el 1
	zero_bss
	mov	x0, x19
	bl	client_main
3:	wfi
	b	3b

/* client_secondary_entry(ctx): CPU 1, entered by the stub for the PSCI
 * CPU_ON CPU 0 made (EL1h, MMU off), x0 = its context id: vectors and
 * this CPU's stack, then client_secondary(x0). */
	.global client_secondary_entry
client_secondary_entry:
	mov	x19, x0
	enter_el 1
	mov	x0, x19
	bl	client_secondary
	b	3b

	.text
	vector_table 1, client_exception

/* uint64_t el0_a32_load(uint64_t pa): run an A32 `ldr r0, [r1]` of pa at
 * AArch32 EL0 (USR mode, interrupts masked), then `svc #0`. Whatever
 * exception ends it (the SVC, or the abort EL2 injects for a stage-2
 * fault) comes to client_exception as kind 12, which resumes at
 * el0_a32_back at EL1h on this stack; returns the w0 EL0 ended with. */
	.global el0_a32_load
	.global el0_a32_back
el0_a32_load:
	stp	x19, x20, [sp, #-96]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x1, x0
	mov	x0, xzr
	adr	x2, a32_code
	msr	elr_el1, x2
	mov	x2, #0x1d0	/* AArch32 USR, A/I/F masked */
	msr	spsr_el1, x2
	isb
	eret
el0_a32_back:
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	x19, x20, [sp], #96
	ret

	.balign 4
a32_code:
	.word	0xe5910000	/* ldr r0, [r1] */
	.word	0xef000000	/* svc #0 */
