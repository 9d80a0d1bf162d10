/*
 * audit_elfscan.c -- tier 1: the backdoor's machine code in a binary.
 *
 * The whole file is searched, not only executable sections: a signature is
 * a fact about bytes, section headers can lie, and the payload could sit
 * anywhere in an object. Each pattern is found by memmem() on its longest
 * run of fixed bytes (the anchor), then checked in full around each hit.
 */
#include <string.h>

#include "audit.h"

static bool pattern_at(const audit_code *p, const uint8_t *at)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->care[i] && at[i] != p->bytes[i])
			return false;
	return true;
}

static bool find_pattern(const audit_code *p, const uint8_t *data, size_t size)
{
	if (size < p->len)
		return false;
	const uint8_t *anchor = p->bytes + p->anchor;
	/* An anchor hit at offset h puts the pattern at h - p->anchor, which
	 * must lie inside [0, size - len]. */
	size_t from = p->anchor;
	size_t last = size - p->len + p->anchor;
	while (from <= last) {
		const uint8_t *hit = memmem(data + from, size - from, anchor, p->anchor_len);
		if (hit == NULL)
			return false;
		size_t h = (size_t)(hit - data);
		if (h > last)
			return false;
		if (pattern_at(p, data + h - p->anchor))
			return true;
		from = h + 1;
	}
	return false;
}

void audit_match_code(audit_ctx *c, const audit_item *it)
{
	const audit_indicators *ind = &c->ind;
	for (size_t i = 0; i < ind->ncode; i++) {
		/* Each rule once, at its first pattern. */
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			if (strcmp(ind->code[j].rule, ind->code[i].rule) == 0)
				first = false;
		if (!first)
			continue;
		bool all = true;
		unsigned parts = 0;
		for (size_t j = i; j < ind->ncode && all; j++) {
			if (strcmp(ind->code[j].rule, ind->code[i].rule) != 0)
				continue;
			parts++;
			all = find_pattern(&ind->code[j], it->data, it->size);
		}
		if (all)
			audit_add_finding(c, TIER_BINARY, it->path, ind->code[i].rule,
					parts == 1 ? "machine code of the xz backdoor (byte signature)"
					: "machine code of the xz backdoor (all opcode signatures of the rule)",
					ind->code[i].source);
	}
}
