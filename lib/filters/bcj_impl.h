/*
 * bcj_impl.h -- the BCJ conversion functions, one per architecture, shared
 * by the streaming coder (simple.c) and the buffer API (bcj_api.c).
 *
 * Every function has the xzc_bcj_fn contract of filters.h:
 *   - converts buf[0..size) in place, encoding (relative -> absolute
 *     addresses) or decoding (absolute -> relative);
 *   - returns how many leading bytes are final; the remaining bytes (fewer
 *     than the filter's XZC_BCJ_*_LOOKAHEAD) may start an instruction whose
 *     end is not in buf yet, so they must be passed again, with the bytes
 *     that follow, at now_pos + returned value;
 *   - now_pos is the 32-bit position of buf[0] in the filtered data plus
 *     the start offset (wrapping modulo 2^32 like the addresses do);
 *   - state points to XZC_BCJ_STATE_WORDS words, all zero before the first
 *     call (only x86 uses them; the others are stateless).
 *
 * The conversions are defined by XZ Utils' code (the files in src/liblzma/simple/),
 * not by xz-file-format.txt (5.3.2 only lists the filter IDs and the
 * alignments); these are independent implementations of the same
 * algorithms, checked byte for byte against liblzma in tests/test_filters.c.
 *
 * Layer rule: includes only lib/common and lib/filters.
 */
#ifndef CLEARXZ_BCJ_IMPL_H
#define CLEARXZ_BCJ_IMPL_H

#include "filters/filters.h"

/* liblzma 5.6+ (include/lzma.h has it; liblzma 5.4's header does not). */
#ifndef LZMA_FILTER_RISCV
#define LZMA_FILTER_RISCV LZMA_VLI_C(0x0B)
#endif

size_t xzc_bcj_x86(uint32_t *state, uint32_t now_pos, bool encode,
		   uint8_t *buf, size_t size);
size_t xzc_bcj_powerpc(uint32_t *state, uint32_t now_pos, bool encode,
		       uint8_t *buf, size_t size);
size_t xzc_bcj_ia64(uint32_t *state, uint32_t now_pos, bool encode,
		    uint8_t *buf, size_t size);
size_t xzc_bcj_arm(uint32_t *state, uint32_t now_pos, bool encode,
		   uint8_t *buf, size_t size);
size_t xzc_bcj_armthumb(uint32_t *state, uint32_t now_pos, bool encode,
			uint8_t *buf, size_t size);
size_t xzc_bcj_sparc(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size);
size_t xzc_bcj_arm64(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size);
size_t xzc_bcj_riscv(uint32_t *state, uint32_t now_pos, bool encode,
		     uint8_t *buf, size_t size);

/* Per filter: the most bytes a call can leave unconverted plus one (the
 * length of the longest instruction pattern), and the alignment that the
 * start offset must have (liblzma rejects other offsets with
 * LZMA_OPTIONS_ERROR). */
typedef struct {
	lzma_vli id;
	xzc_bcj_fn convert;
	uint32_t lookahead;
	uint32_t alignment;
} xzc_bcj_info;

/* NULL if id is not a BCJ filter. */
const xzc_bcj_info *xzc_bcj_find(lzma_vli id);

#endif
