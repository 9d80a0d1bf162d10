/*
 * filter_chain.c -- the filter registry and the raw filter chain.
 *
 * One table (filters[] below) names every filter this build knows, with the
 * chain rules of xz-file-format.txt 5.2 and the functions that create its
 * coders and read/write its Filter Properties (5.3). Everything that takes a
 * filter ID -- the block header parser, the raw decoder, the memory
 * estimates, the public lzma_properties_* and lzma_filter_flags_* -- looks
 * the ID up here, so adding a filter is one row.
 *
 * The LZMA1/LZMA1EXT/LZMA2 encoder columns call lib/lzma/lzma_enc.h.
 */
#include "container/container.h"
#include "filters/filters.h"
#include "lzma/lzma_dec.h"
#include "lzma/lzma_enc.h"

/* ---- per-filter adapters --------------------------------------------------
 * They turn the table's uniform signature into each layer's own init. */

static lzma_ret lzma1_dec_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	(void)next;     /* always the last filter */
	/* Raw LZMA1 has no size field: the data ends with the end marker
	 * (or never, for a caller that knows the size itself). */
	return xzc_lzma1_decoder_init(c, a, f->options, LZMA_VLI_UNKNOWN, true);
}

static lzma_ret lzma1ext_dec_init(xzc_coder *c, const lzma_allocator *a,
				  const lzma_filter *f, xzc_coder *next)
{
	(void)next;
	const lzma_options_lzma *opt = f->options;
	/* LZMA1EXT (liblzma 5.4): the caller passes the uncompressed size,
	 * all ones meaning unknown, and whether an end marker may follow a
	 * known size. Unknown flag bits are a newer API: refuse them. */
	if ((opt->ext_flags & ~(uint32_t)LZMA_LZMA1EXT_ALLOW_EOPM) != 0)
		return LZMA_OPTIONS_ERROR;
	const uint64_t size = opt->ext_size_low
			      | ((uint64_t)opt->ext_size_high << 32);
	const bool eopm = (opt->ext_flags & LZMA_LZMA1EXT_ALLOW_EOPM) != 0
			  || size == LZMA_VLI_UNKNOWN;
	return xzc_lzma1_decoder_init(c, a, opt, size, eopm);
}

static lzma_ret lzma2_dec_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	(void)next;
	return xzc_lzma2_decoder_init(c, a, f->options);
}

/* Raw LZMA1 has no size field: the encoder always ends the data with the
 * end marker. */
static lzma_ret lzma1_enc_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	(void)next;
	return xzc_lzma1_encoder_init(c, a, f->options, true,
				      LZMA_VLI_UNKNOWN);
}

/* LZMA1EXT: the encoder ignores ext_size (lzma12.h); the flag says
 * whether to write the end marker. Without it the caller must store the
 * size elsewhere. Unknown flag bits are a newer API: refuse them. */
static lzma_ret lzma1ext_enc_init(xzc_coder *c, const lzma_allocator *a,
				  const lzma_filter *f, xzc_coder *next)
{
	(void)next;
	const lzma_options_lzma *opt = f->options;
	if ((opt->ext_flags & ~(uint32_t)LZMA_LZMA1EXT_ALLOW_EOPM) != 0)
		return LZMA_OPTIONS_ERROR;
	return xzc_lzma1_encoder_init(c, a, opt,
				      (opt->ext_flags
				       & LZMA_LZMA1EXT_ALLOW_EOPM) != 0,
				      LZMA_VLI_UNKNOWN);
}

static lzma_ret lzma2_enc_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	(void)next;
	return xzc_lzma2_encoder_init(c, a, f->options);
}

static lzma_ret delta_dec_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	return xzc_delta_decoder_init(c, a, f->options, next);
}

static lzma_ret delta_enc_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *f, xzc_coder *next)
{
	return xzc_delta_encoder_init(c, a, f->options, next);
}

static lzma_ret bcj_dec_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_filter *f, xzc_coder *next)
{
	return xzc_bcj_decoder_init(c, a, f->id, f->options, next);
}

static lzma_ret bcj_enc_init(xzc_coder *c, const lzma_allocator *a,
			     const lzma_filter *f, xzc_coder *next)
{
	return xzc_bcj_encoder_init(c, a, f->id, f->options, next);
}

/* ---- memory estimates, which also validate the options ------------------ */

