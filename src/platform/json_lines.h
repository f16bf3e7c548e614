/* SPDX-License-Identifier: MIT */
/*
 * Source lines for the values of a JSON document parsed by jansson, which
 * keeps no positions itself. A small lexer records the line of every value
 * (the root, each object member's value, each array element; keys are not
 * values) in document order; a pre-order walk of the json_t tree visits the
 * values in the same order, since jansson keeps object members in insertion
 * order, so value k of the walk sits on line k of the lexer.
 */
#ifndef TDXSIM_JSON_LINES_H
#define TDXSIM_JSON_LINES_H

#include <stddef.h>

#include <jansson.h>

struct json_lines;

/*
 * text and len must be exactly what json_loadb() accepted to build root.
 * Returns NULL when out of memory; the lookups then answer 0.
 */
struct json_lines *json_lines_new(const char *text, size_t len, json_t *root);
void json_lines_free(struct json_lines *jl);

/*
 * Line (from 1) of the value held by parent under key (an object member),
 * or at index (an array element, key NULL); parent NULL means the root.
 * 0 when unknown: no such value, or the lexer and the tree disagree.
 */
int json_lines_at(const struct json_lines *jl, const json_t *parent,
		  const char *key, size_t index);

#endif
