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

	.text
	vector_table 1, client_exception
