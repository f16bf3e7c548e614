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

void mr_init(struct tdcs *tdcs)
{
	SHA384_Init(&tdcs->mr_ctx);
	tdcs->mr_buf_len = 0;
}

static void flush(struct tdcs *tdcs)
{
	if (tdcs->mr_buf_len)
		SHA384_Update(&tdcs->mr_ctx, tdcs->mr_buf, tdcs->mr_buf_len);
	tdcs->mr_buf_len = 0;
}

/* Room for len more bytes at the buffer's end. OpenSSL's block function
 * pays a set-up of tens of ns per call, 8 % of a TD build's hashing when
 * each MR.EXTEND was its own update; SHA-384 of the concatenation is the
 * same digest whatever the split. */
static uint8_t *reserve(struct tdcs *tdcs, uint32_t len)
{
	uint8_t *at;

	if (tdcs->mr_buf_len + len > sizeof(tdcs->mr_buf))
		flush(tdcs);
	at = tdcs->mr_buf + tdcs->mr_buf_len;
	tdcs->mr_buf_len += len;
	return at;
}

void mr_extend_header(struct tdcs *tdcs, const char *name, uint64_t gpa)
{
	header_block(reserve(tdcs, TDX_MR_BLOCK_SIZE), name, gpa);
}

void mr_extend_chunk(struct tdcs *tdcs, uint64_t gpa, const uint8_t *chunk)
{
	uint8_t *at = reserve(tdcs, TDX_MR_BLOCK_SIZE + TDX_MR_EXTEND_CHUNK);

	header_block(at, TDX_MR_NAME_MR_EXTEND, gpa);
	memcpy(at + TDX_MR_BLOCK_SIZE, chunk, TDX_MR_EXTEND_CHUNK);
}

void mr_final(struct tdcs *tdcs)
{
	flush(tdcs);
	SHA384_Final(tdcs->mrtd, &tdcs->mr_ctx);
}
