/* placeholder while the optimal parser is written */
#include "lzma/lzma_enc_internal.h"

void xzc_lzma_parse_opt(lzma_enc *e, uint32_t *back, uint32_t *len,
			uint32_t position)
{
	(void)position;
	xzc_lzma_parse_fast(e, back, len);
}
