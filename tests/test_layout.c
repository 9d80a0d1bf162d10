/*
 * test_layout.c -- the ABI of include/lzma.h: every public struct's size,
 * alignment, and the offset and size of each field, and the value of every
 * public constant and enum member.
 *
 * The numbers are liblzma's on x86-64 (LP64). They were measured once by a
 * probe program compiled against the system's liblzma 5.4.1 header
 * (/usr/include/lzma.h: sizeof, _Alignof and offsetof of each field) and are
 * written here as literal expectations. liblzma 5.8 has the same layouts:
 * 5.5-5.8 added functions and LZMA_FILTER_RISCV but no struct field (the
 * fields added since 5.0 -- seek_pos, ext_flags, ext_size_low/high,
 * memlimit_threading/stop, ignore_check -- took reserved slots of the same
 * size). A program compiled against liblzma only works with our library if
 * every number below matches, so any change here is an ABI break.
 *
 * Constants that differ from 5.4.1 on purpose: LZMA_VERSION (5.8.1 stable)
 * and LZMA_FILTER_RISCV (new in 5.6).
 */
#include <stddef.h>
#include <string.h>

#include "testutil.h"

/* One expectation per struct and per field: offset and size in bytes. */
#define SIZE(type, size, align) \
	do { \
		CHECK_EQ(sizeof(type), size); \
		CHECK_EQ(_Alignof(type), align); \
	} while (0)

#define FIELD(type, field, off, size) \
	do { \
		CHECK_EQ(offsetof(type, field), off); \
		CHECK_EQ(sizeof(((type *)0)->field), size); \
	} while (0)

static void layout_allocator(void)
{
	t_begin("layout lzma_allocator: 24 bytes");
	SIZE(lzma_allocator, 24, 8);
	FIELD(lzma_allocator, alloc, 0, 8);
	FIELD(lzma_allocator, free, 8, 8);
	FIELD(lzma_allocator, opaque, 16, 8);
}

static void layout_stream(void)
{
	t_begin("layout lzma_stream: 136 bytes");
	SIZE(lzma_stream, 136, 8);
	FIELD(lzma_stream, next_in, 0, 8);
	FIELD(lzma_stream, avail_in, 8, 8);
	FIELD(lzma_stream, total_in, 16, 8);
	FIELD(lzma_stream, next_out, 24, 8);
	FIELD(lzma_stream, avail_out, 32, 8);
	FIELD(lzma_stream, total_out, 40, 8);
	FIELD(lzma_stream, allocator, 48, 8);
	FIELD(lzma_stream, internal, 56, 8);
	FIELD(lzma_stream, reserved_ptr1, 64, 8);
	FIELD(lzma_stream, reserved_ptr2, 72, 8);
	FIELD(lzma_stream, reserved_ptr3, 80, 8);
	FIELD(lzma_stream, reserved_ptr4, 88, 8);
	FIELD(lzma_stream, seek_pos, 96, 8);
	FIELD(lzma_stream, reserved_int2, 104, 8);
	FIELD(lzma_stream, reserved_int3, 112, 8);
	FIELD(lzma_stream, reserved_int4, 120, 8);
	FIELD(lzma_stream, reserved_enum1, 128, 4);
	FIELD(lzma_stream, reserved_enum2, 132, 4);
}

static void layout_filter(void)
{
	t_begin("layout lzma_filter: 16 bytes");
	SIZE(lzma_filter, 16, 8);
	FIELD(lzma_filter, id, 0, 8);
	FIELD(lzma_filter, options, 8, 8);
}

static void layout_options_bcj(void)
{
	t_begin("layout lzma_options_bcj: 4 bytes");
	SIZE(lzma_options_bcj, 4, 4);
	FIELD(lzma_options_bcj, start_offset, 0, 4);
}

static void layout_options_delta(void)
{
	t_begin("layout lzma_options_delta: 40 bytes");
	SIZE(lzma_options_delta, 40, 8);
	FIELD(lzma_options_delta, type, 0, 4);
	FIELD(lzma_options_delta, dist, 4, 4);
	FIELD(lzma_options_delta, reserved_int1, 8, 4);
	FIELD(lzma_options_delta, reserved_int2, 12, 4);
	FIELD(lzma_options_delta, reserved_int3, 16, 4);
	FIELD(lzma_options_delta, reserved_int4, 20, 4);
	FIELD(lzma_options_delta, reserved_ptr1, 24, 8);
	FIELD(lzma_options_delta, reserved_ptr2, 32, 8);
}

