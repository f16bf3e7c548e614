/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for libFuzzer's main, for builds without clang's libFuzzer
 * (any compiler; the Debug and ASan builds of the test suite). It feeds a
 * fuzz target every file of its seed corpus, then a fixed number of
 * deterministic mutations of each: the PRNG is seeded from --seed and the
 * seed file's index, so a run repeats exactly and a failure names the
 * input that caused it (and can write it out with --crash-dir).
 *
 *   fuzz_TARGET [--mutations N] [--seed S] [--max-len BYTES]
 *               [--crash-dir DIR] [--verbose] PATH...
 *
 * PATH is a file or a directory of files (not recursive, sorted by name).
 * The target aborts on a bug (sanitizers, assert); before each input the
 * driver notes which one it is, so the abort message is preceded by it.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* The sanitizers' hook, called after their report (absent without them). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

struct input {
	char *name;
	uint8_t *data;
	size_t len;
};

static struct input *inputs;
static size_t n_inputs, cap_inputs;
static size_t max_len = 1u << 16;
static const char *crash_dir;
static const uint8_t *cur_data;
static size_t cur_len;
static char cur_what[512];

/* splitmix64: small, fast and good enough to pick mutations. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *s, size_t n)
{
	return n ? (size_t)(rng_next(s) % n) : 0;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "fuzz driver: ");
	fprintf(stderr, fmt, arg, strerror(errno));
	fputc('\n', stderr);
	exit(2);
}

static void add_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct input in = { 0 };
	size_t cap = 4096;

	if (!f)
		die("cannot open %s: %s", path);
	in.data = malloc(cap);
	while (in.data) {
		in.len += fread(in.data + in.len, 1, cap - in.len, f);
		if (ferror(f))
			die("cannot read %s: %s", path);
		if (in.len < cap)
			break;
		cap *= 2;
		in.data = realloc(in.data, cap);
	}
	fclose(f);
	in.name = strdup(path);
	if (!in.data || !in.name)
		die("out of memory reading %s%s", path);
	if (n_inputs == cap_inputs) {
		cap_inputs = cap_inputs ? 2 * cap_inputs : 64;
		inputs = realloc(inputs, cap_inputs * sizeof(*inputs));
		if (!inputs)
			die("out of memory reading %s%s", path);
	}
	inputs[n_inputs++] = in;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;

	if (stat(path, &st))
		die("cannot stat %s: %s", path);
	if (!S_ISDIR(st.st_mode)) {
		add_file(path);
		return;
	}
	if (!(d = opendir(path)))
		die("cannot open directory %s: %s", path);
	while ((de = readdir(d))) {
		char full[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
		if (stat(full, &st) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (!names || !(names[n++] = strdup(full)))
			die("out of memory listing %s%s", path);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		add_file(names[i]);
		free(names[i]);
	}
	free(names);
}

/* ---- mutations ---- */

/* Values that make parsers take their edge paths. */
static const char *const tokens[] = {
	"0", "1", "-1", "0x", "0x0", "0xffffffffffffffff", "18446744073709551615",
	"18446744073709551616", "4294967296", "9223372036854775808", "-0",
	"\n", "\r\n", " ", "\t", "#", "\"", "\\", "{", "}", "[", "]", ",", ":",
	"=", "-", "+", "$", "null", "true", "1e999", "K", "M", "G", "T",
	"System RAM", "usable", "reserved", "repeat 1000000", "end", "\xff", "\x00",
};
#define N_TOKENS (sizeof(tokens) / sizeof(tokens[0]))

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t need)
{
	if (b->p && need <= b->cap)
		return;
	b->cap = need * 2 + 64;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		fprintf(stderr, "fuzz driver: out of memory\n");
		exit(2);
	}
}

static void buf_insert(struct buf *b, size_t at, const uint8_t *src, size_t n)
{
	if (b->len + n > max_len)
		n = max_len > b->len ? max_len - b->len : 0;
	buf_reserve(b, b->len + n);
	memmove(b->p + at + n, b->p + at, b->len - at);
	memcpy(b->p + at, src, n);
	b->len += n;
}

static void buf_erase(struct buf *b, size_t at, size_t n)
{
	memmove(b->p + at, b->p + at + n, b->len - at - n);
	b->len -= n;
}

/* The start of a random line (or 0), so text mutations keep some shape. */
static size_t line_start(const struct buf *b, uint64_t *s)
{
	size_t at = rng_below(s, b->len + 1);

	while (at > 0 && b->p[at - 1] != '\n')
		at--;
	return at;
}

