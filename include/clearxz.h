/*
 * clearxz.h -- clearxz extensions: functions that are not part of liblzma's
 * API.
 *
 * They are not exported from liblzma.so.5 (no LZMA_API, so the library's
 * hidden default visibility keeps them out of the dynamic symbol table and
 * its symbol list stays exactly liblzma's); they exist only in the static
 * library libclearxz.a, for the clearxz command-line tool and for programs
 * that link libclearxz.a on purpose.
 */
#ifndef CLEARXZ_H
#define CLEARXZ_H

#include "lzma.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialize strm as an encoder of the .lz format (lzip manual, "File
 * format"): one version-1 member ("LZIP", version 1, the coded dictionary
 * size, LZMA1 data with the end marker, CRC32, data size, member size),
 * which `lzip -d` and lzma_lzip_decoder() read.
 * opt: the LZMA1 options; lc, lp and pb must be 3, 0 and 2 (the format
 * fixes them, as lzma_lzma_preset() sets them); dict_size from 4 KiB to
 * 512 MiB, rounded up to the next size the header can express (lzip's
 * rule: 2^n - k * 2^n / 16, k = 0..7), and the encoder uses that size.
 * Actions: LZMA_RUN, LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR for options outside
 * those limits or otherwise invalid; LZMA_PROG_ERROR for NULL arguments. */
lzma_ret clearxz_lzip_encoder(lzma_stream *strm, const lzma_options_lzma *opt);

#ifdef __cplusplus
}
#endif

#endif