static uint64_t lzma1_dec_mem(const void *options)
{
	return options == NULL ? UINT64_MAX : xzc_lzma_decoder_memusage(options);
}

static uint64_t lzma2_dec_mem(const void *options)
{
	return options == NULL ? UINT64_MAX
			       : xzc_lzma2_decoder_memusage(options);
}

static uint64_t lzma_enc_mem(const void *options)
{
	return options == NULL ? UINT64_MAX
			       : xzc_lzma_encoder_memusage(options);
}

static bool delta_options_valid(const lzma_options_delta *opt)
{
	return opt != NULL && opt->type == LZMA_DELTA_TYPE_BYTE
	       && opt->dist >= LZMA_DELTA_DIST_MIN
	       && opt->dist <= LZMA_DELTA_DIST_MAX;
}

static uint64_t delta_memusage(const void *options)
{
	return delta_options_valid(options) ? xzc_delta_memusage() : UINT64_MAX;
}

static uint64_t bcj_memusage(const void *options)
{
	(void)options;  /* NULL or any start offset is valid */
	return xzc_bcj_memusage();
}

/* ---- Filter Properties (xz-file-format.txt 5.3) ------------------------- */

/* LZMA1 (lzma-specification.txt, "lzma header"): one byte
 * (pb * 5 + lp) * 9 + lc, then the dictionary size, 32-bit LE. */
static lzma_ret lzma1_props_size(uint32_t *size, const void *options)
{
	(void)options;
	*size = 5;
	return LZMA_OK;
}

static lzma_ret lzma1_props_encode(const void *options, uint8_t *out)
{
	const lzma_options_lzma *opt = options;
	if (opt == NULL || opt->lc > LZMA_LCLP_MAX || opt->lp > LZMA_LCLP_MAX
	    || opt->lc + opt->lp > LZMA_LCLP_MAX || opt->pb > LZMA_PB_MAX)
		return LZMA_PROG_ERROR;
	out[0] = (uint8_t)((opt->pb * 5 + opt->lp) * 9 + opt->lc);
	write32le(out + 1, opt->dict_size);
	return LZMA_OK;
}

/* LZMA2 (5.3.1): bits 0-5 code the dictionary size as 2 or 3 times a power
 * of two, from 4 KiB (code 0) to 4 GiB - 1 (code 40). */
static uint32_t lzma2_dict_of_code(uint32_t code)
{
	if (code == 40)
		return UINT32_MAX;
	return (UINT32_C(2) | (code & 1)) << (code / 2 + 11);
}

static lzma_ret lzma2_props_size(uint32_t *size, const void *options)
{
	(void)options;
	*size = 1;
	return LZMA_OK;
}

/* The encoder stores the smallest code whose size holds dict_size. */
static lzma_ret lzma2_props_encode(const void *options, uint8_t *out)
{
	const lzma_options_lzma *opt = options;
	if (opt == NULL)
		return LZMA_PROG_ERROR;
	uint32_t code = 0;
	while (lzma2_dict_of_code(code) < opt->dict_size)
		++code;
	out[0] = (uint8_t)code;
	return LZMA_OK;
}

/* Delta (5.3.3): one byte, the distance minus one. */
static lzma_ret delta_props_decode(void **options, const lzma_allocator *a,
				   const uint8_t *props, size_t props_size)
{
	if (props_size != 1)
		return LZMA_OPTIONS_ERROR;
	lzma_options_delta *opt = xzc_alloc_zero(a, sizeof(*opt));
	if (opt == NULL)
		return LZMA_MEM_ERROR;
	opt->type = LZMA_DELTA_TYPE_BYTE;
	opt->dist = (uint32_t)props[0] + 1;
	*options = opt;
	return LZMA_OK;
}

static lzma_ret delta_props_size(uint32_t *size, const void *options)
{
	(void)options;
	*size = 1;
	return LZMA_OK;
}

static lzma_ret delta_props_encode(const void *options, uint8_t *out)
{
	const lzma_options_delta *opt = options;
	if (!delta_options_valid(opt))
		return LZMA_PROG_ERROR;
	out[0] = (uint8_t)(opt->dist - 1);
	return LZMA_OK;
}

/* BCJ (5.3.2): no properties, or the start offset as 32-bit LE. A zero
 * offset is the default, so liblzma leaves no options structure for it. */
