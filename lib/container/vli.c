/*
 * vli.c -- the variable-length integers of the .xz format
 * (xz-file-format.txt 1.2): 7 bits per byte, least significant first, the
 * high bit set on every byte but the last; at most 9 bytes, 63 bits.
 *
 * Both directions work in two modes, as liblzma's API defines them:
 *   single-call (vli_pos == NULL): the whole integer must be in the buffer;
 *     success is LZMA_OK;
 *   multi-call (vli_pos != NULL): *vli_pos counts the bytes done so far and
 *     the call may stop at the end of the buffer with LZMA_OK; the integer
 *     is complete when LZMA_STREAM_END is returned.
 */
#include "container/container.h"

LZMA_API(lzma_ret) lzma_vli_encode(lzma_vli vli, size_t *vli_pos,
				   uint8_t *out, size_t *out_pos,
				   size_t out_size)
{
	size_t single_pos = 0;
	const bool single = vli_pos == NULL;
	if (single)
		vli_pos = &single_pos;

	/* In single-call mode the caller promised room for the integer, so
	 * running out is a programming error; in multi-call mode it is the
	 * ordinary "no progress possible". */
	if (*out_pos >= out_size)
		return single ? LZMA_PROG_ERROR : LZMA_BUF_ERROR;
	if (*vli_pos >= LZMA_VLI_BYTES_MAX || vli > LZMA_VLI_MAX)
		return LZMA_PROG_ERROR;

	/* Drop the bits already written by earlier calls. */
	vli >>= *vli_pos * 7;
	while (vli >= 0x80) {
		out[(*out_pos)++] = (uint8_t)vli | 0x80;
		++*vli_pos;
		vli >>= 7;
		if (*out_pos == out_size)
			return single ? LZMA_PROG_ERROR : LZMA_OK;
	}
	out[(*out_pos)++] = (uint8_t)vli;
	++*vli_pos;
	return single ? LZMA_OK : LZMA_STREAM_END;
}

LZMA_API(lzma_ret) lzma_vli_decode(lzma_vli *vli, size_t *vli_pos,
				   const uint8_t *in, size_t *in_pos,
				   size_t in_size)
{
	size_t single_pos = 0;
	const bool single = vli_pos == NULL;
	if (single) {
		vli_pos = &single_pos;
		*vli = 0;
		/* A buffer of known size that ends before the integer: the
		 * data is corrupt (the caller's buffer is all there is). */
		if (*in_pos >= in_size)
			return LZMA_DATA_ERROR;
	} else {
		if (*vli_pos == 0)
			*vli = 0;
		/* *vli must hold exactly the bits of *vli_pos bytes. */
		if (*vli_pos >= LZMA_VLI_BYTES_MAX
		    || (*vli >> (*vli_pos * 7)) != 0)
			return LZMA_PROG_ERROR;
		if (*in_pos >= in_size)
			return LZMA_BUF_ERROR;
	}

	do {
		const uint8_t byte = in[(*in_pos)++];
		*vli |= (lzma_vli)(byte & 0x7F) << (*vli_pos * 7);
		++*vli_pos;
		if ((byte & 0x80) == 0) {
			/* 1.2: a trailing 0x00 byte would make a longer
			 * encoding of the same value; only the minimal
			 * encoding is valid. */
			if (byte == 0x00 && *vli_pos > 1)
				return LZMA_DATA_ERROR;
			return single ? LZMA_OK : LZMA_STREAM_END;
		}
		/* A tenth byte would exceed 63 bits (1.2). */
		if (*vli_pos == LZMA_VLI_BYTES_MAX)
			return LZMA_DATA_ERROR;
	} while (*in_pos < in_size);

	return single ? LZMA_DATA_ERROR : LZMA_OK;
}

LZMA_API(uint32_t) lzma_vli_size(lzma_vli vli)
{
	if (vli > LZMA_VLI_MAX)
		return 0;
	uint32_t n = 1;
	while (vli >= 0x80) {
		vli >>= 7;
		++n;
	}
	return n;
}
