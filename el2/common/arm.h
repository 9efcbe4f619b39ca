/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* System registers, barriers and the saved-register frame of the vectors. */
#ifndef EL2_ARM_H
#define EL2_ARM_H

#include <stdint.h>

#include <ffaproxy/ffa.h>

#define read_sysreg(r)                                                      \
	({                                                                  \
		uint64_t v_;                                                \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                 \
		v_;                                                         \
	})
#define write_sysreg(r, v)                                                  \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")

#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

/* ESR_ELx.EC values (Arm ARM D17.2.37). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

/* What vectors.S saves: x0..x30, then ELR and SPSR of the EL taking the
 * exception. The C handler may change any of them. */
struct frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* A call's registers: x0..x5 as given, x6..x17 zero. */
static inline void regs_set(struct ffa_regs *r, uint64_t x0, uint64_t x1,
			    uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5)
{
	unsigned i;

	for (i = 6; i < FFA_NREGS; i++)
		r->x[i] = 0;
	r->x[0] = x0;
	r->x[1] = x1;
	r->x[2] = x2;
	r->x[3] = x3;
	r->x[4] = x4;
	r->x[5] = x5;
}

/* One SMC or HVC with x0..x17 in and out (SMCCC 1.2); smc.S. */
void arm_smc(struct ffa_regs *r);
void arm_smc_x0_x7(struct ffa_regs *r); /* platform.h's smc_x0_x7 */
void arm_hvc(struct ffa_regs *r);

#endif /* EL2_ARM_H */
