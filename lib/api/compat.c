/*
 * compat.c -- the extra symbol versions old binaries require.
 *
 * Some binaries ask for a function under a version that is not its default
 * (see lib/api/liblzma.map):
 *   XZ_5.1.2alpha  lzma_stream_encoder_mt, lzma_stream_encoder_mt_memusage
 *                  (built against the 5.1.2alpha development release);
 *   XZ_5.2.2       those two plus lzma_block_uncomp_encode, lzma_cputhreads,
 *                  lzma_get_progress (built against RHEL/CentOS 7's patched
 *                  liblzma 5.2.2).
 * The dynamic linker only binds such a reference to a symbol carrying that
 * exact version, so the library must export e.g. both
 * "lzma_cputhreads@@XZ_5.2" (default, what new programs link against) and
 * "lzma_cputhreads@XZ_5.2.2".
 *
 * How: for each alias, a one-line forwarding function with default
 * visibility, and a .symver directive giving it the versioned public name.
 * The forwarder's own name (xzc_compat_*) is not listed in the map, so the
 * map's "local: *" hides it; only the versioned alias is exported. The
 * function keeps its plain name and default version in its own file, so
 * this file is the only place that knows about the compatibility versions.
 * Forwarding costs one jump for old binaries only.
 *
 * Why not .symver on the real definition: .symver must be in the same
 * assembly file as the definition, which would spread the ABI details over
 * the library. Why not __attribute__((symver)): clang does not support it;
 * a top-level __asm__ works with both gcc and clang (the library is not
 * built with LTO, which top-level .symver would need care with).
 *
 * An alias may only be added for a function that is defined in the
 * library: a forwarder to a missing function would leave an undefined
 * symbol in liblzma.so.5 and, with -z now, make it fail to load.
 * tests/test_symbols.sh reports aliases that are listed in
 * tests/symbols.txt but not yet exported.
 */
#include "common/common.h"

/* Give function `fn` the exported name `name@version` (single @: a
 * non-default version, never chosen when linking new programs). */
#define XZC_SYMVER(fn, name_at_version) \
	__asm__(".symver " #fn ", " name_at_version)

/* ---- XZ_5.1.2alpha ----------------------------------------------------- */

LZMA_API(lzma_ret) xzc_compat_stream_encoder_mt_512a(lzma_stream *strm,
		const lzma_mt *options);
LZMA_API(lzma_ret) xzc_compat_stream_encoder_mt_512a(lzma_stream *strm,
		const lzma_mt *options)
{
	return lzma_stream_encoder_mt(strm, options);
}
XZC_SYMVER(xzc_compat_stream_encoder_mt_512a,
	   "lzma_stream_encoder_mt@XZ_5.1.2alpha");

LZMA_API(uint64_t) xzc_compat_stream_encoder_mt_memusage_512a(
		const lzma_mt *options);
LZMA_API(uint64_t) xzc_compat_stream_encoder_mt_memusage_512a(
		const lzma_mt *options)
{
	return lzma_stream_encoder_mt_memusage(options);
}
XZC_SYMVER(xzc_compat_stream_encoder_mt_memusage_512a,
	   "lzma_stream_encoder_mt_memusage@XZ_5.1.2alpha");

/* ---- XZ_5.2.2 --------------------------------------------------------- */

LZMA_API(lzma_ret) xzc_compat_stream_encoder_mt_522(lzma_stream *strm,
		const lzma_mt *options);
LZMA_API(lzma_ret) xzc_compat_stream_encoder_mt_522(lzma_stream *strm,
		const lzma_mt *options)
{
	return lzma_stream_encoder_mt(strm, options);
}
XZC_SYMVER(xzc_compat_stream_encoder_mt_522,
	   "lzma_stream_encoder_mt@XZ_5.2.2");

LZMA_API(uint64_t) xzc_compat_stream_encoder_mt_memusage_522(
		const lzma_mt *options);
LZMA_API(uint64_t) xzc_compat_stream_encoder_mt_memusage_522(
		const lzma_mt *options)
{
	return lzma_stream_encoder_mt_memusage(options);
}
XZC_SYMVER(xzc_compat_stream_encoder_mt_memusage_522,
	   "lzma_stream_encoder_mt_memusage@XZ_5.2.2");

LZMA_API(uint32_t) xzc_compat_cputhreads_522(void);
LZMA_API(uint32_t) xzc_compat_cputhreads_522(void)
{
	return lzma_cputhreads();
}
XZC_SYMVER(xzc_compat_cputhreads_522, "lzma_cputhreads@XZ_5.2.2");

LZMA_API(void) xzc_compat_get_progress_522(lzma_stream *strm,
		uint64_t *progress_in, uint64_t *progress_out);
LZMA_API(void) xzc_compat_get_progress_522(lzma_stream *strm,
		uint64_t *progress_in, uint64_t *progress_out)
{
	lzma_get_progress(strm, progress_in, progress_out);
}
XZC_SYMVER(xzc_compat_get_progress_522, "lzma_get_progress@XZ_5.2.2");

LZMA_API(lzma_ret) xzc_compat_block_uncomp_encode_522(lzma_block *block,
		const uint8_t *in, size_t in_size, uint8_t *out,
		size_t *out_pos, size_t out_size);
LZMA_API(lzma_ret) xzc_compat_block_uncomp_encode_522(lzma_block *block,
		const uint8_t *in, size_t in_size, uint8_t *out,
		size_t *out_pos, size_t out_size)
{
	return lzma_block_uncomp_encode(block, in, in_size, out, out_pos, out_size);
}
XZC_SYMVER(xzc_compat_block_uncomp_encode_522,
	   "lzma_block_uncomp_encode@XZ_5.2.2");