static lzma_ret bcj_props_decode(void **options, const lzma_allocator *a,
				 const uint8_t *props, size_t props_size)
{
	if (props_size == 0)
		return LZMA_OK;
	if (props_size != 4)
		return LZMA_OPTIONS_ERROR;
	const uint32_t start = read32le(props);
	if (start == 0)
		return LZMA_OK;
	lzma_options_bcj *opt = xzc_alloc_zero(a, sizeof(*opt));
	if (opt == NULL)
		return LZMA_MEM_ERROR;
	opt->start_offset = start;
	*options = opt;
	return LZMA_OK;
}

static lzma_ret bcj_props_size(uint32_t *size, const void *options)
{
	const lzma_options_bcj *opt = options;
	*size = opt == NULL || opt->start_offset == 0 ? 0 : 4;
	return LZMA_OK;
}

static lzma_ret bcj_props_encode(const void *options, uint8_t *out)
{
	const lzma_options_bcj *opt = options;
	if (opt != NULL && opt->start_offset != 0)
		write32le(out, opt->start_offset);
	return LZMA_OK;
}

/* ---- the table ------------------------------------------------------------ */

#define LZMA_ROW(fid, dinit, einit, dmem, pdec, psize, penc) \
	{ .id = (fid), .non_last_ok = false, .last_ok = true, \
	  .changes_size = true, .decoder_init = (dinit), \
	  .encoder_init = (einit), .decoder_memusage = (dmem), \
	  .encoder_memusage = lzma_enc_mem, \
	  .props_decode = (pdec), .props_size = (psize), \
	  .props_encode = (penc) }

#define BCJ_ROW(fid) \
	{ .id = (fid), .non_last_ok = true, .last_ok = false, \
	  .changes_size = false, .decoder_init = bcj_dec_init, \
	  .encoder_init = bcj_enc_init, .decoder_memusage = bcj_memusage, \
	  .encoder_memusage = bcj_memusage, .props_decode = bcj_props_decode, \
	  .props_size = bcj_props_size, .props_encode = bcj_props_encode }

static const xzc_filter_info filters[] = {
	LZMA_ROW(LZMA_FILTER_LZMA1, lzma1_dec_init, lzma1_enc_init,
		 lzma1_dec_mem,
		 xzc_lzma1_props_decode, lzma1_props_size, lzma1_props_encode),
	LZMA_ROW(LZMA_FILTER_LZMA1EXT, lzma1ext_dec_init, lzma1ext_enc_init,
		 lzma1_dec_mem,
		 xzc_lzma1_props_decode, lzma1_props_size, lzma1_props_encode),
	LZMA_ROW(LZMA_FILTER_LZMA2, lzma2_dec_init, lzma2_enc_init,
		 lzma2_dec_mem,
		 xzc_lzma2_props_decode, lzma2_props_size, lzma2_props_encode),
	{ .id = LZMA_FILTER_DELTA, .non_last_ok = true, .last_ok = false,
	  .changes_size = false, .decoder_init = delta_dec_init,
	  .encoder_init = delta_enc_init, .decoder_memusage = delta_memusage,
	  .encoder_memusage = delta_memusage,
	  .props_decode = delta_props_decode, .props_size = delta_props_size,
	  .props_encode = delta_props_encode },
	BCJ_ROW(LZMA_FILTER_X86),
	BCJ_ROW(LZMA_FILTER_POWERPC),
	BCJ_ROW(LZMA_FILTER_IA64),
	BCJ_ROW(LZMA_FILTER_ARM),
	BCJ_ROW(LZMA_FILTER_ARMTHUMB),
	BCJ_ROW(LZMA_FILTER_ARM64),
	BCJ_ROW(LZMA_FILTER_SPARC),
#ifdef LZMA_FILTER_RISCV        /* liblzma >= 5.6 headers */
	BCJ_ROW(LZMA_FILTER_RISCV),
#endif
};

const xzc_filter_info *xzc_filter_find(lzma_vli id)
{
	for (size_t i = 0; i < ARRAY_SIZE(filters); ++i)
		if (filters[i].id == id)
			return &filters[i];
	return NULL;
}

/* ---- chains ---------------------------------------------------------------- */

