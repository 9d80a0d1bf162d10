/*
 * coder.c -- one file through liblzma: choose the coder, run the loop.
 *
 * The order of events per file is xz's, because it decides which message
 * a user sees: open the input; when decompressing, read the first bytes and
 * set up the decoder (so that "File format not recognized" comes before
 * any output file exists); then create the output; then run.
 */
#include "cli.h"
#include "clearxz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 64 KiB: large enough that system calls are a small part of the time. */
#define IN_BUF_SIZE (64 * 1024)
#define OUT_BUF_SIZE (64 * 1024)

static uint8_t in_buf[IN_BUF_SIZE];
static uint8_t out_buf[OUT_BUF_SIZE];

/* Compression settings decided once in xzc_coder_prepare(). */
static bool use_mt_encoder;
static lzma_mt mt_enc;
static uint32_t dec_threads;

/* The encoder of the current file is the threaded one (it may not be
 * although use_mt_encoder is set: see init_xz_encoder()). */
static bool enc_mt;

/* Per-file state of --block-size / --block-list splitting. */
static struct {
	bool active;           /* we end blocks ourselves */
	size_t list_pos;       /* the next --block-list entry to start */
	uint64_t list_left;    /* input bytes left in the current entry;
				* UINT64_MAX: the rest of the file */
	uint64_t block_size;   /* also end blocks this often (0: never) */
	uint64_t remaining;    /* input bytes left in this block */
	uint32_t chain;        /* filter chain (0..9) of the current block */
	uint32_t next_chain;   /* chain of the block next_block_size() gave */
} split;

/* .lz output is a clearxz extension of the static library (clearxz.h);
 * built against another liblzma (the system's, for development) the weak
 * reference is NULL and .lz compression is refused as xz refuses it. */
#pragma weak clearxz_lzip_encoder

enum init_result { INIT_ERROR, INIT_NORMAL, INIT_PASSTHRU };

/* The format of the file being decoded, once detected. */
static enum xzc_format cur_format;
/* How many bytes of the file in_buf held when the format was detected;
 * in_init: coder_init() is running, in_buf still holds those bytes. */
static size_t first_bytes;
static bool in_init;

const char *xzc_strerror_lzma(lzma_ret ret)
{
	switch (ret) {
	case LZMA_NO_CHECK:
		return "No integrity check; not verifying file integrity";
	case LZMA_UNSUPPORTED_CHECK:
		return "Unsupported type of integrity check; not verifying "
		       "file integrity";
	case LZMA_MEM_ERROR:
		return strerror(ENOMEM);
	case LZMA_MEMLIMIT_ERROR:
		return "Memory usage limit reached";
	case LZMA_FORMAT_ERROR:
		return "File format not recognized";
	case LZMA_OPTIONS_ERROR:
		return "Unsupported options";
	case LZMA_DATA_ERROR:
		return "Compressed data is corrupt";
	case LZMA_BUF_ERROR:
		return "Unexpected end of input";
	default:
		return "Internal error (bug)";
	}
}

/* ---- compression set-up (once) ---- */

/* Lowers the LZMA dictionary until the encoder fits the limit, as xz
 * does unless --no-adjust. Returns false if it cannot fit. */
static bool adjust_dict(uint64_t limit, uint64_t *usage)
{
	lzma_filter *last = &xzc_opt.filters[xzc_opt.filter_count - 1];
	if (last->id != LZMA_FILTER_LZMA1 && last->id != LZMA_FILTER_LZMA2)
		return false;
	lzma_options_lzma *o = last->options;
	const uint32_t orig = o->dict_size;
	while (*usage > limit) {
		if (o->dict_size <= (UINT32_C(1) << 20))
			return false;
		o->dict_size = (o->dict_size - 1) & ~((UINT32_C(1) << 20) - 1);
		if (o->dict_size < (UINT32_C(1) << 20))
			o->dict_size = UINT32_C(1) << 20;
		*usage = lzma_raw_encoder_memusage(xzc_opt.filters);
	}
	xzc_info(V_WARNING, "Adjusted LZMA%c dictionary size from %s MiB to "
		 "%s MiB to not exceed the memory usage limit of %s MiB",
		 last->id == LZMA_FILTER_LZMA1 ? '1' : '2',
		 xzc_fmt_uint(orig >> 20, 0), xzc_fmt_uint(o->dict_size >> 20, 1),
		 xzc_fmt_uint(xzc_round_up_mib(limit), 2));
	return true;
}

