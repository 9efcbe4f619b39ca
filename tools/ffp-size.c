/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * ffp-size: bytes of instance memory one proxy needs (ffp_instance_size)
 * for a few representative configurations, or for the one given as
 * key=value arguments over the defaults:
 *   ffp-size [endpoints=N] [buffer_pages=N] [descriptor=N]
 *            [transactions=N] [ranges=N] [granule=N]
 * Exits 1 if a configuration is invalid (size 0). Run by `make size`.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

struct preset {
	const char *name;
	uint16_t endpoints;
	uint32_t buffer_pages, descriptor, transactions, ranges, granule;
};

/* 0 keeps the default. */
static const struct preset presets[] = {
	{ "default", 0, 0, 0, 0, 0, 0 },
	{ "host-only", 1, 1, 4096, 64, 1024, 0 },
	{ "64-vms", 65, 0, 0, 4096, 65536, 0 },
	{ "granule-64k", 0, 32, 0, 0, 0, 65536 },
	{ "large", 256, 63, 1u << 20, 10000, 1u << 20, 0 },
};

static uint8_t own_buffer[4096] __attribute__((aligned(4096)));

static void base(struct ffp_config *cfg)
{
	ffp_config_default(cfg);
	/* The proxy's own RX/TX pair only has to exist for the size. */
	cfg->buffers.tx = cfg->buffers.rx = own_buffer;
	cfg->buffers.pages = 1;
}

static void apply(struct ffp_config *cfg, const struct preset *p)
{
	if (p->endpoints)
		cfg->max_endpoints = p->endpoints;
	if (p->buffer_pages)
		cfg->max_buffer_pages = p->buffer_pages;
	if (p->descriptor)
		cfg->max_descriptor_size = p->descriptor;
	if (p->transactions)
		cfg->max_transactions = p->transactions;
	if (p->ranges)
		cfg->max_ranges = p->ranges;
	if (p->granule)
		cfg->granule = p->granule;
}

static int report(const char *name, const struct ffp_config *cfg)
{
	size_t size = ffp_instance_size(cfg);

	printf("%-12s %9u %8u %10u %8u %8u %7u %10zu\n", name,
	       (unsigned int)cfg->max_endpoints, cfg->max_buffer_pages,
	       cfg->max_descriptor_size, cfg->max_transactions,
	       cfg->max_ranges, cfg->granule, size);
	if (!size)
		fprintf(stderr, "ffp-size: %s: invalid configuration\n", name);
	return size ? 0 : 1;
}

static int parse(struct preset *p, const char *arg)
{
	static const struct {
		const char *key;
		size_t offset;
	} keys[] = {
		{ "buffer_pages=", offsetof(struct preset, buffer_pages) },
		{ "descriptor=", offsetof(struct preset, descriptor) },
		{ "transactions=", offsetof(struct preset, transactions) },
		{ "ranges=", offsetof(struct preset, ranges) },
		{ "granule=", offsetof(struct preset, granule) },
	};
	unsigned long v;
	char *end;
	size_t i, n;

	if (!strncmp(arg, "endpoints=", 10)) {
		v = strtoul(arg + 10, &end, 0);
		if (*end || v == 0 || v > 0xffff)
			return -1;
		p->endpoints = (uint16_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n = strlen(keys[i].key);
		if (strncmp(arg, keys[i].key, n))
			continue;
		v = strtoul(arg + n, &end, 0);
		if (*end || end == arg + n || v == 0 || v > 0xffffffffUL)
			return -1;
		*(uint32_t *)(void *)((char *)p + keys[i].offset) = (uint32_t)v;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct ffp_config cfg;
	struct preset custom = { "custom", 0, 0, 0, 0, 0, 0 };
	size_t i;
	int rc = 0;

	for (i = 1; i < (size_t)argc; i++) {
		if (parse(&custom, argv[i])) {
			fprintf(stderr, "ffp-size: bad argument: %s\n", argv[i]);
			return 2;
		}
	}
	printf("%-12s %9s %8s %10s %8s %8s %7s %10s\n", "config",
	       "endpoints", "buf-pgs", "descriptor", "txns", "ranges",
	       "granule", "instance");
	if (argc > 1) {
		base(&cfg);
		apply(&cfg, &custom);
		return report(custom.name, &cfg);
	}
	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		base(&cfg);
		apply(&cfg, &presets[i]);
		rc |= report(presets[i].name, &cfg);
	}
	return rc;
}
