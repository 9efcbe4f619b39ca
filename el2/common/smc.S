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

/* arm_smc_x0_x7(struct ffa_regs *r): platform.h's smc_x0_x7, SMCCC 1.1's
 * eight registers: x0..x7 from *r, x8..x17 zero, the call, x0..x7 back;
 * r->x[8..17] untouched. An SMC32 id (w0 bit 30 clear) carries w0..w7
 * only: loaded as w registers, stored with a zero upper word. */
	.global arm_smc_x0_x7
	.type arm_smc_x0_x7, %function
arm_smc_x0_x7:
	stp	x19, x30, [sp, #-16]!
	mov	x19, x0
	ldr	w0, [x19, #0]
	tbnz	w0, #30, 1f
	ldr	w1, [x19, #8]
	ldr	w2, [x19, #16]
	ldr	w3, [x19, #24]
	ldr	w4, [x19, #32]
	ldr	w5, [x19, #40]
	ldr	w6, [x19, #48]
	ldr	w7, [x19, #56]
	b	2f
1:	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
2:	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	smc	#0
	ldr	w9, [x19, #0]	/* the request's id: SMC32 or SMC64 */
	tbnz	w9, #30, 3f
	stp	w0, wzr, [x19, #0]
	stp	w1, wzr, [x19, #8]
	stp	w2, wzr, [x19, #16]
	stp	w3, wzr, [x19, #24]
	stp	w4, wzr, [x19, #32]
	stp	w5, wzr, [x19, #40]
	stp	w6, wzr, [x19, #48]
	stp	w7, wzr, [x19, #56]
	b	4f
3:	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
4:	ldp	x19, x30, [sp], #16
	ret
	.size arm_smc_x0_x7, . - arm_smc_x0_x7

	.global arm_hvc
	.type arm_hvc, %function
arm_hvc:
	call_with_regs hvc
	.size arm_hvc, . - arm_hvc