/* Exits after xz's two lines for a limit the settings cannot meet. */
static _Noreturn void memlimit_too_small(uint64_t usage, uint64_t limit)
{
	xzc_info(V_ERROR, "Memory usage limit is too low for the given "
		 "filter setup.");
	xzc_mem_needed(V_ERROR, usage, limit);
	xzc_exit(E_ERROR);
}

/* Threaded mode: fewer threads until the limit is met (xz 5.8's steps).
 * The default limit (a quarter of RAM) is soft: at one thread it is
 * exceeded rather than changing the output. An explicit limit that one
 * thread still exceeds switches to single-threaded mode (which needs
 * less, and may then lower the dictionary), or fails with --no-adjust.
 * Returns the memory needed; clears use_mt_encoder on the switch. */
static uint64_t fit_threads(void)
{
	const bool soft = !xzc_hw_memlimit_compress_set();
	const uint64_t limit = xzc_hw_memlimit_mt_compress();
	const uint32_t asked = mt_enc.threads;
	uint64_t usage = lzma_stream_encoder_mt_memusage(&mt_enc);
	if (usage == UINT64_MAX)
		xzc_fatal("Unsupported filter chain or filter options");
	while (usage > limit && mt_enc.threads > 1) {
		--mt_enc.threads;
		usage = lzma_stream_encoder_mt_memusage(&mt_enc);
	}
	if (usage <= limit) {
		/* Debug only since xz 5.6.1: the output is the same. */
		if (mt_enc.threads != asked)
			xzc_info(V_DEBUG, "Reduced the number of threads from "
				 "%s to %s to not exceed the memory usage "
				 "limit of %s MiB", xzc_fmt_uint(asked, 0),
				 xzc_fmt_uint(mt_enc.threads, 1),
				 xzc_fmt_uint(xzc_round_up_mib(limit), 2));
		return usage;
	}
	if (soft) {
		xzc_info(V_DEBUG, "Reduced the number of threads from %s to "
			 "one. The automatic memory usage limit of %s MiB is "
			 "still being exceeded. %s MiB of memory is required. "
			 "Continuing anyway.", xzc_fmt_uint(asked, 0),
			 xzc_fmt_uint(xzc_round_up_mib(limit), 1),
			 xzc_fmt_uint(xzc_round_up_mib(usage), 2));
		return usage;
	}
	if (xzc_opt.no_adjust)
		memlimit_too_small(usage, limit);
	xzc_info(V_WARNING, "Switching to single-threaded mode to not exceed "
		 "the memory usage limit of %s MiB",
		 xzc_fmt_uint(xzc_round_up_mib(limit), 0));
	use_mt_encoder = false;
	return usage;
}

/* The chain of a --block-list entry: --filtersN, or the main one for 0. */
static const lzma_filter *chain_of(uint32_t n)
{
	return n == 0 ? xzc_opt.filters : xzc_opt.extra_chains[n];
}

/* True if a --block-list entry names a chain other than the main one. */
static bool block_list_has_chains(void)
{
	for (size_t i = 0; i < xzc_opt.block_list_count; ++i)
		if (xzc_opt.block_list_filters[i] != 0)
			return true;
	return false;
}

/* The Block size of threaded mode when --block-size is not given: three
 * LZMA2 dictionaries, at least 1 MiB (xz(1), --block-size); with
 * --block-list chains, the largest that one of the chains asks for. */
static uint64_t default_block_size(void)
{
	uint64_t size = UINT64_C(1) << 20;
	for (size_t i = 0; i <= xzc_opt.block_list_count; ++i) {
		/* i == count stands for the main chain. */
		const lzma_filter *f = chain_of(i < xzc_opt.block_list_count
						? xzc_opt.block_list_filters[i] : 0);
		for (; f->id != LZMA_VLI_UNKNOWN; ++f) {
			const lzma_options_lzma *o = f->options;
			if (f->id == LZMA_FILTER_LZMA2 && o != NULL
					&& (uint64_t)o->dict_size * 3 > size)
				size = (uint64_t)o->dict_size * 3;
		}
	}
	return size;
}

