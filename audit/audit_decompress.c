/*
 * audit_decompress.c -- one compressed stream (or a run of concatenated
 * ones) into a new buffer, within limits.
 *
 *   gzip          zlib (RFC 1952), members one after another
 *   zstd          libzstd (RFC 8878), frames one after another
 *   .xz .lzma .lz clearxz's own decoder, through the public lzma.h API only
 *
 * Limits, all checked here so no caller can forget them:
 *   - the output stops at c->max_expand bytes, and at what is left of
 *     c->max_expand_file for the current top-level file (zip bombs);
 *   - liblzma decoders get c->decoder_memlimit; zstd gets a window limit of
 *     the same size; zlib's state is small and fixed;
 *   - every allocation goes through audit_budget.c.
 * Decoders never run nested: a stream is decoded completely, then its
 * output is scanned. So each decoder has one context, reused.
 * A corrupt stream ends the decode; what was decoded so far is returned
 * (and scanned), and d->complete says it was cut.
 */
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "lzma.h"
#include "audit.h"

typedef struct {
	uint8_t *buf;
	size_t size;   /* bytes written */
	size_t cap;    /* bytes allocated */
	size_t limit;  /* never grow beyond */
} outbuf;

/* Makes room for more output. false: at the limit or out of budget. */
static bool out_room(outbuf *o, size_t hint)
{
	if (o->size < o->cap)
		return true;
	if (o->cap >= o->limit)
		return false;
	size_t want = o->cap == 0 ? hint : o->cap * 2;
	if (want < 65536)
		want = 65536;
	if (want > o->limit)
		want = o->limit;
	uint8_t *p = audit_realloc(o->buf, want);
	if (p == NULL)
		return false;
	o->buf = p;
	o->cap = want;
	return true;
}

/* ---- allocator hooks: decoder state through the budget ---------------- */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size != 0 && items > SIZE_MAX / size)
		return Z_NULL;
	return audit_alloc((size_t)items * size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	audit_free(p);
}

static void *lz_alloc(void *opaque, size_t nmemb, size_t size)
{
	(void)opaque;
	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	return audit_alloc(nmemb * size);
}

static void lz_free(void *opaque, void *p)
{
	(void)opaque;
	audit_free(p);
}

static const lzma_allocator lz_allocator = { lz_alloc, lz_free, NULL };

/* ---- the three decoder families --------------------------------------- */

static bool run_gzip(const uint8_t *in, size_t size, bool single, outbuf *o, audit_decoded *d)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	z.zalloc = z_alloc;
	z.zfree = z_free;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)   /* 16: gzip wrapper only */
		return false;
	size_t used = 0;
	for (;;) {
		if (!out_room(o, size * 4)) {
			d->capped = o->cap >= o->limit;
			break;
		}
		/* zlib counts in uInt: feed at most 1 GiB per call. */
		size_t in_left = size - used;
		z.next_in = (Bytef *)(uintptr_t)(in + used);
		z.avail_in = (uInt)(in_left > (1u << 30) ? (1u << 30) : in_left);
		size_t out_left = o->cap - o->size;
		z.next_out = o->buf + o->size;
		z.avail_out = (uInt)(out_left > (1u << 30) ? (1u << 30) : out_left);
		uInt avail_in0 = z.avail_in, avail_out0 = z.avail_out;
		int ret = inflate(&z, Z_NO_FLUSH);
		used += avail_in0 - z.avail_in;
		o->size += avail_out0 - z.avail_out;
		if (ret == Z_STREAM_END) {
			d->complete = true;
			/* RFC 1952 2.2: a gzip file is a series of members. */
			if (single || size - used < 2 || in[used] != 0x1f || in[used + 1] != 0x8b)
				break;
			d->complete = false;
			if (inflateReset(&z) != Z_OK)
				break;
			continue;
		}
		if (ret != Z_OK)
			break;   /* corrupt, or truncated input (Z_BUF_ERROR) */
		if (avail_in0 == z.avail_in && avail_out0 == z.avail_out)
			break;   /* no progress: input ended inside the stream */
	}
	inflateEnd(&z);
	d->in_used = used;
	return o->size > 0 || d->complete;
}

static ZSTD_DCtx *zctx;   /* one context, reused (created at first use) */

