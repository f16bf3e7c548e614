/* SPDX-License-Identifier: MIT */
/*
 * Scenario scripts (src/script/, docs/scripting.md). Without
 * FUZZ_SCRIPT_RUN: the lexer and parser only. With it: a script that
 * parses also runs, on a budget that keeps every input quick and
 * hermetic: at most 256 steps, no `platform file` (no file system), a
 * machine of at most 8 LPs and 4 GiB, no `write ... zero` over 1 MiB,
 * and no `include`.
 * A script outside that budget is only parsed.
 */
#include <string.h>

#include "fuzz.h"
#include "script/script_int.h"

#define RUN_MAX_STEPS 256
#define RUN_MAX_LPS   8
#define RUN_MAX_MEM   (4ULL << 30)
#define RUN_MAX_ZERO  (1ULL << 20)

#ifdef FUZZ_SCRIPT_RUN
static bool small(const struct script *s, const struct expr *e, uint64_t max)
{
	uint64_t v;

	return expr_const(s, e, &v) && v <= max;
}

static bool runnable(const struct script *s)
{
	for (size_t i = 0; i < s->nsteps; i++) {
		const struct step *st = &s->steps[i];

		if (st->op == OP_PLATFORM) {
			const struct plat_step *p = &st->u.plat;
			unsigned pk = p->packages ? p->packages : 2;
			unsigned lpp = p->lpp ? p->lpp : 4;

			if (p->path != SCRIPT_NO_STR || pk * lpp > RUN_MAX_LPS ||
			    !p->has_mem || !small(s, &p->mem, RUN_MAX_MEM))
				return false;
		}
		if (st->op == OP_WRITE && st->u.mem.kind == MEM_ZERO &&
		    !small(s, &st->u.mem.value, RUN_MAX_ZERO))
			return false;
	}
	return true;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script *s = calloc(1, sizeof(*s));
	/* include would read the file system: inputs must stay hermetic. */
	struct parser ps = { .s = s, .name = "fuzz/x.tds", .err = fuzz_sink(),
			     .no_include = true };

	if (!s)
		abort();
	if (size <= SCRIPT_MAX_FILE && parse_text(&ps, (const char *)data, size)) {
#ifdef FUZZ_SCRIPT_RUN
		struct script_opts o = {
			.out = fuzz_sink(), .err = fuzz_sink(), .verbose = true,
			.max_steps = RUN_MAX_STEPS,
		};

		if (runnable(s))
			run_script(s, ps.name, &o);
#endif
	}
	script_free(s);
	free(s);
	return 0;
}