/* The largest --block-list item; UINT64_MAX if one is "the rest". */
static uint64_t block_list_largest(void)
{
	uint64_t max = 0;
	for (size_t i = 0; i < xzc_opt.block_list_count; ++i) {
		const uint64_t size = xzc_opt.block_list[i];
		if (size == 0)
			return UINT64_MAX;
		if (size > max)
			max = size;
	}
	return max;
}

/* --flush-timeout needs LZMA_SYNC_FLUSH, which only LZMA2 and Delta can
 * do (a BCJ filter holds back bytes of an instruction that may continue):
 * xz refuses other chains. */
static void check_flush_timeout_chains(void)
{
	bool main_used = xzc_opt.block_list_count == 0;
	for (size_t i = 0; i < xzc_opt.block_list_count; ++i)
		main_used |= xzc_opt.block_list_filters[i] == 0;
	for (uint32_t n = 0; n < 10; ++n) {
		bool used = n == 0 ? main_used : false;
		for (size_t i = 0; n > 0 && i < xzc_opt.block_list_count; ++i)
			used |= xzc_opt.block_list_filters[i] == n;
		if (!used)
			continue;
		for (const lzma_filter *f = chain_of(n);
				f->id != LZMA_VLI_UNKNOWN; ++f)
			if (f->id != LZMA_FILTER_LZMA2
					&& f->id != LZMA_FILTER_DELTA)
				xzc_fatal("Filter chain %u is incompatible "
					  "with --flush-timeout", (unsigned)n);
	}
}

/* The --filtersN chains named by --block-list must fit the limit too;
 * only the main chain's dictionary is adjusted (as xz does). Returns the
 * largest single-threaded usage of them. */
static uint64_t check_block_list_chains(void)
{
	const uint64_t limit = xzc_hw_memlimit_compress();
	uint64_t max = 0;
	for (size_t i = 0; i < xzc_opt.block_list_count; ++i) {
		uint32_t n = xzc_opt.block_list_filters[i];
		if (n == 0)
			continue;
		uint64_t usage = lzma_raw_encoder_memusage(chain_of(n));
		if (usage == UINT64_MAX)
			xzc_fatal("Unsupported filter chain or filter options");
		if (usage > limit)
			memlimit_too_small(usage, limit);
		if (usage > max)
			max = usage;
	}
	return max;
}

static void prepare_compress(void)
{
	char chain[512];
	uint64_t usage;
	uint32_t threads = xzc_opt.threads ? xzc_opt.threads : xzc_hw_threads();

	use_mt_encoder = xzc_opt.format == FORMAT_XZ
		&& (threads > 1 || xzc_opt.threads_mt_forced);
	if (xzc_opt.flush_timeout != 0 && xzc_opt.format == FORMAT_XZ)
		check_flush_timeout_chains();
	if (use_mt_encoder && xzc_opt.flush_timeout != 0 && threads > 1) {
		/* Flushing needs every block finished: one thread does it. */
		xzc_info(V_WARNING, "Switching to single-threaded mode due "
			 "to --flush-timeout");
		use_mt_encoder = false;
	}
	xzc_filters_to_str(chain, sizeof(chain), xzc_opt.filters);
	xzc_info(V_DEBUG, "Filter chain: %s", chain);

	if (use_mt_encoder) {
		memset(&mt_enc, 0, sizeof(mt_enc));
		mt_enc.threads = threads;
		/* xz 5.8: without --block-size, Blocks large enough for
		 * every chain used, but no larger than the largest
		 * --block-list item (larger would only cost memory). */
		mt_enc.block_size = xzc_opt.block_size;
		if (mt_enc.block_size == 0 && xzc_opt.block_list_count > 0) {
			mt_enc.block_size = default_block_size();
			uint64_t largest = block_list_largest();
			if (largest < mt_enc.block_size)
				mt_enc.block_size = largest;
		}
		mt_enc.timeout = 0;
		mt_enc.filters = xzc_opt.filters;
		mt_enc.check = xzc_opt.check;
		xzc_info(V_DEBUG, "Using up to %u threads.", mt_enc.threads);
		usage = fit_threads();
	}
	if (!use_mt_encoder) {
		usage = lzma_raw_encoder_memusage(xzc_opt.filters);
		if (usage == UINT64_MAX)
			xzc_fatal("Unsupported filter chain or filter options");
		const uint64_t limit = xzc_hw_memlimit_compress();
		/* Raw streams are never adjusted: the reader must know
		 * the exact options (xz does the same). */
		if (usage > limit && (xzc_opt.no_adjust
				      || xzc_opt.format == FORMAT_RAW
				      || !adjust_dict(limit, &usage)))
			memlimit_too_small(usage, limit);
	}
	uint64_t extra = check_block_list_chains();
	if (!use_mt_encoder && extra > usage)
		usage = extra;
	xzc_mem_needed(V_DEBUG, usage, xzc_hw_memlimit_compress());
	uint64_t dec = lzma_raw_decoder_memusage(xzc_opt.filters);
	if (dec != UINT64_MAX)
		xzc_info(V_DEBUG, "Decompression will need %s MiB of memory.",
			 xzc_fmt_uint(xzc_round_up_mib(dec), 0));
}

