/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* arm_smc/arm_hvc(struct ffa_regs *r): x0..x17 from *r, the call, and
 * x0..x17 back into *r. SMCCC 1.2 preserves x18..x30 across the call. */
	.text

	.macro call_with_regs insn
	stp	x19, x30, [sp, #-16]!
	mov	x19, x0
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	\insn	#0
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	x19, x30, [sp], #16
	ret
	.endm

	.global arm_smc
	.type arm_smc, %function
arm_smc:
	call_with_regs smc
	.size arm_smc, . - arm_smc

	.global arm_hvc
	.type arm_hvc, %function
arm_hvc:
	call_with_regs hvc
	.size arm_hvc, . - arm_hvc
