/*
 * fuzz_common.h -- what every decoder harness in fuzz/ shares.
 *
 * A fuzz input is FZ_CTL control bytes followed by the compressed stream:
 *   ctl[0], ctl[1]  input chunk sizes, used in turn: 1 + (c & 63) bytes
 *   ctl[2], ctl[3]  output chunk sizes, used in turn: 1 + c bytes
 *   ctl[4], ctl[5]  the harness's own parameters (flags, dictionary, filter)
 * An input shorter than FZ_CTL is padded with zero control bytes.
 *
 * fz_check_decoder() decodes the stream twice through lzma_code(): once fed
 * in those small chunks, once with all input and one big output buffer. It
 * aborts (so libFuzzer reports a crash) when
 *   - the decoder writes past avail_out or reads past avail_in: every output
 *     chunk ends at a PROT_NONE guard page, and so does every input chunk
 *     (copied there before each call), as libdeflate's fuzzers do;
 *   - next_in/next_out/avail_in/avail_out/total_in/total_out disagree with
 *     what the decoder says it consumed and produced;
 *   - the decoder returns LZMA_OK 64 times in a row without progress (a
 *     hang);
 *   - the two runs disagree: one reaches LZMA_STREAM_END and the other
 *     does not, or they end at different input positions, or (where neither
 *     met an error) their output bytes differ.
 * Output beyond FZ_MAX_OUT (one-shot) or FZ_MAX_CHUNKED_OUT (chunked) is
 * not examined: small chunks cost one lzma_code() call per few bytes, and a
 * fuzzer that spends a second per input finds little.
 */
#ifndef CLEARXZ_FUZZ_COMMON_H
#define CLEARXZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "lzma.h"

#define FZ_CTL 6
#define FZ_MAX_OUT ((size_t)1 << 20)
#define FZ_MAX_CHUNKED_OUT ((size_t)64 << 10)
#define FZ_MEMLIMIT ((uint64_t)64 << 20)

/* Initializes strm as the decoder under test; param = ctl[4], ctl[5]. */
typedef lzma_ret (*fz_init_fn)(lzma_stream *strm, const uint8_t param[2]);

/* Run both decodes of data[0..size) (control bytes first); 0 or abort(). */
int fz_check_decoder(fz_init_fn init, const uint8_t *data, size_t size);

/* libFuzzer's entry point, defined by each harness; replay.c calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