/* --format=raw when decompressing: the chain is known before any file is
 * read, so a limit that is too low is one message up front, as in xz. */
static void prepare_raw_decode(void)
{
	const uint64_t usage = lzma_raw_decoder_memusage(xzc_opt.filters);
	const uint64_t limit = xzc_hw_memlimit_decompress();
	if (usage == UINT64_MAX)
		xzc_fatal("Unsupported filter chain or filter options");
	if (usage > limit)
		memlimit_too_small(usage, limit);
}

void xzc_coder_prepare(void)
{
	dec_threads = xzc_opt.threads ? xzc_opt.threads : xzc_hw_threads();
	if (xzc_opt.mode == MODE_COMPRESS)
		prepare_compress();
	else if (xzc_opt.format == FORMAT_RAW && xzc_opt.mode != MODE_LIST)
		prepare_raw_decode();
}

/* ---- format detection (decompression) ---- */

static bool is_xz(const uint8_t *b, size_t n)
{
	static const uint8_t magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };
	return n >= 6 && memcmp(b, magic, 6) == 0;
}

static bool is_lzip(const uint8_t *b, size_t n)
{
	return n >= 4 && memcmp(b, "LZIP", 4) == 0;
}

static uint64_t read_le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;
	while (n-- > 0)
		v = (v << 8) | b[n];
	return v;
}

/* .lzma has no magic bytes; like xz, accept only headers that a real
 * encoder writes: valid lc/lp/pb, a dictionary size of 2^n or 2^n+2^(n-1)
 * (or "unknown"), and an uncompressed size below 256 GiB or unknown. */
static bool is_lzma_alone(const uint8_t *b, size_t n)
{
	if (n < 13 || b[0] > (4 * 5 + 4) * 9 + 8)
		return false;
	uint32_t dict = (uint32_t)read_le(b + 1, 4);
	if (dict != UINT32_MAX) {
		uint32_t d = dict - 1;
		d |= d >> 2;
		d |= d >> 3;
		d |= d >> 4;
		d |= d >> 8;
		d |= d >> 16;
		++d;
		if (d != dict)
			return false;
	}
	uint64_t usize = read_le(b + 5, 8);
	return usize == UINT64_MAX || usize < ((uint64_t)1 << 38);
}

static lzma_ret init_decoder(lzma_stream *strm, enum xzc_format fmt)
{
	const uint64_t limit = xzc_hw_memlimit_decompress();
	uint32_t flags = LZMA_TELL_UNSUPPORTED_CHECK;
	if (!xzc_opt.single_stream)
		flags |= LZMA_CONCATENATED;
	if (xzc_opt.ignore_check)
		flags |= LZMA_IGNORE_CHECK;

	switch (fmt) {
	case FORMAT_XZ:
		if (dec_threads > 1) {
			lzma_mt mt;
			memset(&mt, 0, sizeof(mt));
			mt.flags = flags;
			mt.threads = dec_threads;
			mt.timeout = 300;
			mt.memlimit_threading = xzc_hw_memlimit_mt_decompress();
			mt.memlimit_stop = limit;
			return lzma_stream_decoder_mt(strm, &mt);
		}
		return lzma_stream_decoder(strm, limit, flags);
	case FORMAT_LZMA:
		return lzma_alone_decoder(strm, limit);
	case FORMAT_LZIP:
		return lzma_lzip_decoder(strm, limit, flags);
	default: {
		lzma_ret r = lzma_raw_decoder(strm, xzc_opt.filters);
		if (r == LZMA_OK && lzma_raw_decoder_memusage(xzc_opt.filters)
				> limit)
			r = LZMA_MEMLIMIT_ERROR;
		return r;
	}
	}
}

