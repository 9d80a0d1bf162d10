/*
 * lzma_preset.c -- the compression presets -0 ... -9 and their extreme
 * variants, as xz defines them (xz(1), "Custom compressor filter chains";
 * the values below are those `xz -vv -N` prints as its filter chain), and
 * the two "is supported" queries.
 *
 *   preset  dict     mode    nice  mf   depth        extreme (-Ne)
 *   -0      256 KiB  fast    128   hc3  4            normal, nice 273,
 *   -1      1 MiB    fast    128   hc4  8            bt4, depth 512
 *   -2      2 MiB    fast    273   hc4  24           (-3e, -5e: nice 192,
 *   -3      4 MiB    fast    273   hc4  48            depth 0)
 *   -4      4 MiB    normal  16    bt4  0 (auto)
 *   -5, -6  8 MiB    normal  32/64 bt4  0
 *   -7, -8, -9: 16, 32, 64 MiB, normal, nice 64, bt4, depth 0
 * Every preset: lc 3, lp 0, pb 2, no preset dictionary.
 */
#include "lzma/lzma_enc_internal.h"

typedef struct {
	uint8_t dict_log2;      /* dictionary = 2^dict_log2 bytes */
	uint8_t mode;           /* LZMA_MODE_FAST or LZMA_MODE_NORMAL */
	uint16_t nice_len;
	uint8_t mf;             /* lzma_match_finder */
	uint8_t depth;
} preset_row;

/* The ten levels, without the extreme flag. */
static const preset_row presets[10] = {
	{ 18, LZMA_MODE_FAST,   128, LZMA_MF_HC3, 4 },
	{ 20, LZMA_MODE_FAST,   128, LZMA_MF_HC4, 8 },
	{ 21, LZMA_MODE_FAST,   273, LZMA_MF_HC4, 24 },
	{ 22, LZMA_MODE_FAST,   273, LZMA_MF_HC4, 48 },
	{ 22, LZMA_MODE_NORMAL, 16,  LZMA_MF_BT4, 0 },
	{ 23, LZMA_MODE_NORMAL, 32,  LZMA_MF_BT4, 0 },
	{ 23, LZMA_MODE_NORMAL, 64,  LZMA_MF_BT4, 0 },
	{ 24, LZMA_MODE_NORMAL, 64,  LZMA_MF_BT4, 0 },
	{ 25, LZMA_MODE_NORMAL, 64,  LZMA_MF_BT4, 0 },
	{ 26, LZMA_MODE_NORMAL, 64,  LZMA_MF_BT4, 0 },
};

extern LZMA_API(lzma_bool) lzma_lzma_preset(lzma_options_lzma *options,
					    uint32_t preset)
{
	const uint32_t level = preset & LZMA_PRESET_LEVEL_MASK;
	const uint32_t flags = preset & ~LZMA_PRESET_LEVEL_MASK;
	if (options == NULL || level > 9 || (flags & ~LZMA_PRESET_EXTREME) != 0)
		return true;

	const preset_row *row = &presets[level];
	options->dict_size = UINT32_C(1) << row->dict_log2;
	options->preset_dict = NULL;
	options->preset_dict_size = 0;
	options->lc = LZMA_LC_DEFAULT;
	options->lp = LZMA_LP_DEFAULT;
	options->pb = LZMA_PB_DEFAULT;
	options->mode = (lzma_mode)row->mode;
	options->nice_len = row->nice_len;
	options->mf = (lzma_match_finder)row->mf;
	options->depth = row->depth;

	if (flags & LZMA_PRESET_EXTREME) {
		options->mode = LZMA_MODE_NORMAL;
		options->mf = LZMA_MF_BT4;
		if (level == 3 || level == 5) {
			options->nice_len = 192;
			options->depth = 0;
		} else {
			options->nice_len = 273;
			options->depth = 512;
		}
	}
	return false;
}

extern LZMA_API(lzma_bool) lzma_mf_is_supported(lzma_match_finder mf)
{
	return mf == LZMA_MF_HC3 || mf == LZMA_MF_HC4 || mf == LZMA_MF_BT2
	       || mf == LZMA_MF_BT3 || mf == LZMA_MF_BT4;
}

extern LZMA_API(lzma_bool) lzma_mode_is_supported(lzma_mode mode)
{
	return mode == LZMA_MODE_FAST || mode == LZMA_MODE_NORMAL;
}
