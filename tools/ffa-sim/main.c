/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* ffa-sim FILE...: replay FF-A scenarios through the proxy over a
 * simulated SPMC and memory. Each file is an independent world. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/ffa-sim/script.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ffa-sim [--per-range-transitions] [--no-smc-x0-x7]\n"
		"               [--spmc-check-constituents-last] FILE...\n"
		"Replays each FF-A scenario file in a fresh simulated world (SPMC\n"
		"model, memory, proxy) and prints a decoded trace: every call and\n"
		"reply, the SMCs the proxy sends to the SPMC and the reasons it\n"
		"logs, indented beneath.\n"
		"Exit: 0 every expectation held, 1 one failed (FAIL file:line),\n"
		"2 a file is malformed (file:line: message).\n"
		"--per-range-transitions: the simulated platform offers no\n"
		"page_transition_ranges, so the proxy takes pages one range at a\n"
		"time.\n"
		"--no-smc-x0-x7: the simulated platform offers no smc_x0_x7, so\n"
		"the proxy sends direct requests from a private copy of x0..x17.\n"
		"--spmc-check-constituents-last: the SPMC model checks constituents\n"
		"only when a transaction's last fragment arrives (as TF-A and\n"
		"Hafnium), unless a file says 'spmc check-constituents each'.\n"
		"The scenario language: docs/ffa-sim.md.\n");
}

int main(int argc, char **argv)
{
	unsigned malformed = 0, failed_files = 0;
	bool per_range = false, no_smc8 = false, check_last = false;
	int i, files = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--per-range-transitions"))
			per_range = true;
		else if (!strcmp(argv[i], "--no-smc-x0-x7"))
			no_smc8 = true;
		else if (!strcmp(argv[i], "--spmc-check-constituents-last"))
			check_last = true;
		else
			files++;
	}
	if (files == 0) {
		usage(stderr);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct sim_script s;
		unsigned errors, failures, expectations = 0;

		if (!strcmp(argv[i], "--per-range-transitions") ||
		    !strcmp(argv[i], "--no-smc-x0-x7") ||
		    !strcmp(argv[i], "--spmc-check-constituents-last"))
			continue;
		printf("== %s\n", argv[i]);
		fflush(stdout);
		errors = sim_parse_file(argv[i], &s, stdout);
		if (errors) {
			printf("== %s: malformed (%u error%s), not run\n", argv[i],
			       errors, errors == 1 ? "" : "s");
			malformed++;
			sim_script_free(&s);
			continue;
		}
		s.per_range_transitions = per_range;
		s.no_smc_x0_x7 = no_smc8;
		s.spmc_check_last = check_last;
		failures = sim_run(&s, stdout, &expectations);
		if (failures) {
			printf("== %s: FAIL (%u failure%s, %u expectations)\n", argv[i],
			       failures, failures == 1 ? "" : "s", expectations);
			failed_files++;
		} else {
			printf("== %s: PASS (%u expectations)\n", argv[i], expectations);
		}
		sim_script_free(&s);
	}
	if (files > 1)
		printf("ffa-sim: %d files, %u failed, %u malformed\n", files,
		       failed_files, malformed);
	return malformed ? 2 : failed_files ? 1 : 0;
}