/* --block-list chains in threaded mode change the chain with
 * lzma_filters_update() after each LZMA_FULL_BARRIER, as xz 5.8 does. A
 * threaded encoder that cannot (it says LZMA_PROG_ERROR when asked before
 * any input) is replaced by the single-threaded one, which can: the same
 * data in Blocks of the same sizes, compressed on one thread. */
static lzma_ret init_xz_encoder(lzma_stream *strm)
{
	static bool told;
	enc_mt = false;
	if (use_mt_encoder) {
		lzma_ret ret = lzma_stream_encoder_mt(strm, &mt_enc);
		if (ret != LZMA_OK || !block_list_has_chains()
				|| (ret = lzma_filters_update(strm,
					xzc_opt.filters)) != LZMA_PROG_ERROR) {
			enc_mt = ret == LZMA_OK;
			return ret;
		}
		lzma_end(strm);
		if (!told)
			xzc_info(V_DEBUG, "Using one thread: the threaded "
				 "encoder cannot change the filter chain "
				 "between Blocks");
		told = true;
	}
	return lzma_stream_encoder(strm, xzc_opt.filters, xzc_opt.check);
}

static lzma_ret init_encoder(lzma_stream *strm)
{
	switch (xzc_opt.format) {
	case FORMAT_LZMA:
		return lzma_alone_encoder(strm, xzc_opt.filters[0].options);
	case FORMAT_RAW:
		return lzma_raw_encoder(strm, xzc_opt.filters);
	case FORMAT_LZIP:
		if (clearxz_lzip_encoder == NULL)
			return LZMA_OPTIONS_ERROR;
		return clearxz_lzip_encoder(strm, xzc_opt.filters[0].options);
	default:
		return init_xz_encoder(strm);
	}
}

/* Beyond xz: when the input is in no format we read, say what it looks
 * like if that is recognisable, and what to do (a .gz named .xz, or an
 * HTML error page saved by a failed download, are common). */
static const char *looks_like(const uint8_t *b, size_t n)
{
	static const struct { const char *magic; size_t len; const char *what; }
	kinds[] = {
		{ "\x1f\x8b", 2, "gzip data; decompress it with 'gzip -d'" },
		{ "BZh", 3, "bzip2 data; decompress it with 'bzip2 -d'" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd data; decompress it with "
		  "'zstd -d'" },
		{ "\x04\x22\x4d\x18", 4, "lz4 data; decompress it with "
		  "'lz4 -d'" },
		{ "PK\x03\x04", 4, "a zip archive; extract it with 'unzip'" },
		{ "7z\xbc\xaf\x27\x1c", 6, "a 7z archive; extract it with "
		  "'7z x'" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); ++i)
		if (n >= kinds[i].len && memcmp(b, kinds[i].magic,
						kinds[i].len) == 0)
			return kinds[i].what;
	size_t i = 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r'
			 || b[i] == '\n'))
		++i;
	if (n - i >= 5 && (strncasecmp((const char *)b + i, "<!doc", 5) == 0
			   || strncasecmp((const char *)b + i, "<html", 5) == 0))
		return "an HTML page (a failed download?), not compressed data";
	if (i < n && (b[i] == '{' || b[i] == '['))
		return "JSON or other text, not compressed data";
	size_t check = n < 512 ? n : 512;
	for (size_t k = 0; k < check; ++k)
		if (b[k] < 0x20 && b[k] != '\n' && b[k] != '\r'
				&& b[k] != '\t')
			return NULL;
	return check > 0 ? "plain text, not compressed data" : NULL;
}

