/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* See memdesc.h. */
#include <ffaproxy/ffa.h>
#include <ffaproxy/mem.h> /* constants only: the codec is not used */

#include "el2/common/memdesc.h"

uint32_t memdesc_build(uint8_t *out, uint32_t cap, uint32_t version,
		       const struct mdesc *d)
{
	uint32_t hdr = version >= FFA_VERSION_1_1 ? 48 : 32;
	uint32_t emad = version >= FFA_VERSION_1_2 ? 32 : 16, i, pages = 0;
	uint32_t comp = hdr + emad * d->nrecv;
	uint32_t total = comp + 16 + 16 * d->nranges;
	uint8_t *c;

	if (d->nrecv > 2 || comp + 16 > cap ||
	    d->nranges > (cap - comp - 16) / 16)
		return 0;
	for (i = 0; i < total; i++)
		out[i] = 0;
	ffa_put16(out, d->sender);
	if (d->type == FFA_MEM_TXN_SHARE)
		out[2] = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_WRITE_BACK |
			 FFA_MEM_ATTR_INNER_SHAREABLE;
	if (version >= FFA_VERSION_1_1) {
		ffa_put32(out + 24, emad);
		ffa_put32(out + 32, hdr);
	}
	ffa_put32(out + 28, d->nrecv);
	for (i = 0; i < d->nrecv; i++) {
		uint8_t *e = out + hdr + emad * i;

		ffa_put16(e, d->recv[i]);
		e[2] = d->perms[i];
		ffa_put32(e + 4, d->bad_offset ? d->bad_offset : comp);
	}
	c = out + comp + 16;
	for (i = 0; i < d->nranges; i++, c += 16) {
		ffa_put64(c, d->ranges[i].base);
		ffa_put32(c + 8, d->ranges[i].pages);
		pages += d->ranges[i].pages;
	}
	ffa_put32(out + comp, pages);
	ffa_put32(out + comp + 4, d->nranges);
	return total;
}
