/*
 * lzma_props.c -- the filter properties of LZMA1 and LZMA2 as the .xz
 * block header (xz-file-format.txt 5.3.1) and the .lzma header
 * (lzma-specification.txt, "lzma file format") store them.
 */
#include "lzma/lzma_core.h"
#include "lzma/lzma_dec.h"

/* Options as liblzma fills them: only what the bytes say, the rest at the
 * documented defaults, so that a caller can re-encode them. */
static lzma_options_lzma *new_options(const lzma_allocator *a)
{
	lzma_options_lzma *o = xzc_alloc_zero(a, sizeof(*o));
	if (o != NULL) {
		o->lc = LZMA_LC_DEFAULT;
		o->lp = LZMA_LP_DEFAULT;
		o->pb = LZMA_PB_DEFAULT;
	}
	return o;
}

lzma_ret xzc_lzma1_props_decode(void **opt, const lzma_allocator *a,
				const uint8_t *props, size_t props_size)
{
	if (props_size != 5)
		return LZMA_OPTIONS_ERROR;
	lzma_options_lzma *o = new_options(a);
	if (o == NULL)
		return LZMA_MEM_ERROR;
	if (!xzc_lzma_lclppb_decode(o, props[0])) {
		xzc_free(a, o);
		return LZMA_OPTIONS_ERROR;
	}
	o->dict_size = read32le(props + 1);
	*opt = o;
	return LZMA_OK;
}

lzma_ret xzc_lzma2_props_decode(void **opt, const lzma_allocator *a,
				const uint8_t *props, size_t props_size)
{
	/* One byte: bits 0..5 encode the dictionary size as
	 * (2 | (b & 1)) << (b / 2 + 11); 40 means 4 GiB - 1; bits 6..7 and
	 * values above 40 are invalid (xz-file-format.txt 5.3.1). */
	if (props_size != 1 || props[0] > 40)
		return LZMA_OPTIONS_ERROR;
	lzma_options_lzma *o = new_options(a);
	if (o == NULL)
		return LZMA_MEM_ERROR;
	if (props[0] == 40)
		o->dict_size = UINT32_MAX;
	else
		o->dict_size = (uint32_t)(2 | (props[0] & 1)) << (props[0] / 2 + 11);
	*opt = o;
	return LZMA_OK;
}
