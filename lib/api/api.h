/*
 * api.h -- the glue between the public lzma_* entry points and the coders.
 *
 * lzma_stream.internal points to one struct lzma_internal_s, which holds the
 * outermost coder and the action sequence that lzma_code() enforces
 * (liblzma's documented contract: once LZMA_FINISH or a flush action has
 * started, the same action is repeated with avail_in unchanged until it
 * returns LZMA_STREAM_END).
 *
 * Layer rule: lib/api may include every layer below it.
 */
#ifndef CLEARXZ_API_H
#define CLEARXZ_API_H

#include "common/common.h"

/* Bit (1u << action) set for each lzma_action a coder accepts. */
#define XZC_ACT(a) (1u << (a))
#define XZC_ACTIONS_DECODER (XZC_ACT(LZMA_RUN) | XZC_ACT(LZMA_FINISH))

/*
 * Install a freshly initialized coder in strm. Every public init function
 * ends with it:
 *     xzc_coder c = XZC_CODER_INIT;
 *     lzma_ret ret = xzc_xxx_init(&c, strm->allocator, ...);
 *     return xzc_api_install(strm, &c, ret, XZC_ACTIONS_DECODER);
 * If init_ret is not LZMA_OK, c is ended, strm is ended (lzma_end), and
 * init_ret is returned. Otherwise the previous coder of strm (if any) is
 * ended, c is moved in, total_in/total_out are reset, and LZMA_OK returned.
 * strm == NULL gives LZMA_PROG_ERROR.
 */
lzma_ret xzc_api_install(lzma_stream *strm, xzc_coder *c, lzma_ret init_ret,
			 uint32_t actions);

/* The coder installed in strm, or NULL when strm holds none; for entry
 * points that reach a coder's optional functions (lzma_filters_update()). */
xzc_coder *xzc_api_coder(lzma_stream *strm);

#endif
