/* SPDX-License-Identifier: MIT */
/* The initial image that names a TD's program (host side builds it, the
 * guest's firmware reads it from GPA 0). */
#include <errno.h>
#include <string.h>

#include "guest_internal.h"

int tdx_guest_image(const char *program, int argc, char *const argv[],
		    uint8_t out[TDX_GUEST_IMAGE_BYTES])
{
	struct guest_image img;
	size_t used = 0;

	if (!program || strlen(program) >= sizeof(img.program) || argc < 0 ||
	    argc > GUEST_MAX_ARGS)
		return -EINVAL;
	memset(&img, 0, sizeof(img));
	memcpy(img.magic, GUEST_IMAGE_MAGIC, sizeof(img.magic));
	img.version = 1;
	img.argc = (uint32_t)argc;
	strcpy(img.program, program);
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (used + n > sizeof(img.args))
			return -EINVAL;
		memcpy(img.args + used, argv[i], n);
		used += n;
	}
	memcpy(out, &img, sizeof(img));
	return 0;
}