static void layout_options_lzma(void)
{
	t_begin("layout lzma_options_lzma: 112 bytes");
	SIZE(lzma_options_lzma, 112, 8);
	FIELD(lzma_options_lzma, dict_size, 0, 4);
	FIELD(lzma_options_lzma, preset_dict, 8, 8);
	FIELD(lzma_options_lzma, preset_dict_size, 16, 4);
	FIELD(lzma_options_lzma, lc, 20, 4);
	FIELD(lzma_options_lzma, lp, 24, 4);
	FIELD(lzma_options_lzma, pb, 28, 4);
	FIELD(lzma_options_lzma, mode, 32, 4);
	FIELD(lzma_options_lzma, nice_len, 36, 4);
	FIELD(lzma_options_lzma, mf, 40, 4);
	FIELD(lzma_options_lzma, depth, 44, 4);
	FIELD(lzma_options_lzma, ext_flags, 48, 4);
	FIELD(lzma_options_lzma, ext_size_low, 52, 4);
	FIELD(lzma_options_lzma, ext_size_high, 56, 4);
	FIELD(lzma_options_lzma, reserved_int4, 60, 4);
	FIELD(lzma_options_lzma, reserved_int5, 64, 4);
	FIELD(lzma_options_lzma, reserved_int6, 68, 4);
	FIELD(lzma_options_lzma, reserved_int7, 72, 4);
	FIELD(lzma_options_lzma, reserved_int8, 76, 4);
	FIELD(lzma_options_lzma, reserved_enum1, 80, 4);
	FIELD(lzma_options_lzma, reserved_enum2, 84, 4);
	FIELD(lzma_options_lzma, reserved_enum3, 88, 4);
	FIELD(lzma_options_lzma, reserved_enum4, 92, 4);
	FIELD(lzma_options_lzma, reserved_ptr1, 96, 8);
	FIELD(lzma_options_lzma, reserved_ptr2, 104, 8);
}

static void layout_mt(void)
{
	t_begin("layout lzma_mt: 128 bytes");
	SIZE(lzma_mt, 128, 8);
	FIELD(lzma_mt, flags, 0, 4);
	FIELD(lzma_mt, threads, 4, 4);
	FIELD(lzma_mt, block_size, 8, 8);
	FIELD(lzma_mt, timeout, 16, 4);
	FIELD(lzma_mt, preset, 20, 4);
	FIELD(lzma_mt, filters, 24, 8);
	FIELD(lzma_mt, check, 32, 4);
	FIELD(lzma_mt, reserved_enum1, 36, 4);
	FIELD(lzma_mt, reserved_enum2, 40, 4);
	FIELD(lzma_mt, reserved_enum3, 44, 4);
	FIELD(lzma_mt, reserved_int1, 48, 4);
	FIELD(lzma_mt, reserved_int2, 52, 4);
	FIELD(lzma_mt, reserved_int3, 56, 4);
	FIELD(lzma_mt, reserved_int4, 60, 4);
	FIELD(lzma_mt, memlimit_threading, 64, 8);
	FIELD(lzma_mt, memlimit_stop, 72, 8);
	FIELD(lzma_mt, reserved_int7, 80, 8);
	FIELD(lzma_mt, reserved_int8, 88, 8);
	FIELD(lzma_mt, reserved_ptr1, 96, 8);
	FIELD(lzma_mt, reserved_ptr2, 104, 8);
	FIELD(lzma_mt, reserved_ptr3, 112, 8);
	FIELD(lzma_mt, reserved_ptr4, 120, 8);
}

