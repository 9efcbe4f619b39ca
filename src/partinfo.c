/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Partition information descriptor codec (see include/ffaproxy/partinfo.h).
 * Sources: DEN0077A 1.0 and 1.1 (the 8- and 24-byte layouts; Hafnium's
 * src/api.c asserts both sizes and that a descriptor is a multiple of 8
 * bytes), ffa-facts section 7 (properties per version, w3 as the stride;
 * the Linux arm_ffa driver strides by w3 from 1.1 and assumes 8 bytes for
 * a 1.0 producer).
 */
#include <ffaproxy/partinfo.h>

/* Descriptor fields. */
#define PI_ID 0
#define PI_EXEC_CTX 2
#define PI_PROPS 4
#define PI_UUID 8 /* 1.1+ */

static int refuse(struct ffa_partinfo_error *err, int32_t status,
		  const char *why, uint64_t value)
{
	if (err) {
		err->status = status;
		err->why = why;
		err->value = value;
	}
	return status;
}

uint32_t ffa_partinfo_size(uint32_t version)
{
	if (version == FFA_VERSION_1_0)
		return FFA_PARTITION_INFO_SIZE_V1_0;
	if (version == FFA_VERSION_1_1 || version == FFA_VERSION_1_2)
		return FFA_PARTITION_INFO_SIZE_V1_1;
	return 0;
}

uint32_t ffa_partinfo_props_mask(uint32_t version)
{
	const uint32_t v1_0 = FFA_PART_PROP_DIRECT_REQ_RECV |
			      FFA_PART_PROP_DIRECT_REQ_SEND |
			      FFA_PART_PROP_INDIRECT_MSG;
	const uint32_t v1_1 = v1_0 | FFA_PART_PROP_NOTIFICATION |
			      (0x3u << 4) /* id type */ | FFA_PART_PROP_AARCH64;

	if (version == FFA_VERSION_1_0)
		return v1_0;
	if (version == FFA_VERSION_1_1)
		return v1_1;
	if (version == FFA_VERSION_1_2)
		return v1_1 | FFA_PART_PROP_DIRECT_REQ2_RECV |
		       FFA_PART_PROP_DIRECT_REQ2_SEND;
	return 0;
}

uint32_t ffa_partinfo_props_valid(uint32_t version, uint32_t props)
{
	props &= ffa_partinfo_props_mask(version);
	/* Messaging, notification and subscription bits and DIRECT_REQ2's
	 * are a PE endpoint's (id type 0b00): reserved for the others. */
	if (props & (0x3u << 4))
		props &= ~(0xcfu | FFA_PART_PROP_DIRECT_REQ2_RECV |
			   FFA_PART_PROP_DIRECT_REQ2_SEND);
	return props;
}

/* The size rule of ffa_partinfo_check, without the bounds. */
static int check_size(uint32_t version, uint32_t desc_size,
		      struct ffa_partinfo_error *err)
{
	uint32_t size = ffa_partinfo_size(version);

	if (!size)
		return refuse(err, FFA_ABORTED,
			      "partition info: unknown version", version);
	if (size == FFA_PARTITION_INFO_SIZE_V1_0 ? desc_size != size
						 : desc_size < size ||
							   desc_size % 8)
		return refuse(err, FFA_ABORTED,
			      "partition info: descriptor size is not the "
			      "version's",
			      desc_size);
	return 0;
}

int ffa_partinfo_check(uint32_t version, uint32_t count, uint32_t desc_size,
		       uint32_t len, struct ffa_partinfo_error *err)
{
	int st = check_size(version, desc_size, err);

	if (st)
		return st;
	/* 64-bit product: no wrap for any 32-bit count and size. */
	if ((uint64_t)count * desc_size > len)
		return refuse(err, FFA_ABORTED,
			      "partition info: array does not fit the buffer",
			      (uint64_t)count * desc_size);
	return 0;
}

int ffa_partinfo_parse(uint32_t version, const uint8_t *buf, uint32_t len,
		       uint32_t desc_size, uint32_t index,
		       struct ffa_partinfo *out, struct ffa_partinfo_error *err)
{
	const uint8_t *d;
	uint64_t at = (uint64_t)index * desc_size;
	uint32_t i;
	int st = check_size(version, desc_size, err);

	if (st)
		return st;
	if (at > len || desc_size > len - at)
		return refuse(err, FFA_ABORTED,
			      "partition info: descriptor outside the buffer",
			      index);
	d = buf + at;
	out->id = ffa_get16(d + PI_ID);
	if (!ffa_id_is_secure(out->id))
		return refuse(err, FFA_ABORTED,
			      "partition info: SPMC reported a non-secure "
			      "partition id",
			      out->id);
	out->exec_ctx = ffa_get16(d + PI_EXEC_CTX);
	/* Bits a version does not define are reserved: not passed on. */
	out->props = ffa_partinfo_props_valid(version, ffa_get32(d + PI_PROPS));
	out->has_uuid = version != FFA_VERSION_1_0;
	for (i = 0; i < FFA_PARTINFO_UUID_SIZE; i++)
		out->uuid[i] = out->has_uuid ? d[PI_UUID + i] : 0;
	return 0;
}

int ffa_partinfo_emit(uint32_t version, const struct ffa_partinfo *in,
		      uint8_t *out, uint32_t cap, uint32_t *len)
{
	uint32_t size = ffa_partinfo_size(version), i;

	*len = 0;
	if (!size)
		return FFA_INVALID_PARAMETERS;
	if (cap < size)
		return FFA_NO_MEMORY;
	ffa_put16(out + PI_ID, in->id);
	ffa_put16(out + PI_EXEC_CTX, in->exec_ctx);
	ffa_put32(out + PI_PROPS, in->props & ffa_partinfo_props_mask(version));
	if (size > PI_UUID) {
		for (i = 0; i < FFA_PARTINFO_UUID_SIZE; i++)
			out[PI_UUID + i] = in->has_uuid ? in->uuid[i] : 0;
	}
	*len = size;
	return 0;
}

bool ffa_partinfo_same(const struct ffa_partinfo *a, uint32_t version_a,
		       const struct ffa_partinfo *b, uint32_t version_b)
{
	uint32_t mask = ffa_partinfo_props_mask(version_a) &
			ffa_partinfo_props_mask(version_b);
	uint32_t i;

	if (a->id != b->id || a->exec_ctx != b->exec_ctx ||
	    (a->props & mask) != (b->props & mask))
		return false;
	if (a->has_uuid && b->has_uuid) {
		for (i = 0; i < FFA_PARTINFO_UUID_SIZE; i++)
			if (a->uuid[i] != b->uuid[i])
				return false;
	}
	return true;
}
