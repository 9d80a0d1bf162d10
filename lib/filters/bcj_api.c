/*
 * bcj_api.c -- the buffer-at-once BCJ functions of liblzma 5.7.1 and later
 * (lzma/bcj.h): lzma_bcj_{x86,arm64,riscv}_{encode,decode}(start_offset,
 * buf, size). Each converts buf in place as one whole piece of an
 * executable starting at start_offset, with a fresh filter state, and
 * returns how many bytes were processed (at most size); the unprocessed end
 * (x86: at most 4 bytes, ARM64: 3, RISC-V: 7) is left as it was.
 * start_offset is rounded down to the filter's alignment (4 for ARM64,
 * 2 for RISC-V; every value is valid for x86), as liblzma does.
 */
#include "filters/bcj_impl.h"

#if LZMA_VERSION < 50070010
/* The header in use predates these functions (liblzma < 5.7.1alpha):
 * declare them here with liblzma's signatures. */
extern LZMA_API(size_t) lzma_bcj_x86_encode(uint32_t start_offset, uint8_t *buf, size_t size);
extern LZMA_API(size_t) lzma_bcj_x86_decode(uint32_t start_offset, uint8_t *buf, size_t size);
extern LZMA_API(size_t) lzma_bcj_arm64_encode(uint32_t start_offset, uint8_t *buf, size_t size);
extern LZMA_API(size_t) lzma_bcj_arm64_decode(uint32_t start_offset, uint8_t *buf, size_t size);
extern LZMA_API(size_t) lzma_bcj_riscv_encode(uint32_t start_offset, uint8_t *buf, size_t size);
extern LZMA_API(size_t) lzma_bcj_riscv_decode(uint32_t start_offset, uint8_t *buf, size_t size);
#endif

static size_t once(xzc_bcj_fn convert, uint32_t start_offset, bool encode,
		   uint8_t *buf, size_t size)
{
	uint32_t state[XZC_BCJ_STATE_WORDS] = { 0 };
	if (size == 0)
		return 0;       /* buf may be NULL */
	return convert(state, start_offset, encode, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_x86_encode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_x86, start_offset, true, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_x86_decode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_x86, start_offset, false, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_arm64_encode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_arm64, start_offset & ~UINT32_C(3), true, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_arm64_decode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_arm64, start_offset & ~UINT32_C(3), false, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_riscv_encode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_riscv, start_offset & ~UINT32_C(1), true, buf, size);
}

extern LZMA_API(size_t) lzma_bcj_riscv_decode(uint32_t start_offset, uint8_t *buf, size_t size)
{
	return once(xzc_bcj_riscv, start_offset & ~UINT32_C(1), false, buf, size);
}