static void layout_block(void)
{
	t_begin("layout lzma_block: 208 bytes");
	SIZE(lzma_block, 208, 8);
	FIELD(lzma_block, version, 0, 4);
	FIELD(lzma_block, header_size, 4, 4);
	FIELD(lzma_block, check, 8, 4);
	FIELD(lzma_block, compressed_size, 16, 8);
	FIELD(lzma_block, uncompressed_size, 24, 8);
	FIELD(lzma_block, filters, 32, 8);
	FIELD(lzma_block, raw_check, 40, 64);
	FIELD(lzma_block, reserved_ptr1, 104, 8);
	FIELD(lzma_block, reserved_ptr2, 112, 8);
	FIELD(lzma_block, reserved_ptr3, 120, 8);
	FIELD(lzma_block, reserved_int1, 128, 4);
	FIELD(lzma_block, reserved_int2, 132, 4);
	FIELD(lzma_block, reserved_int3, 136, 8);
	FIELD(lzma_block, reserved_int4, 144, 8);
	FIELD(lzma_block, reserved_int5, 152, 8);
	FIELD(lzma_block, reserved_int6, 160, 8);
	FIELD(lzma_block, reserved_int7, 168, 8);
	FIELD(lzma_block, reserved_int8, 176, 8);
	FIELD(lzma_block, reserved_enum1, 184, 4);
	FIELD(lzma_block, reserved_enum2, 188, 4);
	FIELD(lzma_block, reserved_enum3, 192, 4);
	FIELD(lzma_block, reserved_enum4, 196, 4);
	FIELD(lzma_block, ignore_check, 200, 1);
	FIELD(lzma_block, reserved_bool2, 201, 1);
	FIELD(lzma_block, reserved_bool3, 202, 1);
	FIELD(lzma_block, reserved_bool4, 203, 1);
	FIELD(lzma_block, reserved_bool5, 204, 1);
	FIELD(lzma_block, reserved_bool6, 205, 1);
	FIELD(lzma_block, reserved_bool7, 206, 1);
	FIELD(lzma_block, reserved_bool8, 207, 1);
}

static void layout_stream_flags(void)
{
	t_begin("layout lzma_stream_flags: 56 bytes");
	SIZE(lzma_stream_flags, 56, 8);
	FIELD(lzma_stream_flags, version, 0, 4);
	FIELD(lzma_stream_flags, backward_size, 8, 8);
	FIELD(lzma_stream_flags, check, 16, 4);
	FIELD(lzma_stream_flags, reserved_enum1, 20, 4);
	FIELD(lzma_stream_flags, reserved_enum2, 24, 4);
	FIELD(lzma_stream_flags, reserved_enum3, 28, 4);
	FIELD(lzma_stream_flags, reserved_enum4, 32, 4);
	FIELD(lzma_stream_flags, reserved_bool1, 36, 1);
	FIELD(lzma_stream_flags, reserved_bool2, 37, 1);
	FIELD(lzma_stream_flags, reserved_bool3, 38, 1);
	FIELD(lzma_stream_flags, reserved_bool4, 39, 1);
	FIELD(lzma_stream_flags, reserved_bool5, 40, 1);
	FIELD(lzma_stream_flags, reserved_bool6, 41, 1);
	FIELD(lzma_stream_flags, reserved_bool7, 42, 1);
	FIELD(lzma_stream_flags, reserved_bool8, 43, 1);
	FIELD(lzma_stream_flags, reserved_int1, 44, 4);
	FIELD(lzma_stream_flags, reserved_int2, 48, 4);
}

