/* SPDX-License-Identifier: MIT */
/*
 * The global metadata as a metadata list in one 4 KiB page, for
 * TDH.SYS.RDALL and TDG.SYS.RDALL (md_sys_dump).
 *
 * List: 8-byte header {u16 list_buff_size, u16 num_sequences, u32 0}, then
 * sequences of {8-byte field ID header, 8 bytes per element}. A sequence
 * groups consecutive fields of one class with contiguous field codes and
 * equal element count and size.
 */
#include <string.h>

#include "module.h"
#include "metadata_sys.h"

#define LIST_SIZE MD_LIST_SIZE

struct list {
	uint8_t *buf;                     /* the caller's page */
	unsigned used, sequences;
	unsigned seq_hdr;                 /* offset of the open sequence */
	int prev_entry;
	bool seq_open;
	uint64_t seq_id;                  /* first field of the open sequence */
	unsigned seq_elems, seq_fields;
};

static bool continues(const struct list *l, int entry)
{
	const struct md_sys_entry *p, *e = md_sys_entry(entry);

	if (l->prev_entry < 0)
		return false;
	p = md_sys_entry(l->prev_entry);
	return md_class(p->id) == md_class(e->id) &&
	       md_field_code(p->id) + md_sys_entry_elements(l->prev_entry) ==
		       md_field_code(e->id) &&
	       p->num_elems == e->num_elems &&
	       md_element_size_code(p->id) == md_element_size_code(e->id);
}

static void put64(struct list *l, unsigned off, uint64_t v)
{
	memcpy(l->buf + off, &v, 8);
}

/* Header ID of the open sequence: first field, counts of elements and
 * fields minus one, write_mask_valid clear. */
static void close_sequence(struct list *l)
{
	uint64_t id = l->seq_id;

	if (!l->seq_open)
		return;
	id &= ~(MD_FIELD_ID_RESERVED_MASK | (1ULL << MD_WRITE_MASK_VALID_BIT));
	id |= (uint64_t)(l->seq_elems - 1) << MD_LAST_ELEMENT_SHIFT;
	id |= (uint64_t)(l->seq_fields - 1) << MD_LAST_FIELD_SHIFT;
	put64(l, l->seq_hdr, id);
}

/* md_sys_read_field gives a CPUID_CONFIG_VALUES field past the twelve
 * configurable leaves as one element, 0, which md_dump_list stores, and
 * leaves the field's second slot as the page had it. */
static bool left_unwritten(int entry, unsigned elem)
{
	return md_sys_entry(entry)->id == MD_SYS_CPUID_CONFIG_VALUES &&
	       elem / 2 >= CPUID_NUM_CONFIG && elem % 2 == 1;
}

/* Appends an entry's fields from element `from` (the first element of a
 * field); false when the page cannot hold them. */
static bool append(const struct tdx_module *m, struct list *l, int entry,
		   unsigned from)
{
	const struct md_sys_entry *e = md_sys_entry(entry);
	unsigned n = md_sys_entry_elements(entry) - from;

	if (l->used + 8 + 8 * n > LIST_SIZE)
		return false;
	if (!continues(l, entry)) {
		close_sequence(l);
		l->seq_open = true;
		l->seq_id = md_sys_element_id(entry, from);
		l->seq_elems = e->num_elems;
		l->seq_hdr = l->used;
		l->used += 8;
		l->seq_fields = 0;
		l->sequences++;
	}
	for (unsigned i = from; i < from + n; i++, l->used += 8)
		if (!left_unwritten(entry, i))
			put64(l, l->used, md_sys_value(m, entry, i));
	l->seq_fields += n / e->num_elems;
	l->prev_entry = entry;
	return true;
}

static int next_entry(const struct tdx_module *m, int entry, bool guest)
{
	return guest ? md_sys_next_guest_entry(m, entry) : md_sys_next_entry(m, entry);
}

/* The start: the null ID, or the first element of some field (one the
 * guest may read, for the guest), with the table's element size. */
static int start_entry(const struct tdx_module *m, uint64_t id, bool guest,
		       unsigned *from)
{
	int entry;

	*from = 0;
	if (md_is_null(id))
		return next_entry(m, -1, guest);
	entry = md_sys_lookup(m, id, from);
	if (entry < 0 || *from % md_sys_entry(entry)->num_elems ||
	    md_element_size_code(id) != md_element_size_code(md_sys_entry(entry)->id) ||
	    (guest && !md_sys_entry(entry)->guest_rd))
		return -1;
	return entry;
}

uint64_t md_sys_dump(const struct tdx_module *m, uint64_t first, bool guest,
		     uint8_t page[MD_LIST_SIZE], unsigned *len, uint64_t *next)
{
	struct list l = { .buf = page, .prev_entry = -1 };
	unsigned from;
	int entry = start_entry(m, first & ~MD_CONTEXT_BITS, guest, &from);

	*next = MD_NULL_ID;
	*len = 0;
	if (entry < 0)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	memset(page, 0, 8);       /* the header; its last 4 bytes stay 0 */
	l.used = 8;
	for (; entry >= 0; entry = next_entry(m, entry, guest), from = 0)
		if (!append(m, &l, entry, from))
			break;
	close_sequence(&l);
	l.buf[0] = (uint8_t)l.used;
	l.buf[1] = (uint8_t)(l.used >> 8);
	l.buf[2] = (uint8_t)l.sequences;
	l.buf[3] = (uint8_t)(l.sequences >> 8);
	*len = l.used;
	if (entry >= 0) {
		*next = md_sys_entry(entry)->id;
		return TDX_METADATA_LIST_OVERFLOW;
	}
	return TDX_SUCCESS;
}
