/* SPDX-License-Identifier: MIT */
/* Source lines of JSON values, paired with a jansson tree (json_lines.h). */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_lines.h"

/* Where one value sits in the tree, and its line. */
struct jl_value {
	const json_t *parent;
	const char *key;       /* NULL: an array element (or the root) */
	size_t index;
	int line;
};

struct json_lines {
	size_t n;              /* 0 when the lexer and the tree disagree */
	struct jl_value *v;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Characters of numbers and of the literals true, false and null. */
static bool is_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

static void next_line(int *line)
{
	if (*line < INT_MAX)
		(*line)++;
}

/* Index just past the string opening at s[i]; escapes (\" \\ \uXXXX) skip
 * the character after the backslash, which is all a lexer needs. */
static size_t skip_string(const char *s, size_t len, size_t i, int *line)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
		else if (s[i] == '\n')
			next_line(line);
	}
	return len;
}

/* A string followed by ':' is an object key, not a value. */
static bool is_key(const char *s, size_t len, size_t i)
{
	while (i < len && is_space(s[i]))
		i++;
	return i < len && s[i] == ':';
}

/* Lines of the values in document order; returns their count and fills
 * out[] (when not NULL, sized by a previous counting call). */
static size_t scan(const char *s, size_t len, int *out)
{
	size_t n = 0, i = 0;
	int line = 1;
	bool in_word = false;

	while (i < len) {
		char ch = s[i];

		if (ch == '"') {
			int first = line;

			i = skip_string(s, len, i, &line);
			if (!is_key(s, len, i)) {
				if (out)
					out[n] = first;
				n++;
			}
			in_word = false;
			continue;
		}
		if (ch == '{' || ch == '[' || (is_word(ch) && !in_word)) {
			if (out)
				out[n] = line;
			n++;
		}
		in_word = is_word(ch);
		if (ch == '\n')
			next_line(&line);
		i++;
	}
	return n;
}

struct walk {
	struct jl_value *out;
	size_t max, k;
};

/* Pre-order: the value, then its members or elements in order. Depth is
 * bounded by jansson's parser (JSON_PARSER_MAX_DEPTH). */
static void walk(struct walk *w, json_t *v, const json_t *parent,
		 const char *key, size_t index)
{
	if (w->k < w->max)
		w->out[w->k] = (struct jl_value){ parent, key, index, 0 };
	w->k++;
	if (json_is_object(v)) {
		const char *k;
		json_t *m;

		json_object_foreach(v, k, m)
			walk(w, m, v, k, 0);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e)
			walk(w, e, v, NULL, i);
	}
}

struct json_lines *json_lines_new(const char *text, size_t len, json_t *root)
{
	struct json_lines *jl = calloc(1, sizeof(*jl));
	size_t n = text ? scan(text, len, NULL) : 0;
	int *lines = n ? calloc(n, sizeof(*lines)) : NULL;
	struct walk w = { .max = n };

	if (jl && n)
		jl->v = calloc(n, sizeof(*jl->v));
	if (!jl || !lines || !jl->v || !root) {
		free(lines);
		json_lines_free(jl);
		return NULL;
	}
	scan(text, len, lines);
	w.out = jl->v;
	walk(&w, root, NULL, NULL, 0);
	if (w.k == n) {
		for (size_t i = 0; i < n; i++)
			jl->v[i].line = lines[i];
		jl->n = n;
	}
	free(lines);
	return jl;
}

void json_lines_free(struct json_lines *jl)
{
	if (jl) {
		free(jl->v);
		free(jl);
	}
}

int json_lines_at(const struct json_lines *jl, const json_t *parent,
		  const char *key, size_t index)
{
	if (!jl || !jl->n)
		return 0;
	if (!parent)
		return jl->v[0].line;
	for (size_t i = 1; i < jl->n; i++) {
		const struct jl_value *v = &jl->v[i];

		if (v->parent != parent)
			continue;
		if (key ? v->key && !strcmp(v->key, key)
			: !v->key && v->index == index)
			return v->line;
	}
	return 0;
}