static void layout_index_iter(void)
{
	t_begin("layout lzma_index_iter: 304 bytes");
	SIZE(lzma_index_iter, 304, 8);
	FIELD(lzma_index_iter, stream, 0, 120);
	FIELD(lzma_index_iter, stream.flags, 0, 8);
	FIELD(lzma_index_iter, stream.reserved_ptr1, 8, 8);
	FIELD(lzma_index_iter, stream.reserved_ptr2, 16, 8);
	FIELD(lzma_index_iter, stream.reserved_ptr3, 24, 8);
	FIELD(lzma_index_iter, stream.number, 32, 8);
	FIELD(lzma_index_iter, stream.block_count, 40, 8);
	FIELD(lzma_index_iter, stream.compressed_offset, 48, 8);
	FIELD(lzma_index_iter, stream.uncompressed_offset, 56, 8);
	FIELD(lzma_index_iter, stream.compressed_size, 64, 8);
	FIELD(lzma_index_iter, stream.uncompressed_size, 72, 8);
	FIELD(lzma_index_iter, stream.padding, 80, 8);
	FIELD(lzma_index_iter, stream.reserved_vli1, 88, 8);
	FIELD(lzma_index_iter, stream.reserved_vli2, 96, 8);
	FIELD(lzma_index_iter, stream.reserved_vli3, 104, 8);
	FIELD(lzma_index_iter, stream.reserved_vli4, 112, 8);
	FIELD(lzma_index_iter, block, 120, 136);
	FIELD(lzma_index_iter, block.number_in_file, 120, 8);
	FIELD(lzma_index_iter, block.compressed_file_offset, 128, 8);
	FIELD(lzma_index_iter, block.uncompressed_file_offset, 136, 8);
	FIELD(lzma_index_iter, block.number_in_stream, 144, 8);
	FIELD(lzma_index_iter, block.compressed_stream_offset, 152, 8);
	FIELD(lzma_index_iter, block.uncompressed_stream_offset, 160, 8);
	FIELD(lzma_index_iter, block.uncompressed_size, 168, 8);
	FIELD(lzma_index_iter, block.unpadded_size, 176, 8);
	FIELD(lzma_index_iter, block.total_size, 184, 8);
	FIELD(lzma_index_iter, block.reserved_vli1, 192, 8);
	FIELD(lzma_index_iter, block.reserved_vli2, 200, 8);
	FIELD(lzma_index_iter, block.reserved_vli3, 208, 8);
	FIELD(lzma_index_iter, block.reserved_vli4, 216, 8);
	FIELD(lzma_index_iter, block.reserved_ptr1, 224, 8);
	FIELD(lzma_index_iter, block.reserved_ptr2, 232, 8);
	FIELD(lzma_index_iter, block.reserved_ptr3, 240, 8);
	FIELD(lzma_index_iter, block.reserved_ptr4, 248, 8);
	FIELD(lzma_index_iter, internal, 256, 48);
}
/* Fixed-size scalar types of the API. */
static void layout_scalars(void)
{
	t_begin("layout scalar types");
	CHECK_EQ(sizeof(lzma_bool), 1);
	CHECK_EQ(sizeof(lzma_vli), 8);
	CHECK_EQ(sizeof(lzma_ret), 4);
	CHECK_EQ(sizeof(lzma_action), 4);
	CHECK_EQ(sizeof(lzma_check), 4);
	CHECK_EQ(sizeof(lzma_mode), 4);
	CHECK_EQ(sizeof(lzma_match_finder), 4);
	CHECK_EQ(sizeof(lzma_delta_type), 4);
	CHECK_EQ(sizeof(lzma_index_iter_mode), 4);
	CHECK_EQ(sizeof(lzma_reserved_enum), 4);
}