static bool run_zstd(audit_ctx *c, const uint8_t *in, size_t size, bool single,
		outbuf *o, audit_decoded *d)
{
	if (zctx == NULL && (zctx = ZSTD_createDCtx()) == NULL)
		return false;
	ZSTD_DCtx_reset(zctx, ZSTD_reset_session_and_parameters);
	/* Window limit = decoder memory limit (the window is most of it). */
	int wlog = 10;
	while (wlog < 31 && ((uint64_t)1 << (wlog + 1)) <= c->decoder_memlimit)
		wlog++;
	ZSTD_DCtx_setParameter(zctx, ZSTD_d_windowLogMax, wlog);
	ZSTD_inBuffer ib = { in, size, 0 };
	for (;;) {
		if (!out_room(o, size * 4)) {
			d->capped = o->cap >= o->limit;
			break;
		}
		ZSTD_outBuffer ob = { o->buf, o->cap, o->size };
		size_t pos0 = ib.pos, out0 = ob.pos;
		size_t ret = ZSTD_decompressStream(zctx, &ob, &ib);
		o->size = ob.pos;
		if (ZSTD_isError(ret))
			break;
		if (ret == 0) {
			d->complete = true;   /* a frame ended */
			if (single || ib.pos == ib.size)
				break;
			d->complete = false;
		} else if (ib.pos == pos0 && ob.pos == out0) {
			break;   /* input ended inside a frame */
		}
	}
	d->in_used = ib.pos;
	return o->size > 0 || d->complete;
}

static bool run_lzma(audit_ctx *c, enum audit_codec codec, const uint8_t *in, size_t size,
		bool single, outbuf *o, audit_decoded *d)
{
	lzma_stream s = LZMA_STREAM_INIT;
	s.allocator = &lz_allocator;
	uint32_t flags = single ? 0 : LZMA_CONCATENATED;
	lzma_ret r;
	if (codec == CODEC_XZ)
		r = lzma_stream_decoder(&s, c->decoder_memlimit, flags);
	else if (codec == CODEC_LZIP)
		r = lzma_lzip_decoder(&s, c->decoder_memlimit, flags);
	else
		r = lzma_alone_decoder(&s, c->decoder_memlimit);
	if (r != LZMA_OK) {
		lzma_end(&s);
		return false;
	}
	s.next_in = in;
	s.avail_in = size;
	for (;;) {
		if (!out_room(o, size * 4)) {
			d->capped = o->cap >= o->limit;
			break;
		}
		s.next_out = o->buf + o->size;
		s.avail_out = o->cap - o->size;
		size_t out0 = s.avail_out, in0 = s.avail_in;
		r = lzma_code(&s, LZMA_FINISH);
		o->size += out0 - s.avail_out;
		if (r == LZMA_STREAM_END) {
			d->complete = true;
			break;
		}
		if (r != LZMA_OK)
			break;   /* corrupt, truncated, or over the memory limit */
		if (out0 == s.avail_out && in0 == s.avail_in)
			break;
	}
	d->in_used = (size_t)s.total_in;
	lzma_end(&s);
	return o->size > 0 || d->complete;
}

const char *audit_codec_name(enum audit_codec codec)
{
	switch (codec) {
	case CODEC_GZIP: return "gz";
	case CODEC_ZSTD: return "zst";
	case CODEC_XZ: return "xz";
	case CODEC_LZMA: return "lzma";
	case CODEC_LZIP: return "lz";
	}
	return "?";
}

bool audit_decompress(audit_ctx *c, enum audit_codec codec, const uint8_t *data,
		size_t size, bool single, audit_decoded *d)
{
	memset(d, 0, sizeof(*d));
	uint64_t left = c->max_expand_file > c->expanded_this_file
		? c->max_expand_file - c->expanded_this_file : 0;
	uint64_t limit = c->max_expand < left ? c->max_expand : left;
	if (limit > SIZE_MAX / 2)
		limit = SIZE_MAX / 2;
	if (limit == 0) {
		d->capped = true;
		return false;
	}
	outbuf o = { NULL, 0, 0, (size_t)limit };
	bool ok;
	if (codec == CODEC_GZIP)
		ok = run_gzip(data, size, single, &o, d);
	else if (codec == CODEC_ZSTD)
		ok = run_zstd(c, data, size, single, &o, d);
	else
		ok = run_lzma(c, codec, data, size, single, &o, d);
	c->expanded_this_file += o.size;
	if (!ok) {
		audit_free(o.buf);
		return false;
	}
	d->out = o.buf;
	d->out_size = o.size;
	return true;
}
