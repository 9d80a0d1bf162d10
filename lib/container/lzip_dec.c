/*
 * lzip_dec.c -- the .lz format (lzip manual, "File format"): a file is one
 * or more members, each
 *
 *   "LZIP" | VN (version) | DS (coded dictionary size) | LZMA stream
 *   | CRC32 (4) | Data size (8) | Member size (8, version 1 only)
 *
 * all little-endian. The LZMA stream uses lc=3, lp=0, pb=2 and always ends
 * with the end marker. Versions 0 (lzip <= 1.3, no Member size) and 1 are
 * decoded.
 *
 * Trailing data: the manual lets non-.lz data follow the last member. As
 * liblzma's lzma_lzip_decoder() documents, with LZMA_CONCATENATED we stop at
 * the first byte that does not start a member (after at least one member)
 * and return LZMA_STREAM_END with that byte not consumed; 1-3 bytes that
 * look like the start of "LZIP" have been consumed by then.
 */
#include "container/container.h"
#include "lzma/lzma_dec.h"

static const uint8_t magic[4] = { 'L', 'Z', 'I', 'P' };

enum {
	HEADER_SIZE = 6,        /* magic, VN, DS */
	TRAILER_V0 = 12,        /* CRC32, Data size */
	TRAILER_V1 = 20,        /* ... and Member size */
};

struct lzip_dec {
	enum {
		SEQ_MAGIC,
		SEQ_VERSION,
		SEQ_DICT_SIZE,
		SEQ_CODER_INIT,         /* retried after MEMLIMIT_ERROR */
		SEQ_LZMA,
		SEQ_TRAILER,
	} seq;
	uint32_t flags;
	bool first_member;
	uint8_t version;
	size_t pos;                     /* in magic[] or trailer[] */
	uint8_t trailer[TRAILER_V1];
	uint32_t crc32;                 /* of this member's output */
	uint64_t uncompressed_size;     /* of this member so far */
	uint64_t member_size;           /* bytes of this member so far */
	uint64_t memlimit;
	uint64_t memusage;
	lzma_options_lzma opt;
	xzc_coder lzma;
};

static lzma_ret read_magic(struct lzip_dec *s, const uint8_t *in,
			   size_t *in_pos, size_t in_size, lzma_action action)
{
	while (s->pos < sizeof(magic)) {
		if (*in_pos >= in_size)
			/* After a member, the end of the input may come
			 * anywhere in what might have been a new magic. */
			return !s->first_member && action == LZMA_FINISH
			       ? LZMA_STREAM_END : LZMA_OK;
		if (in[*in_pos] != magic[s->pos])
			/* Not .lz: an error for the first member, else the
			 * trailing data the manual allows (left unread). */
			return s->first_member ? LZMA_FORMAT_ERROR
					       : LZMA_STREAM_END;
		++*in_pos;
		++s->pos;
	}
	s->pos = 0;
	s->crc32 = 0;
	s->uncompressed_size = 0;
	s->member_size = HEADER_SIZE;   /* counted here for the whole header */
	s->seq = SEQ_VERSION;
	return LZMA_OK;
}

/* DS: bits 4-0 are log2 of the base size (12..29), bits 7-5 the number of
 * sixteenths of it to subtract; the result lies in [4 KiB, 512 MiB]. */
static lzma_ret read_dict_size(struct lzip_dec *s, uint8_t ds)
{
	const uint32_t log2 = ds & 0x1F, frac = ds >> 5;
	INPUT_CHECK(log2 >= 12 && log2 <= 29 && !(log2 == 12 && frac > 0));
	memset(&s->opt, 0, sizeof(s->opt));
	s->opt.dict_size = (UINT32_C(1) << log2) - (frac << (log2 - 4));
	s->opt.lc = 3;
	s->opt.lp = 0;
	s->opt.pb = 2;
	const uint64_t need = xzc_lzma_decoder_memusage(&s->opt);
	if (need == UINT64_MAX)
		return LZMA_PROG_ERROR;
	s->memusage = need + XZC_MEMUSAGE_BASE;
	s->seq = SEQ_CODER_INIT;
	return LZMA_OK;
}

static lzma_ret read_header(struct lzip_dec *s, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size)
{
	if (s->seq == SEQ_VERSION) {
		if (*in_pos >= in_size)
			return LZMA_OK;
		s->version = in[(*in_pos)++];
		/* Unextended versions 0 and 1 only. */
		if (s->version > 1)
			return LZMA_OPTIONS_ERROR;
		s->seq = SEQ_DICT_SIZE;
		/* .lz always uses CRC32; say so if asked. */
		if (s->flags & LZMA_TELL_ANY_CHECK)
			return LZMA_GET_CHECK;
	}
	if (s->seq == SEQ_DICT_SIZE) {
		if (*in_pos >= in_size)
			return LZMA_OK;
		const lzma_ret ret = read_dict_size(s, in[(*in_pos)++]);
		if (ret != LZMA_OK)
			return ret;
	}
	if (s->memusage > s->memlimit)
		return LZMA_MEMLIMIT_ERROR;
	xzc_coder_end(&s->lzma, a);
	/* Size unknown: the stream must end with the end marker. */
	const lzma_ret ret = xzc_lzma1_decoder_init(&s->lzma, a, &s->opt,
						    LZMA_VLI_UNKNOWN, true);
	if (ret != LZMA_OK)
		return ret;
	s->seq = SEQ_LZMA;
	return LZMA_OK;
}