static void report(const struct xzc_file *f, const lzma_stream *strm,
		   lzma_ret ret)
{
	xzc_error("%s: %s", xzc_printable(f->src_name),
		  xzc_strerror_lzma(ret));
	if (ret == LZMA_FORMAT_ERROR && xzc_opt.mode != MODE_COMPRESS
			&& in_init) {
		const char *what = looks_like(in_buf, first_bytes);
		if (what != NULL)
			xzc_info(V_ERROR, "%s: This looks like %s",
				 xzc_printable(f->src_name), what);
	}
	if (ret == LZMA_MEMLIMIT_ERROR) {
		uint64_t need = lzma_memusage(strm);
		if (xzc_opt.format == FORMAT_RAW || need == 0)
			need = lzma_raw_decoder_memusage(xzc_opt.filters);
		xzc_mem_needed(V_ERROR, need, xzc_hw_memlimit_decompress());
	}
}

static enum init_result coder_init(struct xzc_file *f, lzma_stream *strm)
{
	lzma_ret ret;
	if (xzc_opt.mode == MODE_COMPRESS) {
		ret = init_encoder(strm);
		if (xzc_opt.format == FORMAT_LZIP && clearxz_lzip_encoder == NULL) {
			xzc_error("Compression of lzip files (.lz) is not "
				  "supported");
			return INIT_ERROR;
		}
	} else {
		enum xzc_format fmt = xzc_opt.format;
		const size_t n = strm->avail_in;
		if (fmt == FORMAT_AUTO) {
			if (is_xz(in_buf, n))
				fmt = FORMAT_XZ;
			else if (is_lzip(in_buf, n))
				fmt = FORMAT_LZIP;
			else if (is_lzma_alone(in_buf, n))
				fmt = FORMAT_LZMA;
			else if (xzc_opt.force && xzc_opt.to_stdout
					&& xzc_opt.mode == MODE_DECOMPRESS)
				return INIT_PASSTHRU;
			else
				ret = LZMA_FORMAT_ERROR;
		}
		/* An explicit --format=lzma still needs a possible first
		 * byte (lc/lp/pb), or xz's "not recognized" would become a
		 * later, less clear, error. */
		if (fmt == FORMAT_LZMA && n > 0 && in_buf[0] > (4 * 5 + 4) * 9 + 8)
			ret = LZMA_FORMAT_ERROR;
		else if (fmt != FORMAT_AUTO)
			ret = init_decoder(strm, fmt);
		cur_format = fmt;
		/* Decode the headers now, with no room for output: a wrong
		 * format or unsupported options are then reported before an
		 * output file is created (xz does the same). */
		if (ret == LZMA_OK) {
			strm->next_out = NULL;
			strm->avail_out = 0;
			ret = lzma_code(strm, LZMA_RUN);
			if (ret == LZMA_UNSUPPORTED_CHECK) {
				xzc_warning("%s: %s", xzc_printable(f->src_name),
					    xzc_strerror_lzma(ret));
				ret = LZMA_OK;
			}
		}
	}
	if (ret != LZMA_OK) {
		in_init = true;
		report(f, strm, ret);
		in_init = false;
		return INIT_ERROR;
	}
	return INIT_NORMAL;
}

/* ---- block splitting (--block-size / --block-list) ---- */

/* The size of the next Block. A --block-list entry larger than the
 * Block size is split, its boundary kept: --block-size=10 with
 * --block-list=5,12 gives 5, 10, 2, 10, 2, ... (xz(1), --block-list).
 * The last entry repeats to the end of the file; 0 is "the rest". */
static uint64_t next_block_size(void)
{
	uint64_t size = UINT64_MAX;
	if (xzc_opt.block_list_count > 0) {
		if (split.list_left == 0) {
			size_t i = split.list_pos;
			if (i + 1 < xzc_opt.block_list_count)
				++split.list_pos;
			split.list_left = xzc_opt.block_list[i] != 0
				? xzc_opt.block_list[i] : UINT64_MAX;
			split.next_chain = xzc_opt.block_list_filters[i];
		}
		size = split.list_left;
	}
	if (split.block_size != 0 && split.block_size < size)
		size = split.block_size;
	if (xzc_opt.block_list_count > 0 && split.list_left != UINT64_MAX)
		split.list_left -= size;
	return size;
}

/* --block-list's "N:SIZE" items: the block is compressed with the chain
 * of --filtersN (0: the main chain). liblzma allows the change at the
 * start and right after a block ended (LZMA_FULL_FLUSH/FULL_BARRIER). */
