/* SPDX-License-Identifier: MIT */
/*
 * MRTD input (abi §5.8): 128-byte blocks, the API name zero-padded in
 * bytes 0..15, the GPA little-endian in bytes 16..23, zeros after.
 */
#include <string.h>

#include "td.h"

void mr_extend_header(struct tdcs *tdcs, const char *name, uint64_t gpa)
{
	uint8_t block[TDX_MR_BLOCK_SIZE] = { 0 };

	memcpy(block, name, strlen(name));
	for (unsigned i = 0; i < 8; i++)
		block[TDX_MR_BLOCK_GPA_OFFSET + i] = (uint8_t)(gpa >> (8 * i));
	SHA384_Update(&tdcs->mr_ctx, block, sizeof(block));
}