static lzma_ret run_lzma(struct lzip_dec *s, const lzma_allocator *a,
			 const uint8_t *in, size_t *in_pos, size_t in_size,
			 uint8_t *out, size_t *out_pos, size_t out_size,
			 lzma_action action)
{
	const size_t in_start = *in_pos, out_start = *out_pos;
	const lzma_ret ret = s->lzma.code(s->lzma.state, a, in, in_pos,
					  in_size, out, out_pos, out_size,
					  action);
	const size_t out_used = *out_pos - out_start;
	s->member_size += *in_pos - in_start;
	s->uncompressed_size += out_used;
	if (!(s->flags & LZMA_IGNORE_CHECK) && out_used > 0)
		s->crc32 = lzma_crc32(out + out_start, out_used, s->crc32);
	if (ret != LZMA_STREAM_END)
		return ret;
	xzc_coder_end(&s->lzma, a);
	s->seq = SEQ_TRAILER;
	return LZMA_OK;
}

static lzma_ret read_trailer(struct lzip_dec *s, const uint8_t *in,
			     size_t *in_pos, size_t in_size)
{
	const size_t size = s->version == 0 ? TRAILER_V0 : TRAILER_V1;
	xzc_bufcpy(in, in_pos, in_size, s->trailer, &s->pos, size);
	if (s->pos < size)
		return LZMA_OK;
	s->pos = 0;
	s->member_size += size;
	if (!(s->flags & LZMA_IGNORE_CHECK))
		INPUT_CHECK(read32le(s->trailer) == s->crc32);
	INPUT_CHECK(read64le(s->trailer + 4) == s->uncompressed_size);
	if (s->version > 0)
		INPUT_CHECK(read64le(s->trailer + 12) == s->member_size);
	if (!(s->flags & LZMA_CONCATENATED))
		return LZMA_STREAM_END;
	s->first_member = false;
	s->seq = SEQ_MAGIC;
	return LZMA_OK;
}

static lzma_ret lzip_decode(void *state, const lzma_allocator *a,
			    const uint8_t *in, size_t *in_pos, size_t in_size,
			    uint8_t *out, size_t *out_pos, size_t out_size,
			    lzma_action action)
{
	struct lzip_dec *s = state;
	for (;;) {
		const int before = s->seq;
		lzma_ret ret = LZMA_PROG_ERROR;
		switch (s->seq) {
		case SEQ_MAGIC:
			ret = read_magic(s, in, in_pos, in_size, action);
			break;
		case SEQ_VERSION:
		case SEQ_DICT_SIZE:
		case SEQ_CODER_INIT:
			ret = read_header(s, a, in, in_pos, in_size);
			break;
		case SEQ_LZMA:
			ret = run_lzma(s, a, in, in_pos, in_size, out, out_pos,
				       out_size, action);
			break;
		case SEQ_TRAILER:
			ret = read_trailer(s, in, in_pos, in_size);
			break;
		}
		if (ret != LZMA_OK || (int)s->seq == before)
			return ret;
	}
}

static void lzip_end(void *state, const lzma_allocator *a)
{
	struct lzip_dec *s = state;
	xzc_coder_end(&s->lzma, a);
	xzc_free(a, s);
}

static lzma_check lzip_get_check(const void *state)
{
	(void)state;
	return LZMA_CHECK_CRC32;
}

static lzma_ret lzip_memconfig(void *state, uint64_t *memusage,
			       uint64_t *old_memlimit, uint64_t new_memlimit)
{
	struct lzip_dec *s = state;
	*memusage = s->memusage;
	*old_memlimit = s->memlimit;
	if (new_memlimit != 0) {
		if (new_memlimit < s->memusage)
			return LZMA_MEMLIMIT_ERROR;
		s->memlimit = new_memlimit;
	}
	return LZMA_OK;
}

lzma_ret xzc_lzip_decoder_init(xzc_coder *c, const lzma_allocator *a,
			       uint64_t memlimit, uint32_t flags)
{
	if (flags & ~(uint32_t)XZC_DECODER_FLAGS)
		return LZMA_OPTIONS_ERROR;
	struct lzip_dec *s = xzc_alloc_zero(a, sizeof(*s));
	if (s == NULL)
		return LZMA_MEM_ERROR;
	s->seq = SEQ_MAGIC;
	s->flags = flags;
	s->first_member = true;
	s->memlimit = MAX(memlimit, 1);
	s->memusage = XZC_MEMUSAGE_BASE;
	s->lzma = XZC_CODER_INIT;
	*c = (xzc_coder){ .state = s, .code = lzip_decode, .end = lzip_end,
			  .get_check = lzip_get_check,
			  .memconfig = lzip_memconfig };
	return LZMA_OK;
}
