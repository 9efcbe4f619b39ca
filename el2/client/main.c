/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
#include <ffaproxy/ffa.h>

#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"

void client_main(uint64_t bp);
void client_exception(struct frame *f, unsigned kind);

void client_exception(struct frame *f, unsigned kind)
{
	con_printf("el1: exception kind %u esr 0x%lx elr 0x%lx\n", kind,
		   read_sysreg(esr_el1), f->elr);
	semihost_exit(1);
}

void client_main(uint64_t bp)
{
	struct ffa_regs r = { { 0 } };

	con_printf("el1: client up, bp 0x%lx\n", bp);
	r.x[0] = FFA_VERSION_32;
	r.x[1] = FFA_VERSION_1_2;
	arm_smc(&r);
	con_printf("el1: FFA_VERSION -> 0x%lx\n", r.x[0]);
	con_puts("PASS\n");
	semihost_exit(0);
}