lzma_ret xzc_filters_validate(const lzma_filter *chain, size_t *count)
{
	if (chain == NULL || chain[0].id == LZMA_VLI_UNKNOWN)
		return LZMA_PROG_ERROR;

	size_t n = 0, size_changers = 0;
	bool last_ok = false;
	for (; chain[n].id != LZMA_VLI_UNKNOWN; ++n) {
		/* Stop before reading past a chain that lacks its end. */
		if (n == LZMA_FILTERS_MAX)
			return LZMA_OPTIONS_ERROR;
		const xzc_filter_info *fi = xzc_filter_find(chain[n].id);
		if (fi == NULL)
			return LZMA_OPTIONS_ERROR;
		/* The previous filter must allow one after it (5.2). */
		if (n > 0 && !xzc_filter_find(chain[n - 1].id)->non_last_ok)
			return LZMA_OPTIONS_ERROR;
		last_ok = fi->last_ok;
		size_changers += fi->changes_size;
	}
	if (!last_ok || size_changers > 3)
		return LZMA_OPTIONS_ERROR;
	*count = n;
	return LZMA_OK;
}

uint64_t xzc_raw_coder_memusage(const lzma_filter *chain, bool encoder)
{
	size_t n;
	if (xzc_filters_validate(chain, &n) != LZMA_OK)
		return UINT64_MAX;
	uint64_t total = XZC_MEMUSAGE_BASE;
	for (size_t i = 0; i < n; ++i) {
		const xzc_filter_info *fi = xzc_filter_find(chain[i].id);
		uint64_t (*mem)(const void *) = encoder ? fi->encoder_memusage
							: fi->decoder_memusage;
		if (mem == NULL)
			return UINT64_MAX;
		const uint64_t m = mem(chain[i].options);
		if (m == UINT64_MAX)
			return UINT64_MAX;
		total += m;
	}
	return total;
}

static lzma_ret raw_coder_init(xzc_coder *c, const lzma_allocator *a,
			       const lzma_filter *chain, bool encoder)
{
	size_t n;
	lzma_ret ret = xzc_filters_validate(chain, &n);
	if (ret != LZMA_OK)
		return ret;

	/* Build from the last filter up: each init takes the rest of the
	 * chain as its `next`. */
	xzc_coder rest = XZC_CODER_INIT;
	for (size_t i = n; i-- > 0;) {
		const xzc_filter_info *fi = xzc_filter_find(chain[i].id);
		lzma_ret (*init)(xzc_coder *, const lzma_allocator *,
				 const lzma_filter *, xzc_coder *) =
			encoder ? fi->encoder_init : fi->decoder_init;
		uint64_t (*mem)(const void *) = encoder ? fi->encoder_memusage
							: fi->decoder_memusage;
		if (init == NULL || mem == NULL) {
			ret = LZMA_OPTIONS_ERROR;
			break;
		}
		/* Options are validated before any init sees them. */
		if (mem(chain[i].options) == UINT64_MAX) {
			ret = chain[i].options == NULL ? LZMA_PROG_ERROR
						       : LZMA_OPTIONS_ERROR;
			/* BCJ accepts NULL; nothing else gets here with it. */
			break;
		}
		xzc_coder cur = XZC_CODER_INIT;
		ret = init(&cur, a, &chain[i], &rest);
		if (ret != LZMA_OK) {
			xzc_coder_end(&cur, a);
			break;
		}
		xzc_coder_end(&rest, a);        /* empty: moved into cur */
		xzc_coder_move(&rest, &cur);
	}
	if (ret != LZMA_OK) {
		xzc_coder_end(&rest, a);
		return ret;
	}
	xzc_coder_move(c, &rest);
	return LZMA_OK;
}

lzma_ret xzc_raw_decoder_init(xzc_coder *c, const lzma_allocator *a,
			      const lzma_filter *chain)
{
	return raw_coder_init(c, a, chain, false);
}

lzma_ret xzc_raw_encoder_init(xzc_coder *c, const lzma_allocator *a,
			      const lzma_filter *chain)
{
	return raw_coder_init(c, a, chain, true);
}

void xzc_filters_free(lzma_filter *chain, const lzma_allocator *a)
{
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; ++i) {
		if (chain[i].id == LZMA_VLI_UNKNOWN)
			break;
		xzc_free(a, chain[i].options);
		chain[i].options = NULL;
		chain[i].id = LZMA_VLI_UNKNOWN;
	}
}

/* ---- public functions ---------------------------------------------------- */