static void constants_enums(void)
{
	t_begin("constants: enum values");
	CHECK_EQ(LZMA_OK, 0);
	CHECK_EQ(LZMA_STREAM_END, 1);
	CHECK_EQ(LZMA_NO_CHECK, 2);
	CHECK_EQ(LZMA_UNSUPPORTED_CHECK, 3);
	CHECK_EQ(LZMA_GET_CHECK, 4);
	CHECK_EQ(LZMA_MEM_ERROR, 5);
	CHECK_EQ(LZMA_MEMLIMIT_ERROR, 6);
	CHECK_EQ(LZMA_FORMAT_ERROR, 7);
	CHECK_EQ(LZMA_OPTIONS_ERROR, 8);
	CHECK_EQ(LZMA_DATA_ERROR, 9);
	CHECK_EQ(LZMA_BUF_ERROR, 10);
	CHECK_EQ(LZMA_PROG_ERROR, 11);
	CHECK_EQ(LZMA_SEEK_NEEDED, 12);
	CHECK_EQ(LZMA_RET_INTERNAL1, 101);
	CHECK_EQ(LZMA_RET_INTERNAL8, 108);
	CHECK_EQ(LZMA_RUN, 0);
	CHECK_EQ(LZMA_SYNC_FLUSH, 1);
	CHECK_EQ(LZMA_FULL_FLUSH, 2);
	CHECK_EQ(LZMA_FINISH, 3);
	CHECK_EQ(LZMA_FULL_BARRIER, 4);
	CHECK_EQ(LZMA_RESERVED_ENUM, 0);
	CHECK_EQ(LZMA_CHECK_NONE, 0);
	CHECK_EQ(LZMA_CHECK_CRC32, 1);
	CHECK_EQ(LZMA_CHECK_CRC64, 4);
	CHECK_EQ(LZMA_CHECK_SHA256, 10);
	CHECK_EQ(LZMA_MF_HC3, 0x03);
	CHECK_EQ(LZMA_MF_HC4, 0x04);
	CHECK_EQ(LZMA_MF_BT2, 0x12);
	CHECK_EQ(LZMA_MF_BT3, 0x13);
	CHECK_EQ(LZMA_MF_BT4, 0x14);
	CHECK_EQ(LZMA_MODE_FAST, 1);
	CHECK_EQ(LZMA_MODE_NORMAL, 2);
	CHECK_EQ(LZMA_DELTA_TYPE_BYTE, 0);
	CHECK_EQ(LZMA_INDEX_ITER_ANY, 0);
	CHECK_EQ(LZMA_INDEX_ITER_STREAM, 1);
	CHECK_EQ(LZMA_INDEX_ITER_BLOCK, 2);
	CHECK_EQ(LZMA_INDEX_ITER_NONEMPTY_BLOCK, 3);
}

static void constants_macros(void)
{
	t_begin("constants: macros");
	CHECK(LZMA_VLI_MAX == UINT64_C(0x7FFFFFFFFFFFFFFF));
	CHECK(LZMA_VLI_UNKNOWN == UINT64_MAX);
	CHECK_EQ(LZMA_VLI_BYTES_MAX, 9);
	CHECK(LZMA_VLI_C(1) == (uint64_t)1);
	CHECK(lzma_vli_is_valid(LZMA_VLI_MAX));
	CHECK(lzma_vli_is_valid(LZMA_VLI_UNKNOWN));
	CHECK(!lzma_vli_is_valid(LZMA_VLI_MAX + 1));
	CHECK_EQ(LZMA_CHECK_ID_MAX, 15);
	CHECK_EQ(LZMA_CHECK_SIZE_MAX, 64);
	CHECK_EQ(LZMA_FILTERS_MAX, 4);
	CHECK(LZMA_FILTER_DELTA == 0x03);
	CHECK(LZMA_FILTER_X86 == 0x04);
	CHECK(LZMA_FILTER_POWERPC == 0x05);
	CHECK(LZMA_FILTER_IA64 == 0x06);
	CHECK(LZMA_FILTER_ARM == 0x07);
	CHECK(LZMA_FILTER_ARMTHUMB == 0x08);
	CHECK(LZMA_FILTER_SPARC == 0x09);
	CHECK(LZMA_FILTER_ARM64 == 0x0A);
	CHECK(LZMA_FILTER_RISCV == 0x0B);
	CHECK(LZMA_FILTER_LZMA2 == 0x21);
	CHECK(LZMA_FILTER_LZMA1 == UINT64_C(0x4000000000000001));
	CHECK(LZMA_FILTER_LZMA1EXT == UINT64_C(0x4000000000000002));
	CHECK_EQ(LZMA_DELTA_DIST_MIN, 1);
	CHECK_EQ(LZMA_DELTA_DIST_MAX, 256);
	CHECK_EQ(LZMA_DICT_SIZE_MIN, 4096);
	CHECK_EQ(LZMA_DICT_SIZE_DEFAULT, 8388608);
	CHECK_EQ(LZMA_LCLP_MIN, 0);
	CHECK_EQ(LZMA_LCLP_MAX, 4);
	CHECK_EQ(LZMA_LC_DEFAULT, 3);
	CHECK_EQ(LZMA_LP_DEFAULT, 0);
	CHECK_EQ(LZMA_PB_MIN, 0);
	CHECK_EQ(LZMA_PB_MAX, 4);
	CHECK_EQ(LZMA_PB_DEFAULT, 2);
	CHECK_EQ(LZMA_LZMA1EXT_ALLOW_EOPM, 1);
	CHECK_EQ(LZMA_PRESET_DEFAULT, 6);
	CHECK_EQ(LZMA_PRESET_LEVEL_MASK, 0x1F);
	CHECK(LZMA_PRESET_EXTREME == UINT32_C(0x80000000));
	CHECK_EQ(LZMA_TELL_NO_CHECK, 0x01);
	CHECK_EQ(LZMA_TELL_UNSUPPORTED_CHECK, 0x02);
	CHECK_EQ(LZMA_TELL_ANY_CHECK, 0x04);
	CHECK_EQ(LZMA_CONCATENATED, 0x08);
	CHECK_EQ(LZMA_IGNORE_CHECK, 0x10);
	CHECK_EQ(LZMA_FAIL_FAST, 0x20);
	CHECK_EQ(LZMA_STREAM_HEADER_SIZE, 12);
	CHECK_EQ(LZMA_BACKWARD_SIZE_MIN, 4);
	CHECK(LZMA_BACKWARD_SIZE_MAX == UINT64_C(17179869184));
	CHECK_EQ(LZMA_BLOCK_HEADER_SIZE_MIN, 8);
	CHECK_EQ(LZMA_BLOCK_HEADER_SIZE_MAX, 1024);
	CHECK_EQ(lzma_block_header_size_decode(0x01), 8);
	CHECK_EQ(lzma_block_header_size_decode(0xFF), 1024);
	CHECK_EQ(LZMA_STR_ALL_FILTERS, 0x01);
	CHECK_EQ(LZMA_STR_NO_VALIDATION, 0x02);
	CHECK_EQ(LZMA_STR_ENCODER, 0x10);
	CHECK_EQ(LZMA_STR_DECODER, 0x20);
	CHECK_EQ(LZMA_STR_GETOPT_LONG, 0x40);
	CHECK_EQ(LZMA_STR_NO_SPACES, 0x80);
}

