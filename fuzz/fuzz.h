/* SPDX-License-Identifier: MIT */
/*
 * What every fuzz target shares (docs/fuzzing.md). A target is one
 * LLVMFuzzerTestOneInput: libFuzzer's main calls it in a -DTDXSIM_FUZZ=ON
 * clang build, fuzz/driver.c's main in every other build.
 */
#ifndef TDXSIM_FUZZ_H
#define TDXSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Where a target's normal output goes: nowhere, but through real stdio. */
static inline FILE *fuzz_sink(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

/* A NUL-terminated copy, for parsers that want a C string. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < size; i++)
		s[i] = (char)data[i];
	s[size] = '\0';
	return s;
}

#endif