static bool switch_chain(lzma_stream *strm)
{
	if (split.next_chain == split.chain)
		return true;
	lzma_ret ret = lzma_filters_update(strm, chain_of(split.next_chain));
	if (ret != LZMA_OK) {
		/* xz 5.8's wording; the file fails (output removed). */
		xzc_error("Error changing to filter chain %u: %s",
			  (unsigned)split.next_chain, xzc_strerror_lzma(ret));
		return false;
	}
	split.chain = split.next_chain;
	return true;
}

static bool split_start(lzma_stream *strm)
{
	/* The threaded encoder ends Blocks of its Block size itself (a
	 * LZMA_FULL_BARRIER starts the count anew); the single-threaded
	 * one is told, and in place of a threaded one (init_xz_encoder())
	 * with the threaded mode's Block size. */
	split.block_size = enc_mt ? 0 : xzc_opt.block_size;
	if (!enc_mt && use_mt_encoder)
		split.block_size = mt_enc.block_size != 0 ? mt_enc.block_size
			: default_block_size();
	split.active = xzc_opt.mode == MODE_COMPRESS
		&& xzc_opt.format == FORMAT_XZ
		&& (xzc_opt.block_list_count > 0 || split.block_size != 0);
	split.list_pos = 0;
	split.list_left = 0;
	split.chain = 0;
	split.next_chain = 0;
	if (!split.active)
		return true;
	split.remaining = next_block_size();
	return switch_chain(strm);
}

/* ---- the loop ---- */

static bool flush_out(struct xzc_file *f, lzma_stream *strm)
{
	size_t n = OUT_BUF_SIZE - strm->avail_out;
	strm->next_out = out_buf;
	strm->avail_out = OUT_BUF_SIZE;
	if (n == 0 || xzc_opt.mode == MODE_TEST)
		return true;
	return xzc_file_write(f, out_buf, n);
}

/* After the end of a stream: anything but the end of the file is an
 * error, except for .lz (the lzip manual lets trailing data be) and
 * --single-stream (the rest is left for whoever reads next). */
static bool check_trailing(struct xzc_file *f, lzma_stream *strm,
			   enum xzc_format fmt, lzma_ret *ret)
{
	if (xzc_opt.single_stream) {
		xzc_file_unread(f, strm->avail_in);
		return true;
	}
	if (fmt == FORMAT_LZIP || fmt == FORMAT_XZ)
		return true;
	if (strm->avail_in == 0 && !f->src_eof) {
		size_t n = xzc_file_read(f, in_buf, IN_BUF_SIZE);
		if (n == SIZE_MAX)
			return false;
		strm->next_in = in_buf;
		strm->avail_in = n;
	}
	if (strm->avail_in != 0 || !f->src_eof) {
		*ret = LZMA_DATA_ERROR;
		return false;
	}
	return true;
}

/* --flush-timeout: input that trickles in (a log through a pipe) is
 * flushed out when no more arrives for the timeout, so that a reader can
 * decode everything up to that point. */
static bool pending_flush;

static lzma_action feed_trickle(struct xzc_file *f, lzma_stream *strm,
				bool *io_error)
{
	if (pending_flush && !xzc_file_wait_input(f, xzc_opt.flush_timeout))
		return LZMA_SYNC_FLUSH;
	size_t n = xzc_file_read_some(f, in_buf, IN_BUF_SIZE);
	if (n == SIZE_MAX) {
		*io_error = true;
		return LZMA_RUN;
	}
	strm->next_in = in_buf;
	strm->avail_in = n;
	pending_flush = n > 0;
	return f->src_eof ? LZMA_FINISH : LZMA_RUN;
}

static lzma_action feed(struct xzc_file *f, lzma_stream *strm,
			lzma_action action, bool *io_error)
{
	if (xzc_opt.flush_timeout != 0 && xzc_opt.mode == MODE_COMPRESS
			&& !split.active && strm->avail_in == 0
			&& !f->src_eof && action == LZMA_RUN)
		return feed_trickle(f, strm, io_error);
	if (strm->avail_in == 0 && !f->src_eof && action == LZMA_RUN) {
		size_t want = IN_BUF_SIZE;
		if (split.active && split.remaining < want)
			want = (size_t)split.remaining;
		size_t n = xzc_file_read(f, in_buf, want);
		if (n == SIZE_MAX) {
			*io_error = true;
			return action;
		}
		strm->next_in = in_buf;
		strm->avail_in = n;
		if (split.active)
			split.remaining -= n;
	}
	if (f->src_eof && strm->avail_in == 0 && action == LZMA_RUN)
		return LZMA_FINISH;
	if (split.active && split.remaining == 0 && strm->avail_in == 0
			&& action == LZMA_RUN)
		return enc_mt ? LZMA_FULL_BARRIER : LZMA_FULL_FLUSH;
	return action;
}