static void mutate_once(struct buf *b, uint64_t *s)
{
	size_t at = rng_below(s, b->len + 1), n;
	uint8_t tmp[32];

	switch (rng_below(s, 11)) {
	case 0:   /* flip a bit */
		if (b->len)
			b->p[at % b->len] ^= (uint8_t)(1u << rng_below(s, 8));
		break;
	case 1:   /* a random byte */
		if (b->len)
			b->p[at % b->len] = (uint8_t)rng_next(s);
		break;
	case 2:   /* an interesting byte */
		if (b->len) {
			static const uint8_t v[] = { 0, 0xff, 0x7f, 0x80, '\n', ' ', '0', '9', 'f', '-' };

			b->p[at % b->len] = v[rng_below(s, sizeof(v))];
		}
		break;
	case 3:   /* truncate */
		b->len = at;
		break;
	case 4:   /* delete a run */
		n = rng_below(s, b->len - at + 1);
		if (n > 64)
			n = 1 + rng_below(s, 64);
		buf_erase(b, at, n);
		break;
	case 5:   /* insert random bytes */
		n = 1 + rng_below(s, sizeof(tmp));
		for (size_t i = 0; i < n; i++)
			tmp[i] = (uint8_t)rng_next(s);
		buf_insert(b, at, tmp, n);
		break;
	case 6: { /* insert a token */
		const char *t = tokens[rng_below(s, N_TOKENS)];

		buf_insert(b, at, (const uint8_t *)t, *t ? strlen(t) : 1);
		break;
	}
	case 7: { /* duplicate a line (or a run) in place */
		size_t from = line_start(b, s), to = from;

		while (to < b->len && b->p[to] != '\n')
			to++;
		if (to < b->len)
			to++;
		n = to - from;
		if (n && n <= 4096) {
			uint8_t *copy = malloc(n);

			if (copy) {
				memcpy(copy, b->p + from, n);
				buf_insert(b, from, copy, n);
				free(copy);
			}
		}
		break;
	}
	case 8: { /* splice: a chunk of another seed */
		const struct input *o = &inputs[rng_below(s, n_inputs)];
		size_t from = rng_below(s, o->len + 1);

		n = rng_below(s, o->len - from + 1);
		if (n > 256)
			n = rng_below(s, 256);
		buf_insert(b, at, o->data + from, n);
		break;
	}
	case 9: { /* cross over: this seed's head, another's tail */
		const struct input *o = &inputs[rng_below(s, n_inputs)];
		size_t from = rng_below(s, o->len + 1);

		b->len = at;
		buf_insert(b, at, o->data + from, o->len - from);
		break;
	}
	default: { /* replace a number's digits with a big or odd one */
		size_t i = at;
		const char *t = tokens[rng_below(s, 10)];

		while (i < b->len && !(b->p[i] >= '0' && b->p[i] <= '9'))
			i++;
		if (i == b->len)
			break;
		n = 0;
		while (i + n < b->len && ((b->p[i + n] >= '0' && b->p[i + n] <= '9') ||
					  (b->p[i + n] >= 'a' && b->p[i + n] <= 'f') ||
					  b->p[i + n] == 'x'))
			n++;
		buf_erase(b, i, n);
		buf_insert(b, i, (const uint8_t *)t, strlen(t));
		break;
	}
	}
}

/* ---- running ---- */

static void write_crash(void)
{
	char path[4096];
	FILE *f;

	if (!crash_dir || !cur_data)
		return;
	snprintf(path, sizeof(path), "%s/crash-%ld", crash_dir, (long)getpid());
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(cur_data, 1, cur_len, f);
	fclose(f);
	fprintf(stderr, "fuzz driver: input written to %s\n", path);
}

static void on_sanitizer_death(void)
{
	fprintf(stderr, "fuzz driver: the report above is for %s\n", cur_what);
	write_crash();
}

static void on_abort(int sig)
{
	/* Async-signal context, but the process is about to die anyway and
	 * the input is what a bug report needs. */
	fprintf(stderr, "fuzz driver: signal %d on %s\n", sig, cur_what);
	write_crash();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_one(const uint8_t *data, size_t len)
{
	/* A private copy of exactly len bytes, so ASan sees reads past it. */
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy) {
		fprintf(stderr, "fuzz driver: out of memory\n");
		exit(2);
	}
	memcpy(copy, data, len);
	cur_data = copy;
	cur_len = len;
	LLVMFuzzerTestOneInput(copy, len);
	cur_data = NULL;
	free(copy);
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz_TARGET [--mutations N] [--seed S] [--max-len BYTES]\n"
			"                   [--crash-dir DIR] [--verbose] PATH...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long mutations = 100, seed = 1;
	struct buf b = { 0 };
	bool verbose = false;
	struct timespec t0, t1;
	int i;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--verbose"))
			verbose = true;
		else if (i + 1 < argc && !strcmp(a, "--mutations"))
			mutations = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(a, "--seed"))
			seed = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(a, "--max-len"))
			max_len = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(a, "--crash-dir"))
			crash_dir = argv[++i];
		else
			usage();
	}
	if (i == argc)
		usage();
	for (; i < argc; i++)
		add_path(argv[i]);
	if (!n_inputs) {
		fprintf(stderr, "fuzz driver: no inputs\n");
		return 2;
	}
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_sanitizer_death);
	signal(SIGABRT, on_abort);
	signal(SIGSEGV, on_abort);
	signal(SIGBUS, on_abort);
	signal(SIGFPE, on_abort);
	signal(SIGILL, on_abort);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (size_t k = 0; k < n_inputs; k++) {
		const struct input *in = &inputs[k];

		snprintf(cur_what, sizeof(cur_what), "%s", in->name);
		if (verbose)
			fprintf(stderr, "fuzz driver: %s\n", cur_what);
		run_one(in->data, in->len);
	}
	for (size_t k = 0; k < n_inputs; k++) {
		const struct input *in = &inputs[k];
		uint64_t s = seed * 0x100000001B3ULL + k;

		for (unsigned long long m = 0; m < mutations; m++) {
			unsigned stack = 1 + (unsigned)rng_below(&s, 4);

			b.len = 0;
			buf_insert(&b, 0, in->data, in->len > max_len ? max_len : in->len);
			for (unsigned j = 0; j < stack; j++)
				mutate_once(&b, &s);
			snprintf(cur_what, sizeof(cur_what),
				 "%s, mutation %llu (--seed %llu)", in->name, m, seed);
			if (verbose)
				fprintf(stderr, "fuzz driver: %s\n", cur_what);
			run_one(b.p, b.len);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("fuzz driver: %zu seeds, %llu mutations each, %.2f s\n", n_inputs, mutations,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(b.p);
	for (size_t k = 0; k < n_inputs; k++) {
		free(inputs[k].name);
		free(inputs[k].data);
	}
	free(inputs);
	return 0;
}
