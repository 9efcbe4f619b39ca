/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL2 stub entry: EL3 erets here (EL2h, MMU off) with x0 = the boot
 * parameter word. Sets the vectors and stack, zeroes .bss and calls
 * hyp_main(x0).
 */
#include "el2/common/asm.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	/* SCTLR_EL2: MMU, caches and alignment checks off (RES1 bits only). */
	enter_el 2, 0x30c50830
	zero_bss
	mov	x0, x19
	bl	hyp_main
3:	wfi
	b	3b

/* hyp_secondary_entry(vcpu): CPU 1, from EL3's PSCI CPU_ON (EL2h, MMU
 * off): its own vectors and stack, then hyp_secondary(x0); .bss is the
 * boot CPU's, already set up. */
	.global hyp_secondary_entry
hyp_secondary_entry:
	mov	x19, x0
	enter_el 2, 0x30c50830
	mov	x0, x19
	bl	hyp_secondary
	b	3b

/* hyp_enter_el1(entry, arg): first entry into EL1h (interrupts masked)
 * at `entry` with x0 = arg. */
	.text
	.global hyp_enter_el1
hyp_enter_el1:
	eret_to 2, 0x3c5

	vector_table 2, hyp_exception