static bool coder_normal(struct xzc_file *f, lzma_stream *strm,
			 enum xzc_format fmt)
{
	lzma_action action = LZMA_RUN;
	bool io_error = false;
	strm->next_out = out_buf;
	strm->avail_out = OUT_BUF_SIZE;

	while (!xzc_user_abort) {
		action = feed(f, strm, action, &io_error);
		if (io_error)
			return false;
		lzma_ret ret = lzma_code(strm, action);
		if ((strm->avail_out == 0 || ret != LZMA_OK)
				&& !flush_out(f, strm))
			return false;
		if (ret == LZMA_STREAM_END) {
			if (action == LZMA_SYNC_FLUSH) {
				pending_flush = false;
				action = LZMA_RUN;
				continue;
			}
			if (action == LZMA_FULL_FLUSH
					|| action == LZMA_FULL_BARRIER) {
				split.remaining = next_block_size();
				if (!switch_chain(strm))
					return false;
				action = LZMA_RUN;
				continue;
			}
			if (xzc_opt.mode == MODE_COMPRESS
					|| check_trailing(f, strm, fmt, &ret))
				return true;
		}
		if (ret == LZMA_UNSUPPORTED_CHECK || ret == LZMA_NO_CHECK) {
			xzc_warning("%s: %s", xzc_printable(f->src_name),
				    xzc_strerror_lzma(ret));
			continue;
		}
		if (ret != LZMA_OK && ret != LZMA_GET_CHECK) {
			if (ret != LZMA_STREAM_END)
				report(f, strm, ret);
			return false;
		}
		xzc_progress_update(strm, ret);
	}
	return false;
}

/* -dcf on data in no known format: copied unchanged, like cat (xz and
 * gzip do this so that "xzcat -f" works on any file). */
static bool coder_passthru(struct xzc_file *f, lzma_stream *strm)
{
	size_t n = strm->avail_in;
	while (!xzc_user_abort) {
		if (n > 0 && !xzc_file_write(f, in_buf, n))
			return false;
		strm->total_in += n;
		strm->total_out += n;
		if (f->src_eof)
			return true;
		n = xzc_file_read(f, in_buf, IN_BUF_SIZE);
		if (n == SIZE_MAX)
			return false;
	}
	return false;
}

void xzc_coder_run(const char *name)
{
	static unsigned file_no;
	struct xzc_file f;
	lzma_stream strm = LZMA_STREAM_INIT;
	bool success = false;

	++file_no;
	if (!xzc_file_open_src(&f, name))
		return;
	if (!xzc_sandbox_enter_file(&f)) {
		xzc_file_close(&f, false);
		return;
	}
	if (xzc_opt.mode != MODE_COMPRESS) {
		size_t n = xzc_file_read(&f, in_buf, IN_BUF_SIZE);
		if (n == SIZE_MAX) {
			xzc_file_close(&f, false);
			return;
		}
		strm.next_in = in_buf;
		strm.avail_in = n;
		first_bytes = n;
	}
	cur_format = xzc_opt.format;
	enum init_result init = coder_init(&f, &strm);
	if (init != INIT_ERROR && !xzc_user_abort) {
		bool open_ok = (xzc_opt.mode == MODE_TEST
				|| xzc_file_open_dest(&f))
			&& xzc_sandbox_enter_dest(&f);
		if (open_ok) {
			xzc_progress_start(f.src_name, S_ISREG(f.src_st.st_mode)
					   ? (uint64_t)f.src_st.st_size : 0,
					   file_no, 0);
			if (init == INIT_PASSTHRU)
				success = coder_passthru(&f, &strm);
			else if (split_start(&strm))
				success = coder_normal(&f, &strm, cur_format);
			xzc_progress_end(&strm, success);
		}
	}
	lzma_end(&strm);
	xzc_file_close(&f, success);
}
