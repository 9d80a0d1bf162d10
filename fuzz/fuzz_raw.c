/* fuzz_raw.c -- raw LZMA2 (or LZMA1) through lzma_raw_decoder, optionally
 * behind a delta or BCJ filter; see fuzz_common.h for the input layout and
 * the checks. */
#include "fuzz_common.h"

#include <string.h>

/* The filters that may sit before LZMA2, chosen by param[1] % N_PRE. */
static const lzma_vli pre[] = {
	LZMA_VLI_UNKNOWN, LZMA_FILTER_DELTA, LZMA_FILTER_X86, LZMA_FILTER_POWERPC,
	LZMA_FILTER_IA64, LZMA_FILTER_ARM, LZMA_FILTER_ARMTHUMB, LZMA_FILTER_ARM64,
	LZMA_FILTER_SPARC,
#ifdef LZMA_FILTER_RISCV
	LZMA_FILTER_RISCV,
#endif
};
#define N_PRE (sizeof(pre) / sizeof(pre[0]))

/* param[0]: bits 0-3 the dictionary, 4 KiB << (bits % 13) (4 KiB .. 16 MiB);
 * bit 7 LZMA1 instead of LZMA2 (lc 3, lp 0, pb 2; with bit 4, lc 4).
 * param[1]: the filter before it (% N_PRE); delta distance 1 + param[1] / N_PRE. */
static lzma_ret init(lzma_stream *strm, const uint8_t param[2])
{
	static lzma_options_lzma lz;
	static lzma_options_delta delta;
	static lzma_options_bcj bcj;
	lzma_filter filters[3];
	int n = 0;
	memset(&lz, 0, sizeof(lz));
	lz.dict_size = (uint32_t)4096 << ((param[0] & 15) % 13);
	lz.lc = 3 + (param[0] >> 7 ? (uint32_t)(param[0] >> 4 & 1) : 0);
	lz.lp = 0;
	lz.pb = 2;
	lzma_vli first = pre[param[1] % N_PRE];
	if (first == LZMA_FILTER_DELTA) {
		memset(&delta, 0, sizeof(delta));
		delta.type = LZMA_DELTA_TYPE_BYTE;
		delta.dist = 1 + param[1] / (uint32_t)N_PRE;
		filters[n++] = (lzma_filter){ .id = first, .options = &delta };
	} else if (first != LZMA_VLI_UNKNOWN) {
		memset(&bcj, 0, sizeof(bcj));
		filters[n++] = (lzma_filter){ .id = first, .options = &bcj };
	}
	filters[n].id = param[0] >> 7 ? LZMA_FILTER_LZMA1 : LZMA_FILTER_LZMA2;
	filters[n++].options = &lz;
	filters[n].id = LZMA_VLI_UNKNOWN;
	filters[n].options = NULL;
	return lzma_raw_decoder(strm, filters);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_check_decoder(init, data, size);
}