static void constants_version(void)
{
	t_begin("constants: version 5.8.1 stable");
	CHECK_EQ(LZMA_VERSION_MAJOR, 5);
	CHECK_EQ(LZMA_VERSION_MINOR, 8);
	CHECK_EQ(LZMA_VERSION_PATCH, 1);
	CHECK_EQ(LZMA_VERSION_STABILITY, LZMA_VERSION_STABILITY_STABLE);
	CHECK_EQ(LZMA_VERSION_STABILITY_ALPHA, 0);
	CHECK_EQ(LZMA_VERSION_STABILITY_BETA, 1);
	CHECK_EQ(LZMA_VERSION_STABILITY_STABLE, 2);
	CHECK_EQ(LZMA_VERSION, 50080012);
	CHECK(strcmp(LZMA_VERSION_STRING, "5.8.1") == 0);
}

/* LZMA_STREAM_INIT zeroes every field (compared with a memset struct). */
static void stream_init(void)
{
	lzma_stream a = LZMA_STREAM_INIT;
	lzma_stream b;
	t_begin("LZMA_STREAM_INIT is all zero");
	memset(&b, 0, sizeof(b));
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
}

/* lzma_set_ext_size splits a 64-bit size into the two 32-bit fields. */
static void set_ext_size(void)
{
	lzma_options_lzma opt;
	t_begin("lzma_set_ext_size");
	memset(&opt, 0, sizeof(opt));
	lzma_set_ext_size(opt, UINT64_C(0x123456789));
	CHECK(opt.ext_size_low == 0x23456789);
	CHECK(opt.ext_size_high == 0x1);
}

int main(void)
{
#if defined(__x86_64__) && defined(__LP64__)
	layout_allocator();
	layout_stream();
	layout_filter();
	layout_options_bcj();
	layout_options_delta();
	layout_options_lzma();
	layout_mt();
	layout_block();
	layout_stream_flags();
	layout_index_iter();
	layout_scalars();
#else
	t_begin("layout");
	t_skip("expected numbers are for x86-64 only");
#endif
	constants_enums();
	constants_macros();
	constants_version();
	stream_init();
	set_ext_size();
	return t_done();
}