LZMA_API(uint64_t) lzma_raw_decoder_memusage(const lzma_filter *chain)
{
	return xzc_raw_coder_memusage(chain, false);
}

LZMA_API(lzma_bool) lzma_filter_decoder_is_supported(lzma_vli id)
{
	const xzc_filter_info *fi = xzc_filter_find(id);
	return fi != NULL && fi->decoder_init != NULL;
}

LZMA_API(lzma_ret) lzma_properties_decode(lzma_filter *filter,
					  const lzma_allocator *a,
					  const uint8_t *props,
					  size_t props_size)
{
	/* NULL first, so the caller can always free it. */
	filter->options = NULL;
	const xzc_filter_info *fi = xzc_filter_find(filter->id);
	if (fi == NULL || fi->props_decode == NULL)
		return LZMA_OPTIONS_ERROR;
	return fi->props_decode(&filter->options, a, props, props_size);
}

LZMA_API(lzma_ret) lzma_properties_size(uint32_t *size,
					const lzma_filter *filter)
{
	const xzc_filter_info *fi = xzc_filter_find(filter->id);
	if (fi == NULL)
		/* A valid but unknown ID may be a filter of a newer
		 * version: "unsupported", not "misuse". */
		return filter->id <= LZMA_VLI_MAX ? LZMA_OPTIONS_ERROR
						  : LZMA_PROG_ERROR;
	return fi->props_size(size, filter->options);
}

LZMA_API(lzma_ret) lzma_properties_encode(const lzma_filter *filter,
					  uint8_t *props)
{
	const xzc_filter_info *fi = xzc_filter_find(filter->id);
	if (fi == NULL)
		return LZMA_PROG_ERROR;
	return fi->props_encode(filter->options, props);
}

/* Filter Flags (xz-file-format.txt 3.1.5): Filter ID (VLI), Size of
 * Properties (VLI), Filter Properties. */
LZMA_API(lzma_ret) lzma_filter_flags_decode(lzma_filter *filter,
					    const lzma_allocator *a,
					    const uint8_t *in, size_t *in_pos,
					    size_t in_size)
{
	filter->options = NULL;
	lzma_ret ret = lzma_vli_decode(&filter->id, NULL, in, in_pos, in_size);
	if (ret != LZMA_OK)
		return ret;
	if (filter->id >= XZC_FILTER_RESERVED_START)
		return LZMA_DATA_ERROR;

	lzma_vli props_size;
	ret = lzma_vli_decode(&props_size, NULL, in, in_pos, in_size);
	if (ret != LZMA_OK)
		return ret;
	/* The properties must lie inside the header (3.1.5). */
	if (in_size - *in_pos < props_size)
		return LZMA_DATA_ERROR;
	ret = lzma_properties_decode(filter, a, in + *in_pos,
				     (size_t)props_size);
	*in_pos += (size_t)props_size;
	return ret;
}

LZMA_API(lzma_ret) lzma_filter_flags_size(uint32_t *size,
					  const lzma_filter *filter)
{
	if (filter->id >= XZC_FILTER_RESERVED_START)
		return LZMA_PROG_ERROR;
	uint32_t props;
	lzma_ret ret = lzma_properties_size(&props, filter);
	if (ret != LZMA_OK)
		return ret;
	*size = props + lzma_vli_size(filter->id) + lzma_vli_size(props);
	return LZMA_OK;
}

LZMA_API(lzma_ret) lzma_filter_flags_encode(const lzma_filter *filter,
					    uint8_t *out, size_t *out_pos,
					    size_t out_size)
{
	if (filter->id >= XZC_FILTER_RESERVED_START)
		return LZMA_PROG_ERROR;
	lzma_ret ret = lzma_vli_encode(filter->id, NULL, out, out_pos,
				       out_size);
	if (ret != LZMA_OK)
		return ret;
	uint32_t props;
	ret = lzma_properties_size(&props, filter);
	if (ret != LZMA_OK)
		return ret;
	ret = lzma_vli_encode(props, NULL, out, out_pos, out_size);
	if (ret != LZMA_OK)
		return ret;
	if (out_size - *out_pos < props)
		return LZMA_PROG_ERROR;
	ret = lzma_properties_encode(filter, out + *out_pos);
	if (ret != LZMA_OK)
		return ret;
	*out_pos += props;
	return LZMA_OK;
}
