/* SPDX-License-Identifier: MIT */
/*
 * MRTD input (abi §5.8): 128-byte blocks, the API name zero-padded in
 * bytes 0..15, the GPA little-endian in bytes 16..23, zeros after.
 */
#include <string.h>

#include "td.h"

static void header_block(uint8_t block[TDX_MR_BLOCK_SIZE], const char *name,
			 uint64_t gpa)
{
	memset(block, 0, TDX_MR_BLOCK_SIZE);
	memcpy(block, name, strlen(name));
	for (unsigned i = 0; i < 8; i++)
		block[TDX_MR_BLOCK_GPA_OFFSET + i] = (uint8_t)(gpa >> (8 * i));
}

void mr_extend_header(struct tdcs *tdcs, const char *name, uint64_t gpa)
{
	uint8_t block[TDX_MR_BLOCK_SIZE];

	header_block(block, name, gpa);
	SHA384_Update(&tdcs->mr_ctx, block, sizeof(block));
}

/* Header and chunk in one update: SHA-512's block function pays its
 * set-up once for the three blocks instead of twice. */
void mr_extend_chunk(struct tdcs *tdcs, uint64_t gpa, const uint8_t *chunk)
{
	uint8_t blocks[TDX_MR_BLOCK_SIZE + TDX_MR_EXTEND_CHUNK];

	header_block(blocks, TDX_MR_NAME_MR_EXTEND, gpa);
	memcpy(blocks + TDX_MR_BLOCK_SIZE, chunk, TDX_MR_EXTEND_CHUNK);
	SHA384_Update(&tdcs->mr_ctx, blocks, sizeof(blocks));
}
