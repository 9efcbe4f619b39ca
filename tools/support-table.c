/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Prints the README's support table from the proxy's dispatch table, so
 * the documentation cannot drift from the code (tests/extra checks it).
 */
#include <stdio.h>

#include <ffaproxy/proxy.h>

static const char *cell(const struct ffp_call_desc *d, uint32_t version)
{
	if (version < d->since)
		return "-";
	return ffp_handling_name(d->handling);
}

int main(void)
{
	static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
					     FFA_VERSION_1_2 };
	uint32_t fn, i;

	printf("| id | function | widths | caller 1.0 | caller 1.1 | caller 1.2 | notes |\n");
	printf("| --- | --- | --- | --- | --- | --- | --- |\n");
	for (fn = FFA_FN_FIRST; fn <= FFA_FN_LAST; fn++) {
		const struct ffp_call_desc *d = ffp_call_desc(fn);

		if (!d->name)
			continue;
		printf("| 0x%02X | %s | %s |", fn, d->name,
		       d->widths == 3 ? "32/64" : d->widths == 2 ? "64" : "32");
		for (i = 0; i < 3; i++)
			printf(" %s |", cell(d, versions[i]));
		printf(" %s |\n", d->note);
	}
	printf("| 0x8F-0xEF | reserved | - | refused | refused | refused | %s |\n",
	       ffp_call_desc(FFA_FN_LAST)->note);
	return 0;
}
