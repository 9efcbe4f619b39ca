/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL3 firmware entry: QEMU resets the CPU at EL3 at address 0 of the
 * secure flash, where -bios puts this image. Runs with the MMU off (so C
 * code is built with -mstrict-align), copies .data to secure RAM, zeroes
 * .bss and calls el3_main.
 *
 * With -smp 2 (and firmware loaded, QEMU provides no PSCI of its own)
 * every CPU starts here at once: CPU 0 boots, the others wait in a
 * holding pen until PSCI CPU_ON stores an entry point in el3_pen_entry
 * and signals an event (el3/main.c; TF-A's qemu platform holds its
 * secondaries the same way, PLAT_QEMU_HOLD_BASE released with dsb and
 * sev); only CPU 1 can be turned on, the others stay parked.
 */
#include "el2/common/asm.S.h"

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, secondary
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

/* The pen: .bss is zero at reset (RAM), so CPU 0 zeroing it meanwhile
 * changes nothing the pen reads; CPU_ON's release store and SEV end it. */
secondary:
	cmp	x0, #(BOARD_MAX_CPUS - 1)
	b.hi	3b
	ldr	x1, =el3_pen_entry
6:	ldar	x2, [x1]
	cbnz	x2, 7f
	wfe
	b	6b
7:	enter_el 3, 0x30c50830
	bl	el3_secondary
	b	3b

/* el3_enter_el2(entry, arg): first entry into non-secure EL2 (AArch64,
 * EL2h, interrupts masked) at `entry` with x0 = arg. */
	.text
	.global el3_enter_el2
el3_enter_el2:
	eret_to 3, 0x3c9

	vector_table 3, el3_exception
