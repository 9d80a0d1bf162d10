/*
 * lzma.h -- the public API of clearxz's liblzma.
 *
 * clearxz implements the API and ABI of liblzma 5.8 (XZ Utils): the same
 * type names, struct layouts, constant and enum values and function
 * signatures, so a program written for liblzma compiles against this header
 * unchanged and a program linked against liblzma.so.5 runs with clearxz's.
 * This header was written for clearxz from liblzma's documented API; the
 * wording is ours. The file format is described in the .xz file format
 * specification (doc/xz-file-format.txt of XZ Utils), cited below as
 * "spec 2.1.1" etc.
 *
 * Reading guide: types and constants come first, then the functions grouped
 * as liblzma groups them (stream coding, integrity checks, filters, the
 * .xz/.lzma/.lz containers, headers, blocks, indexes). Every function says
 * what it does, what it returns in each error case, and who owns memory.
 *
 * Conventions that hold for every function unless its comment says otherwise:
 *   - A NULL pointer where an object is required gives LZMA_PROG_ERROR
 *     (functions returning lzma_ret), never a crash.
 *   - "allocator" may be NULL, meaning malloc() and free(). When it is not
 *     NULL, every allocation the call makes goes through it, and memory the
 *     call hands to the caller must be freed through the same allocator.
 *   - Buffer functions take (buf, *pos, size): they use buf[*pos .. size)
 *     and advance *pos. On error the positions are left unchanged where the
 *     comment says so.
 *   - lzma_stream based initializers: the stream must be zeroed with
 *     LZMA_STREAM_INIT before its first use. An initializer may be called
 *     again on a stream in use; the old coder is replaced (and its memory
 *     reused or freed). If an initializer fails, the stream is left as
 *     after lzma_end(). Memory is held until lzma_end().
 *
 * The layouts of the public structs are fixed by liblzma's ABI on each
 * platform; tests/test_layout.c checks every field's size and offset on
 * x86-64. The fields named reserved_* exist only to keep those layouts; set
 * them to zero (LZMA_STREAM_INIT and memset do).
 */
#ifndef LZMA_H
#define LZMA_H

#include <stddef.h>
#include <stdint.h>
#include <inttypes.h> /* liblzma's header brings PRIu64 & co.; programs rely on it */

/* ---- export and attribute macros -----------------------------------------
 *
 * LZMA_API(type) marks a function of the public API, in its declaration here
 * and in its definition in lib/. The library is compiled with
 * -fvisibility=hidden, so exactly the functions marked LZMA_API are exported
 * from liblzma.so.5 (tests/test_symbols.sh checks the list).
 */
#ifndef LZMA_API
#	if defined(__GNUC__) || defined(__clang__)
#		define LZMA_API(type) __attribute__((visibility("default"))) type
#	else
#		define LZMA_API(type) type
#	endif
#endif

/* Kept for source compatibility: liblzma uses them for Windows calling
 * conventions. On every platform clearxz supports they are empty. */
#ifndef LZMA_API_CALL
#	define LZMA_API_CALL
#endif
#ifndef LZMA_API_IMPORT
#	define LZMA_API_IMPORT
#endif

/* No function of this API throws a C++ exception; telling the compiler lets
 * it drop unwinding tables in C++ callers. */
#ifndef lzma_nothrow
#	if defined(__cplusplus)
#		if __cplusplus >= 201103L || (defined(_MSVC_LANG) && _MSVC_LANG >= 201103L)
#			define lzma_nothrow noexcept
#		else
#			define lzma_nothrow throw()
#		endif
#	elif defined(__GNUC__) || defined(__clang__)
#		define lzma_nothrow __attribute__((__nothrow__))
#	else
#		define lzma_nothrow
#	endif
#endif

#if defined(__GNUC__) || defined(__clang__)
#	ifndef lzma_attribute
#		define lzma_attribute(attr) __attribute__(attr)
#	endif
#else
#	ifndef lzma_attribute
#		define lzma_attribute(attr)
#	endif
#endif

/* pure: result depends only on the arguments and memory they point to.
 * const: result depends only on the argument values.
 * warn_unused_result: ignoring the returned status is a bug in the caller
 * (the same functions as in liblzma carry it, so code that builds warning-free
 * against liblzma builds warning-free here). */
#ifndef lzma_attr_pure
#	define lzma_attr_pure lzma_attribute((__pure__))
#endif
#ifndef lzma_attr_const
#	define lzma_attr_const lzma_attribute((__const__))
#endif
#ifndef lzma_attr_warn_unused_result
#	define lzma_attr_warn_unused_result lzma_attribute((__warn_unused_result__))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* =========================================================================
 * Version
 * ========================================================================= */

/* The liblzma version whose API and ABI this header provides: 5.8.1 stable.
 * LZMA_VERSION packs it as MAJOR * 10000000 + MINOR * 10000 + PATCH * 10
 * + STABILITY, so 5.8.1 stable is 50080012 and versions compare as numbers. */
#define LZMA_VERSION_MAJOR 5
#define LZMA_VERSION_MINOR 8
#define LZMA_VERSION_PATCH 1
#define LZMA_VERSION_STABILITY LZMA_VERSION_STABILITY_STABLE

#define LZMA_VERSION_STABILITY_ALPHA 0
#define LZMA_VERSION_STABILITY_BETA 1
#define LZMA_VERSION_STABILITY_STABLE 2

/* Empty: no VCS commit is compiled into the version string. */
#ifndef LZMA_VERSION_COMMIT
#	define LZMA_VERSION_COMMIT ""
#endif

#define LZMA_VERSION (LZMA_VERSION_MAJOR * UINT32_C(10000000) \
		+ LZMA_VERSION_MINOR * UINT32_C(10000) \
		+ LZMA_VERSION_PATCH * UINT32_C(10) \
		+ LZMA_VERSION_STABILITY)

/* "alpha", "beta" or "" (stable releases have no suffix). */
#if LZMA_VERSION_STABILITY == LZMA_VERSION_STABILITY_ALPHA
#	define LZMA_VERSION_STABILITY_STRING "alpha"
#elif LZMA_VERSION_STABILITY == LZMA_VERSION_STABILITY_BETA
#	define LZMA_VERSION_STABILITY_STRING "beta"
#else
#	define LZMA_VERSION_STABILITY_STRING ""
#endif

/* Two levels so the macro arguments are expanded before being stringified. */
#define LZMA_VERSION_STRING_C_(major, minor, patch, stability, commit) \
		#major "." #minor "." #patch stability commit
#define LZMA_VERSION_STRING_C(major, minor, patch, stability, commit) \
		LZMA_VERSION_STRING_C_(major, minor, patch, stability, commit)

/* "5.8.1" */
#define LZMA_VERSION_STRING LZMA_VERSION_STRING_C( \
		LZMA_VERSION_MAJOR, LZMA_VERSION_MINOR, LZMA_VERSION_PATCH, \
		LZMA_VERSION_STABILITY_STRING, LZMA_VERSION_COMMIT)

/* LZMA_VERSION of the library loaded at run time (which may differ from the
 * header the program was compiled with). Never fails. */
extern LZMA_API(uint32_t) lzma_version_number(void)
		lzma_nothrow lzma_attr_const;

/* LZMA_VERSION_STRING of the library loaded at run time, a static string
 * the caller must not free. Never fails. */
extern LZMA_API(const char *) lzma_version_string(void)
		lzma_nothrow lzma_attr_const;

/* =========================================================================
 * Basic types
 * ========================================================================= */

/* A boolean that is one byte in every struct and on every compiler: zero is
 * false, anything else true. */
typedef unsigned char lzma_bool;

/* A placeholder enum type for reserved struct fields. Only
 * LZMA_RESERVED_ENUM (zero) may be stored in them. */
typedef enum {
	LZMA_RESERVED_ENUM = 0
} lzma_reserved_enum;

/* Status codes. LZMA_OK and LZMA_STREAM_END are success; LZMA_NO_CHECK,
 * LZMA_UNSUPPORTED_CHECK, LZMA_GET_CHECK and LZMA_SEEK_NEEDED are
 * informational (coding can continue by calling lzma_code() again);
 * LZMA_MEMLIMIT_ERROR and LZMA_BUF_ERROR are recoverable (raise the limit,
 * supply more input or output space); the rest are fatal for the stream. */
typedef enum {
	LZMA_OK = 0,                /* progress made, or call succeeded */
	LZMA_STREAM_END = 1,        /* end of stream, or flush/finish done */
	LZMA_NO_CHECK = 2,          /* input has no integrity check (asked via
	                               LZMA_TELL_NO_CHECK) */
	LZMA_UNSUPPORTED_CHECK = 3, /* check type cannot be verified (decoder,
	                               with LZMA_TELL_UNSUPPORTED_CHECK) or
	                               cannot be computed (encoder: fatal) */
	LZMA_GET_CHECK = 4,         /* check type is now known (asked via
	                               LZMA_TELL_ANY_CHECK): lzma_get_check() */
	LZMA_MEM_ERROR = 5,         /* memory allocation failed */
	LZMA_MEMLIMIT_ERROR = 6,    /* the memory usage limit would be exceeded;
	                               raise it with lzma_memlimit_set() and
	                               call lzma_code() again */
	LZMA_FORMAT_ERROR = 7,      /* input is not in the expected format */
	LZMA_OPTIONS_ERROR = 8,     /* options invalid or not supported */
	LZMA_DATA_ERROR = 9,        /* input is corrupt */
	LZMA_BUF_ERROR = 10,        /* no progress possible: lzma_code() was
	                               called twice in a row without consuming
	                               input or producing output, or a
	                               single-call buffer was too small */
	LZMA_PROG_ERROR = 11,       /* the caller broke the API contract
	                               (bad arguments, wrong call order) */
	LZMA_SEEK_NEEDED = 12,      /* lzma_file_info_decoder(): the caller must
	                               continue feeding input from
	                               lzma_stream.seek_pos */
	/* Used only inside liblzma; never returned to applications. They are
	 * part of the enum so the values stay reserved. */
	LZMA_RET_INTERNAL1 = 101,
	LZMA_RET_INTERNAL2 = 102,
	LZMA_RET_INTERNAL3 = 103,
	LZMA_RET_INTERNAL4 = 104,
	LZMA_RET_INTERNAL5 = 105,
	LZMA_RET_INTERNAL6 = 106,
	LZMA_RET_INTERNAL7 = 107,
	LZMA_RET_INTERNAL8 = 108
} lzma_ret;

/* The second argument of lzma_code().
 *   LZMA_RUN          code as much as the buffers allow.
 *   LZMA_SYNC_FLUSH   encoders: emit everything buffered so far so it can be
 *                     decoded, then return LZMA_STREAM_END; the stream goes
 *                     on after that (not supported by every filter).
 *   LZMA_FULL_FLUSH   like SYNC_FLUSH, and also end the current .xz Block so
 *                     the next starts from an empty state.
 *   LZMA_FULL_BARRIER like FULL_FLUSH, but the multithreaded encoder need not
 *                     make the output available until LZMA_STREAM_END.
 *   LZMA_FINISH       all input has been given: finish the stream. Decoders
 *                     accept it to mean that no more input will come.
 * Once a flush or LZMA_FINISH has begun, the caller repeats the same action
 * (adding no new input beyond what avail_in held) until LZMA_STREAM_END. */
typedef enum {
	LZMA_RUN = 0,
	LZMA_SYNC_FLUSH = 1,
	LZMA_FULL_FLUSH = 2,
	LZMA_FULL_BARRIER = 4,
	LZMA_FINISH = 3
} lzma_action;

/* Custom memory allocation. alloc() returns memory for nmemb * size bytes
 * (liblzma always passes nmemb == 1) or NULL on failure; it need not
 * initialize the memory. free() releases what alloc() returned, and may be
 * called with NULL. opaque is passed to both unchanged. */
typedef struct {
	void *(LZMA_API_CALL *alloc)(void *opaque, size_t nmemb, size_t size);
	void (LZMA_API_CALL *free)(void *opaque, void *ptr);
	void *opaque;
} lzma_allocator;

/* The library's private state of one lzma_stream. */
typedef struct lzma_internal_s lzma_internal;

/* One coding session: the caller's buffers, totals, and the coder state.
 *
 * The caller sets next_in/avail_in and next_out/avail_out before each
 * lzma_code() call; the library advances them. total_in and total_out count
 * all bytes consumed and produced since the coder was initialized.
 * allocator (may be NULL) is read at every allocation and must stay valid
 * until lzma_end(). internal belongs to the library.
 * seek_pos is written by lzma_file_info_decoder() with LZMA_SEEK_NEEDED.
 * x86-64 layout: 136 bytes; see tests/test_layout.c. */
typedef struct {
	const uint8_t *next_in;
	size_t avail_in;
	uint64_t total_in;

	uint8_t *next_out;
	size_t avail_out;
	uint64_t total_out;

	const lzma_allocator *allocator;
	lzma_internal *internal;

	void *reserved_ptr1;
	void *reserved_ptr2;
	void *reserved_ptr3;
	void *reserved_ptr4;

	uint64_t seek_pos;

	uint64_t reserved_int2;
	size_t reserved_int3;
	size_t reserved_int4;
	lzma_reserved_enum reserved_enum1;
	lzma_reserved_enum reserved_enum2;
} lzma_stream;

/* Initializer for an unused lzma_stream (all fields zero/NULL). Use it, or
 * memset the struct to zero, before the first initializer call:
 *     lzma_stream strm = LZMA_STREAM_INIT;
 * Positional, so it is valid in C89, C99 and C++. */
#define LZMA_STREAM_INIT \
	{ NULL, 0, 0, NULL, 0, 0, NULL, NULL, \
	  NULL, NULL, NULL, NULL, 0, 0, 0, 0, \
	  LZMA_RESERVED_ENUM, LZMA_RESERVED_ENUM }

/* =========================================================================
 * Coding through an lzma_stream
 * ========================================================================= */

/* Run the coder installed in strm by one of the encoder or decoder
 * initializers: consume input from next_in/avail_in, write output to
 * next_out/avail_out, advancing both and the totals. See lzma_action for
 * the actions.
 * Returns LZMA_OK while there is more to do; LZMA_STREAM_END when the
 * stream, flush or finish is complete; LZMA_NO_CHECK, LZMA_UNSUPPORTED_CHECK,
 * LZMA_GET_CHECK or LZMA_SEEK_NEEDED as requested by decoder flags;
 * LZMA_MEMLIMIT_ERROR when the limit is too low (recoverable);
 * LZMA_BUF_ERROR after two calls in a row that made no progress (give more
 * input or output space; recoverable); LZMA_MEM_ERROR, LZMA_FORMAT_ERROR,
 * LZMA_OPTIONS_ERROR, LZMA_DATA_ERROR as the coder reports (fatal);
 * LZMA_PROG_ERROR for an uninitialized stream, an action the coder does not
 * support, or an action changed in the middle of a flush/finish. */
extern LZMA_API(lzma_ret) lzma_code(lzma_stream *strm, lzma_action action)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Free everything the coder in strm holds, using strm->allocator, and set
 * strm->internal to NULL. The caller's buffers are not touched. Safe on a
 * stream that was never initialized (LZMA_STREAM_INIT) or already ended.
 * The stream may be initialized again afterwards. */
extern LZMA_API(void) lzma_end(lzma_stream *strm) lzma_nothrow;

/* Store in *progress_in and *progress_out how much input has been consumed
 * and output produced so far. For the multithreaded coders this counts work
 * that worker threads have done but not yet handed back through
 * next_out/total_in; for the other coders it equals total_in/total_out.
 * With an uninitialized stream both become the stream's totals. */
extern LZMA_API(void) lzma_get_progress(lzma_stream *strm,
		uint64_t *progress_in, uint64_t *progress_out) lzma_nothrow;

/* The memory the coder of strm currently uses, in bytes (an estimate made
 * by the coder: dictionaries, buffers, and a fixed overhead). Non-zero for
 * a decoder even before it has allocated its filters. 0 if the coder does
 * not track it (most encoders) or strm is not initialized. */
extern LZMA_API(uint64_t) lzma_memusage(const lzma_stream *strm)
		lzma_nothrow lzma_attr_pure;

/* The current memory usage limit of strm's coder, in bytes; UINT64_MAX
 * means no limit. 0 if the coder has no limit setting or strm is not
 * initialized. */
extern LZMA_API(uint64_t) lzma_memlimit_get(const lzma_stream *strm)
		lzma_nothrow lzma_attr_pure;

/* Set the memory usage limit of strm's coder to memlimit bytes (0 is taken
 * as 1; UINT64_MAX means no limit). Only coders initialized with a memlimit
 * argument have a limit. After lzma_code() returned LZMA_MEMLIMIT_ERROR,
 * raising the limit lets coding continue.
 * Returns LZMA_OK; LZMA_MEMLIMIT_ERROR if memlimit is below what the coder
 * already uses (the limit is then unchanged); LZMA_PROG_ERROR if the coder
 * has no limit setting or strm is not initialized. */
extern LZMA_API(lzma_ret) lzma_memlimit_set(lzma_stream *strm,
		uint64_t memlimit) lzma_nothrow;

/* =========================================================================
 * Variable-length integers (spec 1.2)
 * ========================================================================= */

/* An integer of the .xz format: 0 .. LZMA_VLI_MAX (63 bits), stored in
 * 1 to 9 bytes, seven bits per byte with the high bit meaning "more". */
typedef uint64_t lzma_vli;

#define LZMA_VLI_MAX (UINT64_MAX / 2)
/* "Unknown" (sizes not stored) and the end marker of filter arrays. */
#define LZMA_VLI_UNKNOWN UINT64_MAX
#define LZMA_VLI_BYTES_MAX 9
#define LZMA_VLI_C(n) UINT64_C(n)

/* True if vli is a representable value or LZMA_VLI_UNKNOWN. */
#define lzma_vli_is_valid(vli) \
	((vli) <= LZMA_VLI_MAX || (vli) == LZMA_VLI_UNKNOWN)

/* Encode vli into out[*out_pos .. out_size).
 * Single-call mode (vli_pos == NULL): writes the whole integer; the caller
 *   has made room for lzma_vli_size(vli) bytes.
 *   Returns LZMA_OK; LZMA_PROG_ERROR if vli > LZMA_VLI_MAX or the output
 *   space is too small (single-call mode never uses LZMA_BUF_ERROR).
 * Multi-call mode (vli_pos != NULL, *vli_pos = 0 at start, untouched
 * between calls): writes what fits and remembers how far it got.
 *   Returns LZMA_OK when more output space is needed; LZMA_STREAM_END when
 *   the integer is complete; LZMA_BUF_ERROR if called with no output
 *   space; LZMA_PROG_ERROR for bad arguments. */
extern LZMA_API(lzma_ret) lzma_vli_encode(lzma_vli vli, size_t *vli_pos,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* Decode an integer from in[*in_pos .. in_size) into *vli.
 * Single-call mode (vli_pos == NULL): *vli is set to 0 first.
 *   Returns LZMA_OK; LZMA_DATA_ERROR if the encoding is longer than
 *   9 bytes, not minimal (a final 0x00 byte), or cut off by the end of the
 *   input (also when there is no input at all); LZMA_PROG_ERROR for bad
 *   arguments.
 * Multi-call mode (vli_pos != NULL): set *vli_pos = 0 and *vli = 0 before
 *   the first call. Returns LZMA_OK when more input is needed;
 *   LZMA_STREAM_END when complete; LZMA_DATA_ERROR as above;
 *   LZMA_BUF_ERROR if called with no input; LZMA_PROG_ERROR for bad
 *   arguments. */
extern LZMA_API(lzma_ret) lzma_vli_decode(lzma_vli *vli, size_t *vli_pos,
		const uint8_t *in, size_t *in_pos, size_t in_size) lzma_nothrow;

/* Number of bytes (1..9) that lzma_vli_encode() writes for vli; 0 if vli
 * is greater than LZMA_VLI_MAX. */
extern LZMA_API(uint32_t) lzma_vli_size(lzma_vli vli)
		lzma_nothrow lzma_attr_pure;

/* =========================================================================
 * Integrity checks (spec 2.1.1.2, 3.4)
 * ========================================================================= */

/* Check IDs as stored in the Stream Flags. IDs 0..15 exist in the format;
 * the others are reserved by the specification and are not supported. */
typedef enum {
	LZMA_CHECK_NONE = 0,
	LZMA_CHECK_CRC32 = 1,
	LZMA_CHECK_CRC64 = 4,
	LZMA_CHECK_SHA256 = 10
} lzma_check;

#define LZMA_CHECK_ID_MAX 15
/* The largest check size the format allows (bytes). */
#define LZMA_CHECK_SIZE_MAX 64

/* True if this library can compute check type `check`. LZMA_CHECK_NONE is
 * "supported". False for unknown or out-of-range IDs. */
extern LZMA_API(lzma_bool) lzma_check_is_supported(lzma_check check)
		lzma_nothrow lzma_attr_const;

/* Size in bytes of the check field for check ID `check` (spec 3.4: IDs
 * 0, 1-3, 4-6, 7-9, 10-12, 13-15 have 0, 4, 8, 16, 32, 64 bytes), also
 * for IDs this library cannot compute. UINT32_MAX if check >
 * LZMA_CHECK_ID_MAX. */
extern LZMA_API(uint32_t) lzma_check_size(lzma_check check)
		lzma_nothrow lzma_attr_const;

/* CRC32 (the polynomial of IEEE 802.3) of buf[0..size), continuing from
 * crc: pass 0 for the first piece and the previous result for the next. */
extern LZMA_API(uint32_t) lzma_crc32(const uint8_t *buf, size_t size,
		uint32_t crc) lzma_nothrow lzma_attr_pure;

/* CRC64 (the polynomial of ECMA-182) of buf[0..size), continuing from crc
 * as with lzma_crc32(). */
extern LZMA_API(uint64_t) lzma_crc64(const uint8_t *buf, size_t size,
		uint64_t crc) lzma_nothrow lzma_attr_pure;

/* The check type of the stream being decoded in strm. Valid once
 * lzma_code() has returned LZMA_NO_CHECK, LZMA_UNSUPPORTED_CHECK,
 * LZMA_GET_CHECK or LZMA_STREAM_END; before that, and for coders that have
 * no check, the value is meaningless (LZMA_CHECK_NONE in practice). */
extern LZMA_API(lzma_check) lzma_get_check(const lzma_stream *strm)
		lzma_nothrow;

/* =========================================================================
 * Filters
 * ========================================================================= */

/* The maximum number of filters in a chain (spec 3.1.2: up to four). A
 * filter array has room for LZMA_FILTERS_MAX + 1 entries. */
#define LZMA_FILTERS_MAX 4

/* One filter of a chain: its ID and a pointer to its options struct
 * (lzma_options_lzma, lzma_options_delta, lzma_options_bcj or NULL). A
 * chain is an array ending with id == LZMA_VLI_UNKNOWN. When encoding, the
 * first filter sees the uncompressed data and the last must be LZMA1 or
 * LZMA2. */
typedef struct {
	lzma_vli id;
	void *options;
} lzma_filter;

/* True if an encoder (resp. decoder) for filter `id` is built in. */
extern LZMA_API(lzma_bool) lzma_filter_encoder_is_supported(lzma_vli id)
		lzma_nothrow lzma_attr_const;
extern LZMA_API(lzma_bool) lzma_filter_decoder_is_supported(lzma_vli id)
		lzma_nothrow lzma_attr_const;

/* Deep-copy the chain src (up to and including its terminator) into dest,
 * which must have room for LZMA_FILTERS_MAX + 1 entries. Each options
 * struct is duplicated with allocator; free them later with
 * lzma_filters_free(dest, allocator).
 * The options are copied, not validated. An unknown filter ID is copied
 * if its options pointer is NULL.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR if a filter ID is
 * unknown while its options pointer is not NULL (the size of its options
 * is unknown); LZMA_PROG_ERROR if src or dest is NULL or the chain is
 * longer than LZMA_FILTERS_MAX. On error dest is not modified and nothing
 * stays allocated. Old options in dest are not freed. */
extern LZMA_API(lzma_ret) lzma_filters_copy(const lzma_filter *src,
		lzma_filter *dest, const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Free the options of every filter in the chain (with allocator) and set
 * each entry to {LZMA_VLI_UNKNOWN, NULL}. The array itself is not freed.
 * Stops at the terminator or after LZMA_FILTERS_MAX entries. NULL is a
 * no-op. */
extern LZMA_API(void) lzma_filters_free(lzma_filter *filters,
		const lzma_allocator *allocator) lzma_nothrow;

/* Memory (bytes) that a raw encoder (resp. decoder) with this chain would
 * need. UINT64_MAX if the chain or its options are invalid or unsupported. */
extern LZMA_API(uint64_t) lzma_raw_encoder_memusage(const lzma_filter *filters)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(uint64_t) lzma_raw_decoder_memusage(const lzma_filter *filters)
		lzma_nothrow lzma_attr_pure;

/* Initialize strm as a raw encoder: the chain's output with no container
 * around it. Actions: LZMA_RUN, LZMA_SYNC_FLUSH (if every filter supports
 * it), LZMA_FINISH. The chain is copied; filters may be freed after the
 * call.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR for invalid or
 * unsupported filters or options; LZMA_PROG_ERROR for NULL arguments. */
extern LZMA_API(lzma_ret) lzma_raw_encoder(lzma_stream *strm,
		const lzma_filter *filters)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a raw decoder for data made by lzma_raw_encoder() with
 * the same chain. Actions: LZMA_RUN, LZMA_FINISH. The decoder has no memory
 * limit. Returns as lzma_raw_encoder(). */
extern LZMA_API(lzma_ret) lzma_raw_decoder(lzma_stream *strm,
		const lzma_filter *filters)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Change the filter chain or options of a running encoder (the .xz stream,
 * block, raw and multithreaded encoders). Only a few changes are possible
 * in the middle of a Block (LZMA2 lc/lp/pb); a different chain takes effect
 * at the next Block, i.e. call this right after a LZMA_FULL_FLUSH or
 * LZMA_FULL_BARRIER returned LZMA_STREAM_END, or before the first
 * lzma_code(). The chain is copied.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_MEMLIMIT_ERROR; LZMA_OPTIONS_ERROR
 * if the change is not possible now or the options are invalid;
 * LZMA_PROG_ERROR if the coder does not support updates or strm is not
 * initialized. */
extern LZMA_API(lzma_ret) lzma_filters_update(lzma_stream *strm,
		const lzma_filter *filters) lzma_nothrow;

/* Encode in[0..in_size) with a raw chain in one call, appending to
 * out[*out_pos .. out_size).
 * Returns LZMA_OK; LZMA_BUF_ERROR if the output does not fit;
 * LZMA_OPTIONS_ERROR; LZMA_MEM_ERROR; LZMA_DATA_ERROR; LZMA_PROG_ERROR.
 * On error *out_pos is unchanged (out may have been written to). */
extern LZMA_API(lzma_ret) lzma_raw_buffer_encode(
		const lzma_filter *filters, const lzma_allocator *allocator,
		const uint8_t *in, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* Decode raw data from in[*in_pos .. in_size) into out[*out_pos ..
 * out_size) in one call. Input after the end of the LZMA data is left
 * unread (*in_pos stops there).
 * Returns LZMA_OK; LZMA_BUF_ERROR if the output space is too small;
 * LZMA_DATA_ERROR for corrupt data or input that ends too early;
 * LZMA_OPTIONS_ERROR; LZMA_MEM_ERROR; LZMA_PROG_ERROR. On error *in_pos
 * and *out_pos are unchanged. */
extern LZMA_API(lzma_ret) lzma_raw_buffer_decode(
		const lzma_filter *filters, const lzma_allocator *allocator,
		const uint8_t *in, size_t *in_pos, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* Filter Properties (spec 3.1.2): the bytes that describe a filter's
 * options in a Block Header.
 *
 * lzma_properties_size: store in *size the number of property bytes of
 * `filter` (0 for filters without properties). Returns LZMA_OK;
 * LZMA_OPTIONS_ERROR if the ID is valid but not supported; LZMA_PROG_ERROR
 * for an invalid ID. */
extern LZMA_API(lzma_ret) lzma_properties_size(uint32_t *size,
		const lzma_filter *filter) lzma_nothrow;

/* Write the property bytes of `filter` to props, which has room for the
 * size lzma_properties_size() reported. Returns LZMA_OK;
 * LZMA_OPTIONS_ERROR if the options cannot be represented or the filter is
 * not supported; LZMA_PROG_ERROR for an invalid ID. */
extern LZMA_API(lzma_ret) lzma_properties_encode(const lzma_filter *filter,
		uint8_t *props) lzma_nothrow;

/* Decode props[0..props_size) for filter->id (set by the caller) into a
 * newly allocated options struct stored in filter->options (NULL for
 * filters that take none). The caller frees it with allocator (or
 * lzma_filters_free()). props_size must be exactly the filter's property
 * size. LZMA1 and LZMA1EXT: props is the 5-byte .lzma header (lc/lp/pb
 * byte and dictionary size). Returns LZMA_OK; LZMA_OPTIONS_ERROR if the ID
 * is unsupported, props_size is wrong or the bytes are invalid;
 * LZMA_MEM_ERROR. On error filter->options is NULL. */
extern LZMA_API(lzma_ret) lzma_properties_decode(lzma_filter *filter,
		const lzma_allocator *allocator,
		const uint8_t *props, size_t props_size) lzma_nothrow;

/* Filter Flags (spec 3.1.2): ID, property size and properties, as in a
 * Block Header.
 *
 * lzma_filter_flags_size: the encoded size of `filter` into *size.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (unsupported filter or options);
 * LZMA_PROG_ERROR (invalid ID). */
extern LZMA_API(lzma_ret) lzma_filter_flags_size(uint32_t *size,
		const lzma_filter *filter)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Append the Filter Flags of `filter` to out[*out_pos .. out_size).
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR; LZMA_PROG_ERROR for an invalid ID or
 * too little output space. */
extern LZMA_API(lzma_ret) lzma_filter_flags_encode(const lzma_filter *filter,
		uint8_t *out, size_t *out_pos, size_t out_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode one Filter Flags field from in[*in_pos .. in_size) into filter
 * (id, and options allocated with allocator as lzma_properties_decode()
 * does; old options are not freed). Returns LZMA_OK; LZMA_OPTIONS_ERROR
 * (unsupported filter or properties); LZMA_DATA_ERROR (reserved filter ID,
 * bad VLI, or input ending inside the field); LZMA_MEM_ERROR;
 * LZMA_PROG_ERROR (bad arguments). */
extern LZMA_API(lzma_ret) lzma_filter_flags_decode(lzma_filter *filter,
		const lzma_allocator *allocator,
		const uint8_t *in, size_t *in_pos, size_t in_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* ---- filter chains as text ("lzma2:preset=6e,dict=64MiB x86") ----------- */

/* Flags of the lzma_str_* functions. */
/* Accept (parse) or list every filter, also those .xz does not allow
 * (LZMA1); by default only .xz filters. */
#define LZMA_STR_ALL_FILTERS UINT32_C(0x01)
/* Parse without checking that the chain as a whole is usable by the .xz or
 * raw coders (each filter's options are still checked). */
#define LZMA_STR_NO_VALIDATION UINT32_C(0x02)
/* Print or list the options the encoder uses (meaningless for options
 * decoded from headers). */
#define LZMA_STR_ENCODER UINT32_C(0x10)
/* Print or list the options the decoder uses. */
#define LZMA_STR_DECODER UINT32_C(0x20)
/* xz's command-line syntax: "--delta=dist=2 --lzma2=dict=4MiB". */
#define LZMA_STR_GETOPT_LONG UINT32_C(0x40)
/* Separate filters with "--" instead of a space ("delta:dist=2--lzma2"), so
 * the string needs no shell quoting. No chain string ever contains a
 * single quote. */
#define LZMA_STR_NO_SPACES UINT32_C(0x80)

/* Parse a filter chain from str, in liblzma's syntax: filters separated by
 * spaces or "--", each "name" or "name:opt=value,opt=value", or a preset
 * "0".."9" with optional "e" for the whole chain. filters must have room
 * for LZMA_FILTERS_MAX + 1 entries; on success it holds the chain with
 * options allocated through allocator (free with lzma_filters_free()).
 * flags: LZMA_STR_ALL_FILTERS, LZMA_STR_NO_VALIDATION.
 * Returns NULL on success. On error returns a static English message (do
 * not free) and leaves filters unchanged. If error_pos is not NULL it is
 * set in both cases: the offset in str (0..INT_MAX) where the problem was
 * found, or the length parsed. */
extern LZMA_API(const char *) lzma_str_to_filters(const char *str,
		int *error_pos, lzma_filter *filters, uint32_t flags,
		const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Write the chain `filters` as a string accepted by lzma_str_to_filters()
 * into a newly allocated *str (free with allocator, or free()). Without
 * LZMA_STR_ENCODER/DECODER only filter names are printed; with them the
 * options the encoder/decoder uses (non-default ones). Flags also:
 * LZMA_STR_GETOPT_LONG, LZMA_STR_NO_SPACES.
 * Without LZMA_STR_ENCODER/DECODER the options pointers are not read.
 * A chain made from a preset prints as its filters ("lzma2:..."), not as
 * the preset.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (empty chain, a filter this function
 * does not know, or invalid options); LZMA_MEM_ERROR; LZMA_PROG_ERROR
 * (NULL arguments, too long chain, unsupported flags). *str is NULL on
 * error. */
extern LZMA_API(lzma_ret) lzma_str_from_filters(char **str,
		const lzma_filter *filters, uint32_t flags,
		const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* List filter names, or with LZMA_STR_ENCODER/DECODER also their options
 * and allowed values, into a newly allocated *str (free with allocator or
 * free()). filter_id is one filter's ID or LZMA_VLI_UNKNOWN for all that
 * .xz supports (all filters with LZMA_STR_ALL_FILTERS).
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (unknown filter_id or unsupported
 * flags); LZMA_MEM_ERROR; LZMA_PROG_ERROR (str is NULL). *str is NULL on
 * error. */
extern LZMA_API(lzma_ret) lzma_str_list_filters(char **str,
		lzma_vli filter_id, uint32_t flags,
		const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* =========================================================================
 * BCJ filters: branch/call/jump converters for executables
 * ========================================================================= */

#define LZMA_FILTER_X86 LZMA_VLI_C(0x04)
#define LZMA_FILTER_POWERPC LZMA_VLI_C(0x05) /* big endian */
#define LZMA_FILTER_IA64 LZMA_VLI_C(0x06)
#define LZMA_FILTER_ARM LZMA_VLI_C(0x07)
#define LZMA_FILTER_ARMTHUMB LZMA_VLI_C(0x08)
#define LZMA_FILTER_SPARC LZMA_VLI_C(0x09)
#define LZMA_FILTER_ARM64 LZMA_VLI_C(0x0A)
#define LZMA_FILTER_RISCV LZMA_VLI_C(0x0B)

/* Options of every BCJ filter (NULL options mean start_offset 0). The same
 * start_offset must be used to decode. start_offset is the position of the
 * first byte in the executable, so separately filtered sections convert
 * addresses consistently; ARM64 needs a multiple of 4, RISC-V of 2, and so
 * on by the filter's instruction alignment. No BCJ filter supports
 * LZMA_SYNC_FLUSH (LZMA_OPTIONS_ERROR). */
typedef struct {
	uint32_t start_offset;
} lzma_options_bcj;

/* In-place BCJ conversion of buf[0..size) without a stream, for programs
 * that filter buffers themselves. start_offset is the low 32 bits of buf's
 * position in the executable (ARM64: a multiple of 4; RISC-V: a multiple of
 * 2; x86: any). Returns how many bytes from the start of buf were
 * processed (at most size): the tail that could still be the start of an
 * instruction is left unconverted (x86: at most 4 bytes; ARM64: at most 3,
 * and the result is a multiple of 4; RISC-V: at most 7, multiple of 2).
 * The _decode functions undo the _encode functions. Never fail. */
extern LZMA_API(size_t) lzma_bcj_arm64_encode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;
extern LZMA_API(size_t) lzma_bcj_arm64_decode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;
extern LZMA_API(size_t) lzma_bcj_riscv_encode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;
extern LZMA_API(size_t) lzma_bcj_riscv_decode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;
extern LZMA_API(size_t) lzma_bcj_x86_encode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;
extern LZMA_API(size_t) lzma_bcj_x86_decode(uint32_t start_offset,
		uint8_t *buf, size_t size) lzma_nothrow;

/* =========================================================================
 * Delta filter
 * ========================================================================= */

#define LZMA_FILTER_DELTA LZMA_VLI_C(0x03)

/* The only delta type: bytewise differences. */
typedef enum {
	LZMA_DELTA_TYPE_BYTE
} lzma_delta_type;

/* Options of the delta filter: each output byte is the difference from the
 * byte `dist` positions earlier (dist in 1..256). Layout: 40 bytes. */
typedef struct {
	lzma_delta_type type;
	uint32_t dist;
#define LZMA_DELTA_DIST_MIN 1
#define LZMA_DELTA_DIST_MAX 256

	uint32_t reserved_int1;
	uint32_t reserved_int2;
	uint32_t reserved_int3;
	uint32_t reserved_int4;
	void *reserved_ptr1;
	void *reserved_ptr2;
} lzma_options_delta;

/* =========================================================================
 * LZMA1 and LZMA2
 * ========================================================================= */

/* LZMA1 as in .lzma files: end of data known from the header size or an end
 * marker. Not allowed in .xz. */
#define LZMA_FILTER_LZMA1 LZMA_VLI_C(0x4000000000000001)
/* LZMA1 with the extra options ext_flags/ext_size (raw coding only). */
#define LZMA_FILTER_LZMA1EXT LZMA_VLI_C(0x4000000000000002)
/* LZMA2: LZMA in chunks, the filter of .xz (spec 5.3.1). */
#define LZMA_FILTER_LZMA2 LZMA_VLI_C(0x21)

/* Match finders: hash chains (HC, faster) or binary trees (BT, better
 * ratio), hashing 2, 3 or 4 bytes. The values are liblzma's. */
typedef enum {
	LZMA_MF_HC3 = 0x03,
	LZMA_MF_HC4 = 0x04,
	LZMA_MF_BT2 = 0x12,
	LZMA_MF_BT3 = 0x13,
	LZMA_MF_BT4 = 0x14
} lzma_match_finder;

/* True if this library's encoder implements the match finder. */
extern LZMA_API(lzma_bool) lzma_mf_is_supported(lzma_match_finder match_finder)
		lzma_nothrow lzma_attr_const;

/* Encoder modes: fast (greedy-ish, presets 0-3) or normal (optimal
 * parsing, presets 4-9). */
typedef enum {
	LZMA_MODE_FAST = 1,
	LZMA_MODE_NORMAL = 2
} lzma_mode;

/* True if this library's encoder implements the mode. */
extern LZMA_API(lzma_bool) lzma_mode_is_supported(lzma_mode mode)
		lzma_nothrow lzma_attr_const;

/* Options of LZMA1, LZMA1EXT and LZMA2. Decoders read dict_size, lc, lp,
 * pb and preset_dict; encoders read all. Fill it with lzma_lzma_preset()
 * and then change what you need. Layout: 112 bytes. */
typedef struct {
	/* Dictionary (history buffer) size in bytes. Encoders need at least
	 * LZMA_DICT_SIZE_MIN; the .xz format stores it rounded up to 2^n or
	 * 2^n + 2^(n-1). */
	uint32_t dict_size;
#define LZMA_DICT_SIZE_MIN UINT32_C(4096)
#define LZMA_DICT_SIZE_DEFAULT (UINT32_C(1) << 23)

	/* Optional preset dictionary (NULL if none): data the coder treats as
	 * already seen. Only raw coders support it; the same dictionary must
	 * be given to decode. Not stored in any header. */
	const uint8_t *preset_dict;
	uint32_t preset_dict_size;

	/* Literal context bits, literal position bits (each 0..4, and
	 * lc + lp <= 4 for LZMA2) and position bits (0..4). */
	uint32_t lc;
#define LZMA_LCLP_MIN 0
#define LZMA_LCLP_MAX 4
#define LZMA_LC_DEFAULT 3
	uint32_t lp;
#define LZMA_LP_DEFAULT 0
	uint32_t pb;
#define LZMA_PB_MIN 0
#define LZMA_PB_MAX 4
#define LZMA_PB_DEFAULT 2

	/* Encoder only: mode, nice match length (2..273), match finder, and
	 * match finder search depth (0 = the encoder picks from nice_len). */
	lzma_mode mode;
	uint32_t nice_len;
	lzma_match_finder mf;
	uint32_t depth;

	/* LZMA_FILTER_LZMA1EXT only (ignored by the other filters).
	 * ext_flags: LZMA_LZMA1EXT_ALLOW_EOPM lets the decoder accept an end
	 * marker even when the uncompressed size is known, and makes the
	 * encoder write one. ext_size_low/high: the uncompressed size split in
	 * two 32-bit halves (set with lzma_set_ext_size()); UINT64_MAX means
	 * unknown (end marker required). */
	uint32_t ext_flags;
#define LZMA_LZMA1EXT_ALLOW_EOPM UINT32_C(0x01)
	uint32_t ext_size_low;
	uint32_t ext_size_high;

	uint32_t reserved_int4;
	uint32_t reserved_int5;
	uint32_t reserved_int6;
	uint32_t reserved_int7;
	uint32_t reserved_int8;
	lzma_reserved_enum reserved_enum1;
	lzma_reserved_enum reserved_enum2;
	lzma_reserved_enum reserved_enum3;
	lzma_reserved_enum reserved_enum4;
	void *reserved_ptr1;
	void *reserved_ptr2;
} lzma_options_lzma;

/* Set ext_size_low/ext_size_high of an lzma_options_lzma (an lvalue) from
 * a 64-bit size. */
#define lzma_set_ext_size(opt_lzma2, u64size) \
	do { \
		(opt_lzma2).ext_size_low = (uint32_t)(u64size); \
		(opt_lzma2).ext_size_high = (uint32_t)((uint64_t)(u64size) >> 32); \
	} while (0)

/* Fill *options with the settings of preset level 0..9, optionally ORed
 * with LZMA_PRESET_EXTREME. All fields are written (reserved ones zeroed,
 * preset_dict NULL).
 * Returns false (0) on success and true if the preset is not supported
 * (note the inverted sense, as in liblzma). */
extern LZMA_API(lzma_bool) lzma_lzma_preset(lzma_options_lzma *options,
		uint32_t preset) lzma_nothrow;

/* =========================================================================
 * Containers: .xz, .lzma, .lz, MicroLZMA
 * ========================================================================= */

/* Presets: level 0..9 in the low bits, plus flags. */
#define LZMA_PRESET_DEFAULT UINT32_C(6)
#define LZMA_PRESET_LEVEL_MASK UINT32_C(0x1F)
/* Slower, sometimes slightly smaller: longer searches at the same memory. */
#define LZMA_PRESET_EXTREME (UINT32_C(1) << 31)

/* Options of the multithreaded .xz encoder and decoder. Layout: 128 bytes.
 * Encoder: flags must be 0; threads (1..16384) workers; block_size is the
 * uncompressed size of each Block (0: three times the LZMA2 dictionary, at
 * least 1 MiB); timeout in milliseconds after which lzma_code() returns
 * even without progress (0: no timeout); filters (or NULL to use preset)
 * and check as for lzma_stream_encoder().
 * Decoder: flags are decoder flags (LZMA_TELL_*, LZMA_CONCATENATED, ...);
 * threads and timeout as above; memlimit_threading: above this, decode in
 * a single thread instead; memlimit_stop: above this, return
 * LZMA_MEMLIMIT_ERROR (like the memlimit of lzma_stream_decoder()). */
typedef struct {
	uint32_t flags;
	uint32_t threads;
	uint64_t block_size;
	uint32_t timeout;
	uint32_t preset;
	const lzma_filter *filters;
	lzma_check check;

	lzma_reserved_enum reserved_enum1;
	lzma_reserved_enum reserved_enum2;
	lzma_reserved_enum reserved_enum3;
	uint32_t reserved_int1;
	uint32_t reserved_int2;
	uint32_t reserved_int3;
	uint32_t reserved_int4;
	uint64_t memlimit_threading;
	uint64_t memlimit_stop;
	uint64_t reserved_int7;
	uint64_t reserved_int8;
	void *reserved_ptr1;
	void *reserved_ptr2;
	void *reserved_ptr3;
	void *reserved_ptr4;
} lzma_mt;

/* Memory (bytes) that lzma_easy_encoder() resp. a decoder of its output
 * needs for `preset`. UINT64_MAX if the preset is not supported. */
extern LZMA_API(uint64_t) lzma_easy_encoder_memusage(uint32_t preset)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(uint64_t) lzma_easy_decoder_memusage(uint32_t preset)
		lzma_nothrow lzma_attr_pure;

/* Initialize strm as an .xz encoder with LZMA2 at `preset` and integrity
 * check `check`. Actions: LZMA_RUN, LZMA_SYNC_FLUSH, LZMA_FULL_FLUSH,
 * LZMA_FULL_BARRIER, LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR (unsupported preset);
 * LZMA_UNSUPPORTED_CHECK (check cannot be computed); LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_easy_encoder(lzma_stream *strm,
		uint32_t preset, lzma_check check)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Compress in[0..in_size) to a complete .xz stream at `preset` in one call,
 * appending to out[*out_pos .. out_size) (lzma_stream_buffer_bound() gives
 * a size that always suffices).
 * Returns LZMA_OK; LZMA_BUF_ERROR (output too small); LZMA_UNSUPPORTED_CHECK;
 * LZMA_OPTIONS_ERROR; LZMA_MEM_ERROR; LZMA_DATA_ERROR; LZMA_PROG_ERROR.
 * On error *out_pos is unchanged. */
extern LZMA_API(lzma_ret) lzma_easy_buffer_encode(
		uint32_t preset, lzma_check check,
		const lzma_allocator *allocator,
		const uint8_t *in, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* Initialize strm as an .xz encoder with a custom chain (copied) and check.
 * Actions and returns as lzma_easy_encoder() (LZMA_OPTIONS_ERROR for an
 * invalid chain). */
extern LZMA_API(lzma_ret) lzma_stream_encoder(lzma_stream *strm,
		const lzma_filter *filters, lzma_check check)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Memory (bytes) the multithreaded encoder would need with *options (all
 * threads, their buffers and the dictionaries). UINT64_MAX if the options
 * are invalid. */
extern LZMA_API(uint64_t) lzma_stream_encoder_mt_memusage(
		const lzma_mt *options) lzma_nothrow lzma_attr_pure;

/* Initialize strm as a multithreaded .xz encoder: the input is cut into
 * Blocks of options->block_size bytes compressed in parallel; the output is
 * a normal .xz stream with sizes in every Block Header. Actions as
 * lzma_stream_encoder(). Returns LZMA_OK; LZMA_MEM_ERROR;
 * LZMA_OPTIONS_ERROR; LZMA_UNSUPPORTED_CHECK; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_stream_encoder_mt(lzma_stream *strm,
		const lzma_mt *options)
		lzma_nothrow lzma_attr_warn_unused_result;

/* The uncompressed Block size the multithreaded encoder uses for this chain
 * when lzma_mt.block_size is 0: the largest that a filter of the chain
 * asks for (LZMA2: three times its dictionary, at least 1 MiB).
 * UINT64_MAX if a filter's options are invalid; 0 if a filter cannot say.
 * (liblzma exports this function for its xz tool but declares it only in
 * its private headers; it is declared here so the whole ABI is visible.) */
extern LZMA_API(uint64_t) lzma_mt_block_size(const lzma_filter *filters)
		lzma_nothrow;

/* Initialize strm as a .lzma encoder (the legacy LZMA_Alone format: 13-byte
 * header with properties, dictionary size and "unknown size", LZMA1 data
 * and an end marker). Actions: LZMA_RUN, LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_alone_encoder(lzma_stream *strm,
		const lzma_options_lzma *options)
		lzma_nothrow lzma_attr_warn_unused_result;

/* An output size that always holds lzma_stream_buffer_encode()'s result
 * for uncompressed_size input bytes (incompressible data is stored).
 * 0 if the bound would overflow size_t. */
extern LZMA_API(size_t) lzma_stream_buffer_bound(size_t uncompressed_size)
		lzma_nothrow;

/* Encode in[0..in_size) as a complete .xz stream with a custom chain and
 * check, appending to out[*out_pos .. out_size).
 * Returns LZMA_OK; LZMA_BUF_ERROR; LZMA_UNSUPPORTED_CHECK;
 * LZMA_OPTIONS_ERROR; LZMA_MEM_ERROR; LZMA_DATA_ERROR; LZMA_PROG_ERROR.
 * On error *out_pos is unchanged. (filters is not const, as in liblzma;
 * it is not modified.) */
extern LZMA_API(lzma_ret) lzma_stream_buffer_encode(
		lzma_filter *filters, lzma_check check,
		const lzma_allocator *allocator,
		const uint8_t *in, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a MicroLZMA encoder (the format of the EROFS file
 * system: LZMA1 data without end marker, whose first byte is replaced by
 * the inverted lc/lp/pb byte). Only LZMA_FINISH is allowed, in one
 * lzma_code() call: the encoder compresses as much input as fits in
 * avail_out bytes and returns LZMA_STREAM_END; total_in tells how much
 * input was consumed (the decoder needs that size). lzma_code() returns
 * LZMA_PROG_ERROR if avail_out is below 6 bytes.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_microlzma_encoder(lzma_stream *strm,
		const lzma_options_lzma *options) lzma_nothrow;

/* ---- decoder flags --------------------------------------------------------
 * Bits for the flags argument of the decoders (and lzma_mt.flags). */

/* Return LZMA_NO_CHECK once if the stream has no integrity check (with
 * lzma_auto_decoder(), every .lzma file). */
#define LZMA_TELL_NO_CHECK UINT32_C(0x01)
/* Return LZMA_UNSUPPORTED_CHECK once if the check cannot be verified
 * (decoding then continues without verifying it). */
#define LZMA_TELL_UNSUPPORTED_CHECK UINT32_C(0x02)
/* Return LZMA_GET_CHECK once the check type is known. */
#define LZMA_TELL_ANY_CHECK UINT32_C(0x04)
/* Decode concatenated streams (and stream padding) until LZMA_FINISH
 * and no more input, as the xz tool does; without it decoding stops at the
 * end of the first stream. */
#define LZMA_CONCATENATED UINT32_C(0x08)
/* Do not verify integrity checks (for recovery of damaged files). The
 * checks of headers and Index are still verified. */
#define LZMA_IGNORE_CHECK UINT32_C(0x10)
/* Report errors as early as possible: the multithreaded decoder then stops
 * at the first error found by any thread, instead of first handing back the
 * data decoded before it. */
#define LZMA_FAIL_FAST UINT32_C(0x20)

/* Initialize strm as an .xz decoder. memlimit: bytes (0 is taken as 1,
 * UINT64_MAX for no limit). flags: any of the decoder flags above.
 * Actions: LZMA_RUN, LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR (unknown flag bits);
 * LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_stream_decoder(lzma_stream *strm,
		uint64_t memlimit, uint32_t flags)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a multithreaded .xz decoder (Blocks that store their
 * sizes are decoded in parallel; other input is decoded in one thread).
 * Output equals lzma_stream_decoder()'s. Options: see lzma_mt.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_MEMLIMIT_ERROR; LZMA_OPTIONS_ERROR
 * (unknown flags, threads out of range); LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_stream_decoder_mt(lzma_stream *strm,
		const lzma_mt *options)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm to decode .xz, .lzma or .lz input, detected from the
 * first bytes. memlimit and flags as lzma_stream_decoder() (.lzma has no
 * integrity check: LZMA_TELL_NO_CHECK reports LZMA_NO_CHECK for it).
 * Returns as lzma_stream_decoder(); lzma_code() returns LZMA_FORMAT_ERROR
 * if the input is none of the three. */
extern LZMA_API(lzma_ret) lzma_auto_decoder(lzma_stream *strm,
		uint64_t memlimit, uint32_t flags)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a .lzma decoder (13-byte header: properties,
 * dictionary size, uncompressed size or all ones for "unknown, end marker
 * follows"). Actions: LZMA_RUN, LZMA_FINISH.
 * memlimit: 0 is taken as 1, UINT64_MAX for no limit.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_PROG_ERROR. lzma_code() returns
 * LZMA_FORMAT_ERROR for a header that is not a plausible .lzma header. */
extern LZMA_API(lzma_ret) lzma_alone_decoder(lzma_stream *strm,
		uint64_t memlimit)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a .lz decoder (lzip format versions 0 and 1; the CRC32
 * of each member is verified). flags: LZMA_CONCATENATED decodes all
 * members (trailing data after the first member that is not a member is
 * then ignored, as lzip does); LZMA_TELL_ANY_CHECK gives LZMA_GET_CHECK
 * (check CRC32); LZMA_IGNORE_CHECK; LZMA_TELL_NO_CHECK,
 * LZMA_TELL_UNSUPPORTED_CHECK and LZMA_FAIL_FAST are accepted and do
 * nothing. lzip's Sync Flush marker (lzip >= 1.6 extension) is not
 * supported: lzma_code() returns LZMA_DATA_ERROR there.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR (unknown flags);
 * LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_lzip_decoder(lzma_stream *strm,
		uint64_t memlimit, uint32_t flags)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode a complete .xz input from in[*in_pos .. in_size) into
 * out[*out_pos .. out_size) in one call. *memlimit is the memory limit; it
 * is changed only on LZMA_MEMLIMIT_ERROR, to the amount that would be
 * needed. flags: decoder flags except LZMA_TELL_ANY_CHECK (which gives
 * LZMA_PROG_ERROR here).
 * Returns LZMA_OK (all decoded); LZMA_FORMAT_ERROR; LZMA_OPTIONS_ERROR;
 * LZMA_DATA_ERROR (also for truncated input); LZMA_NO_CHECK /
 * LZMA_UNSUPPORTED_CHECK (only when asked by flags); LZMA_MEM_ERROR;
 * LZMA_MEMLIMIT_ERROR; LZMA_BUF_ERROR (output space too small);
 * LZMA_PROG_ERROR. On any error *in_pos and *out_pos are unchanged. */
extern LZMA_API(lzma_ret) lzma_stream_buffer_decode(
		uint64_t *memlimit, uint32_t flags,
		const lzma_allocator *allocator,
		const uint8_t *in, size_t *in_pos, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm as a MicroLZMA decoder. comp_size is the exact size of
 * the compressed data; uncomp_size its uncompressed size, exact if
 * uncomp_size_is_exact, otherwise an upper bound (decoding stops there or
 * at the end of the input); dict_size as in lzma_options_lzma.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_microlzma_decoder(lzma_stream *strm,
		uint64_t comp_size, uint64_t uncomp_size,
		lzma_bool uncomp_size_is_exact, uint32_t dict_size) lzma_nothrow;

/* =========================================================================
 * Stream Header and Stream Footer (spec 2.1.1, 2.1.2)
 * ========================================================================= */

/* Both the Stream Header and the Stream Footer are 12 bytes. */
#define LZMA_STREAM_HEADER_SIZE 12

/* The decoded Stream Flags of a Header or Footer. version is 0.
 * backward_size is the size of the Index field (from the Footer;
 * LZMA_VLI_UNKNOWN when decoded from a Header); check the check ID.
 * Layout: 56 bytes. */
typedef struct {
	uint32_t version;
	lzma_vli backward_size;
#define LZMA_BACKWARD_SIZE_MIN 4
#define LZMA_BACKWARD_SIZE_MAX (LZMA_VLI_C(1) << 34)
	lzma_check check;

	lzma_reserved_enum reserved_enum1;
	lzma_reserved_enum reserved_enum2;
	lzma_reserved_enum reserved_enum3;
	lzma_reserved_enum reserved_enum4;
	lzma_bool reserved_bool1;
	lzma_bool reserved_bool2;
	lzma_bool reserved_bool3;
	lzma_bool reserved_bool4;
	lzma_bool reserved_bool5;
	lzma_bool reserved_bool6;
	lzma_bool reserved_bool7;
	lzma_bool reserved_bool8;
	uint32_t reserved_int1;
	uint32_t reserved_int2;
} lzma_stream_flags;

/* Write the 12-byte Stream Header for options (version, check) to out.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (version not 0); LZMA_PROG_ERROR
 * (check ID above LZMA_CHECK_ID_MAX). */
extern LZMA_API(lzma_ret) lzma_stream_header_encode(
		const lzma_stream_flags *options, uint8_t *out)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Write the 12-byte Stream Footer (also uses backward_size, which must be
 * a multiple of 4 in LZMA_BACKWARD_SIZE_MIN..MAX) to out.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (version); LZMA_PROG_ERROR (bad
 * backward_size or check). */
extern LZMA_API(lzma_ret) lzma_stream_footer_encode(
		const lzma_stream_flags *options, uint8_t *out)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode a 12-byte Stream Header from in into *options (backward_size is
 * set to LZMA_VLI_UNKNOWN).
 * Returns LZMA_OK; LZMA_FORMAT_ERROR (magic bytes wrong: not .xz);
 * LZMA_DATA_ERROR (CRC32 mismatch); LZMA_OPTIONS_ERROR (reserved flag bits
 * set: a newer format). In a file, a Header that fails the CRC should be
 * reported as corrupt, not as "not .xz". */
extern LZMA_API(lzma_ret) lzma_stream_header_decode(
		lzma_stream_flags *options, const uint8_t *in)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode a 12-byte Stream Footer from in into *options.
 * Returns LZMA_OK; LZMA_FORMAT_ERROR (footer magic "YZ" wrong);
 * LZMA_DATA_ERROR (CRC32 mismatch); LZMA_OPTIONS_ERROR (reserved bits). */
extern LZMA_API(lzma_ret) lzma_stream_footer_decode(
		lzma_stream_flags *options, const uint8_t *in)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Compare two Stream Flags (e.g. a Header's with its Footer's): version and
 * check, and backward_size unless either is LZMA_VLI_UNKNOWN.
 * Returns LZMA_OK if equal; LZMA_DATA_ERROR if different;
 * LZMA_OPTIONS_ERROR if a version is not 0; LZMA_PROG_ERROR if a value is
 * invalid (check ID above the maximum, bad backward_size). */
extern LZMA_API(lzma_ret) lzma_stream_flags_compare(
		const lzma_stream_flags *a, const lzma_stream_flags *b)
		lzma_nothrow lzma_attr_pure;

/* =========================================================================
 * Blocks (spec 3)
 * ========================================================================= */

/* One .xz Block: header fields, sizes and check. Layout: 208 bytes.
 *
 * version: the struct version the caller understands: 0, or 1 to use
 *   ignore_check. Most functions return LZMA_OPTIONS_ERROR for a larger
 *   value; lzma_block_header_decode() lowers it to 1.
 * header_size: Block Header size in bytes (8..1024, a multiple of 4); set by
 *   lzma_block_header_size(), or from the first header byte with
 *   lzma_block_header_size_decode() before lzma_block_header_decode().
 * check: the stream's check ID (not stored in the Block Header).
 * compressed_size, uncompressed_size: from the header or LZMA_VLI_UNKNOWN;
 *   coders fill them in when done, and verify them when known.
 * filters: the chain (LZMA_FILTERS_MAX + 1 entries when decoding headers).
 * raw_check: the check value of the Block after coding.
 * ignore_check (version >= 1): the block decoder does not verify the
 *   check. */
typedef struct {
	uint32_t version;
	uint32_t header_size;
#define LZMA_BLOCK_HEADER_SIZE_MIN 8
#define LZMA_BLOCK_HEADER_SIZE_MAX 1024
	lzma_check check;
	lzma_vli compressed_size;
	lzma_vli uncompressed_size;
	lzma_filter *filters;
	uint8_t raw_check[LZMA_CHECK_SIZE_MAX];

	void *reserved_ptr1;
	void *reserved_ptr2;
	void *reserved_ptr3;
	uint32_t reserved_int1;
	uint32_t reserved_int2;
	lzma_vli reserved_int3;
	lzma_vli reserved_int4;
	lzma_vli reserved_int5;
	lzma_vli reserved_int6;
	lzma_vli reserved_int7;
	lzma_vli reserved_int8;
	lzma_reserved_enum reserved_enum1;
	lzma_reserved_enum reserved_enum2;
	lzma_reserved_enum reserved_enum3;
	lzma_reserved_enum reserved_enum4;
	lzma_bool ignore_check;
	lzma_bool reserved_bool2;
	lzma_bool reserved_bool3;
	lzma_bool reserved_bool4;
	lzma_bool reserved_bool5;
	lzma_bool reserved_bool6;
	lzma_bool reserved_bool7;
	lzma_bool reserved_bool8;
} lzma_block;

/* The Block Header size encoded in its first byte b (spec 3.1.1). A first
 * byte of 0x00 is not a Block Header but the start of the Index. */
#define lzma_block_header_size_decode(b) (((uint32_t)(b) + 1) * 4)

/* Compute the Block Header size for block's version, sizes and filters and
 * store it in block->header_size.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (unsupported version or filter
 * options); LZMA_PROG_ERROR (invalid sizes or chain). */
extern LZMA_API(lzma_ret) lzma_block_header_size(lzma_block *block)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Write the Block Header (block->header_size bytes, computed by
 * lzma_block_header_size()) to out, with the sizes that are not
 * LZMA_VLI_UNKNOWN.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR; LZMA_PROG_ERROR (header_size wrong
 * for the content, invalid values). */
extern LZMA_API(lzma_ret) lzma_block_header_encode(const lzma_block *block,
		uint8_t *out)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode the Block Header in in[0 .. block->header_size). The caller sets
 * version, header_size, check and points filters at an array of
 * LZMA_FILTERS_MAX + 1 entries; the function fills the sizes and the chain,
 * allocating filter options with allocator (free with lzma_filters_free()).
 * Old options in the filters array are not freed.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (unsupported filter or reserved
 * flags, or a block->version too low for the header's content);
 * LZMA_DATA_ERROR (CRC32 mismatch, bad padding, impossible sizes);
 * LZMA_MEM_ERROR; LZMA_PROG_ERROR (bad header_size, filters NULL). On
 * error no options stay allocated and every filters[] entry is
 * {LZMA_VLI_UNKNOWN, NULL}. */
extern LZMA_API(lzma_ret) lzma_block_header_decode(lzma_block *block,
		const lzma_allocator *allocator, const uint8_t *in)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Set block->compressed_size from the Unpadded Size (header + compressed
 * data + check) read from an Index, after verifying it against
 * header_size, check and a compressed_size already known.
 * Returns LZMA_OK; LZMA_DATA_ERROR (unpadded_size too small for the header
 * and check, or disagreeing with a known compressed_size); LZMA_PROG_ERROR
 * (invalid header_size or check). */
extern LZMA_API(lzma_ret) lzma_block_compressed_size(lzma_block *block,
		lzma_vli unpadded_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* The Unpadded Size (spec 4.3.2: header + compressed data + check, without
 * Block Padding) of a finished block. 0 if a needed value is unknown or
 * invalid. */
extern LZMA_API(lzma_vli) lzma_block_unpadded_size(const lzma_block *block)
		lzma_nothrow lzma_attr_pure;

/* The total size of the Block including Block Padding: the Unpadded Size
 * rounded up to a multiple of 4. 0 if unknown or invalid. */
extern LZMA_API(lzma_vli) lzma_block_total_size(const lzma_block *block)
		lzma_nothrow lzma_attr_pure;

/* Initialize strm to encode the data of one Block (compressed data, Block
 * Padding and check; not the Block Header, which the caller writes after
 * learning the sizes). block must stay valid until LZMA_STREAM_END, when
 * compressed_size, uncompressed_size and raw_check are set. Sizes that are
 * known at init are enforced. Actions: LZMA_RUN, LZMA_SYNC_FLUSH,
 * LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR;
 * LZMA_UNSUPPORTED_CHECK; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_block_encoder(lzma_stream *strm,
		lzma_block *block)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm to decode the data of one Block whose header was decoded
 * into block (which must stay valid). Verifies the sizes in the header,
 * the padding and the check (unless ignore_check); a check type this
 * library cannot compute is skipped unverified. Actions: LZMA_RUN,
 * LZMA_FINISH. Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_OPTIONS_ERROR
 * (unsupported filter); LZMA_PROG_ERROR. lzma_code() then returns
 * LZMA_DATA_ERROR for corrupt data. */
extern LZMA_API(lzma_ret) lzma_block_decoder(lzma_stream *strm,
		lzma_block *block)
		lzma_nothrow lzma_attr_warn_unused_result;

/* An output size that always holds lzma_block_buffer_encode()'s output
 * (Block Header included) for uncompressed_size bytes. 0 on overflow. */
extern LZMA_API(size_t) lzma_block_buffer_bound(size_t uncompressed_size)
		lzma_nothrow;

/* Encode a whole Block (header included) in one call, appending to
 * out[*out_pos .. out_size). If the data does not compress, it is stored
 * in LZMA2 uncompressed chunks. Sets header_size, the sizes and raw_check.
 * Returns LZMA_OK; LZMA_BUF_ERROR; LZMA_UNSUPPORTED_CHECK;
 * LZMA_OPTIONS_ERROR; LZMA_MEM_ERROR; LZMA_DATA_ERROR; LZMA_PROG_ERROR.
 * On error *out_pos is unchanged. */
extern LZMA_API(lzma_ret) lzma_block_buffer_encode(
		lzma_block *block, const lzma_allocator *allocator,
		const uint8_t *in, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Like lzma_block_buffer_encode() but never compresses: the data is stored
 * in LZMA2 uncompressed chunks, block->filters is ignored (the header names
 * LZMA2), and no heap memory is used (hence no allocator).
 * Returns as lzma_block_buffer_encode(). */
extern LZMA_API(lzma_ret) lzma_block_uncomp_encode(lzma_block *block,
		const uint8_t *in, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode one Block's data (its header already decoded into block) from
 * in[*in_pos .. in_size) into out[*out_pos .. out_size) in one call.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR; LZMA_DATA_ERROR (also for truncated
 * input); LZMA_MEM_ERROR; LZMA_BUF_ERROR (output too small);
 * LZMA_PROG_ERROR. On error *in_pos and *out_pos are unchanged. */
extern LZMA_API(lzma_ret) lzma_block_buffer_decode(
		lzma_block *block, const lzma_allocator *allocator,
		const uint8_t *in, size_t *in_pos, size_t in_size,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* =========================================================================
 * Index (spec 4): the list of Blocks of one or more Streams
 * ========================================================================= */

/* An Index held in memory; opaque. */
typedef struct lzma_index_s lzma_index;

/* An iterator over an lzma_index, filled in by lzma_index_iter_next() and
 * lzma_index_iter_locate(). stream describes the Stream containing the
 * current Block, block the Block itself. All offsets are in bytes; "file"
 * offsets count from the start of the first Stream, "stream" offsets from
 * the start of the current one. internal belongs to the library. The
 * iterator stays valid only while the index is not modified.
 * Layout: 304 bytes. */
typedef struct {
	struct {
		/* Stream Flags of this Stream, or NULL if not set with
		 * lzma_index_stream_flags(). */
		const lzma_stream_flags *flags;
		const void *reserved_ptr1;
		const void *reserved_ptr2;
		const void *reserved_ptr3;
		lzma_vli number;              /* 1 for the first Stream */
		lzma_vli block_count;
		lzma_vli compressed_offset;   /* of the Stream Header in the file */
		lzma_vli uncompressed_offset;
		lzma_vli compressed_size;     /* whole Stream, padding excluded */
		lzma_vli uncompressed_size;
		lzma_vli padding;             /* Stream Padding after it */
		lzma_vli reserved_vli1;
		lzma_vli reserved_vli2;
		lzma_vli reserved_vli3;
		lzma_vli reserved_vli4;
	} stream;

	struct {
		lzma_vli number_in_file;      /* 1 for the first Block */
		lzma_vli compressed_file_offset;   /* of its Block Header */
		lzma_vli uncompressed_file_offset;
		lzma_vli number_in_stream;
		lzma_vli compressed_stream_offset;
		lzma_vli uncompressed_stream_offset;
		lzma_vli uncompressed_size;
		lzma_vli unpadded_size;
		lzma_vli total_size;
		lzma_vli reserved_vli1;
		lzma_vli reserved_vli2;
		lzma_vli reserved_vli3;
		lzma_vli reserved_vli4;
		const void *reserved_ptr1;
		const void *reserved_ptr2;
		const void *reserved_ptr3;
		const void *reserved_ptr4;
	} block;

	union {
		const void *p;
		size_t s;
		lzma_vli v;
	} internal[6];
} lzma_index_iter;

/* What lzma_index_iter_next() steps to. */
typedef enum {
	LZMA_INDEX_ITER_ANY = 0,            /* next Stream or Block */
	LZMA_INDEX_ITER_STREAM = 1,         /* next Stream */
	LZMA_INDEX_ITER_BLOCK = 2,          /* next Block */
	LZMA_INDEX_ITER_NONEMPTY_BLOCK = 3  /* next Block with uncompressed
	                                       size > 0 */
} lzma_index_iter_mode;

/* Approximate memory (bytes) an lzma_index with this many Streams and
 * Blocks needs. UINT64_MAX if the counts are out of range. */
extern LZMA_API(uint64_t) lzma_index_memusage(lzma_vli streams,
		lzma_vli blocks) lzma_nothrow;

/* lzma_index_memusage() for the Streams and Blocks currently in i. */
extern LZMA_API(uint64_t) lzma_index_memused(const lzma_index *i)
		lzma_nothrow;

/* A new empty Index holding one Stream with no Blocks, allocated with
 * allocator. NULL if memory runs out. Free with lzma_index_end(). */
extern LZMA_API(lzma_index *) lzma_index_init(const lzma_allocator *allocator)
		lzma_nothrow;

/* Free i and everything it holds (allocator must match the one used to
 * create it). NULL is a no-op. */
extern LZMA_API(void) lzma_index_end(lzma_index *i,
		const lzma_allocator *allocator) lzma_nothrow;

/* Add a Block to the last Stream of i. unpadded_size is the Block's
 * Unpadded Size (LZMA_BLOCK_HEADER_SIZE_MIN+1 .. LZMA_VLI_MAX & ~3),
 * uncompressed_size its uncompressed size.
 * Returns LZMA_OK; LZMA_DATA_ERROR if the Stream or the file would become
 * too big (sizes beyond LZMA_VLI_MAX, Index beyond 16 GiB);
 * LZMA_MEM_ERROR; LZMA_PROG_ERROR (invalid sizes). */
extern LZMA_API(lzma_ret) lzma_index_append(lzma_index *i,
		const lzma_allocator *allocator,
		lzma_vli unpadded_size, lzma_vli uncompressed_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Record the Stream Flags of the last Stream of i (copied). Needed for
 * lzma_index_checks() and the iterator's stream.flags.
 * Returns LZMA_OK; LZMA_OPTIONS_ERROR (unsupported version);
 * LZMA_PROG_ERROR (invalid values). */
extern LZMA_API(lzma_ret) lzma_index_stream_flags(lzma_index *i,
		const lzma_stream_flags *stream_flags)
		lzma_nothrow lzma_attr_warn_unused_result;

/* A bit mask of the check IDs used by the Streams of i: bit (1 << id) for
 * each Stream whose flags are known; the last Stream's check counts only
 * if its flags were set. */
extern LZMA_API(uint32_t) lzma_index_checks(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;

/* Set the size of the Stream Padding after the last Stream of i.
 * Returns LZMA_OK; LZMA_DATA_ERROR (the file would become too big);
 * LZMA_PROG_ERROR (not a multiple of 4, or too big). */
extern LZMA_API(lzma_ret) lzma_index_stream_padding(lzma_index *i,
		lzma_vli stream_padding)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Counts and sizes of an Index (never fail):
 *   stream_count        number of Streams (at least 1)
 *   block_count         number of Blocks in all Streams
 *   size                size in bytes of the Index field that
 *                       lzma_index_encoder() writes for i (all Blocks of all
 *                       Streams in one Index; for a single Stream, the
 *                       Backward Size of its Footer)
 *   stream_size         size of one Stream holding all Blocks of i:
 *                       Header + Blocks + Index + Footer
 *   total_size          sum of the Total Sizes of all Blocks
 *   file_size           size of the whole file: all Streams, their Indexes,
 *                       headers, footers and Stream Padding
 *   uncompressed_size   sum of the uncompressed sizes of all Blocks */
extern LZMA_API(lzma_vli) lzma_index_stream_count(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_block_count(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_size(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_stream_size(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_total_size(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_file_size(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;
extern LZMA_API(lzma_vli) lzma_index_uncompressed_size(const lzma_index *i)
		lzma_nothrow lzma_attr_pure;

/* Start iterating over i: the next lzma_index_iter_next() gives the first
 * Stream/Block. i must outlive the iterator. */
extern LZMA_API(void) lzma_index_iter_init(lzma_index_iter *iter,
		const lzma_index *i) lzma_nothrow;

/* Move the iterator back to before the first Stream/Block. */
extern LZMA_API(void) lzma_index_iter_rewind(lzma_index_iter *iter)
		lzma_nothrow;

/* Step to the next element of the kind mode asks for and fill iter.
 * Returns false (0) on success; true if there is no such element (iter is
 * then unchanged) or mode is invalid. Note the inverted sense. */
extern LZMA_API(lzma_bool) lzma_index_iter_next(lzma_index_iter *iter,
		lzma_index_iter_mode mode)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Point iter at the Block that contains uncompressed offset target (in the
 * whole file). Empty Blocks are never chosen.
 * Returns false (0) on success; true if target is at or beyond the
 * uncompressed size of the file (iter is then unchanged). */
extern LZMA_API(lzma_bool) lzma_index_iter_locate(lzma_index_iter *iter,
		lzma_vli target) lzma_nothrow;

/* Append the Streams of src after those of dest (for concatenated files:
 * the last Stream Padding of dest must have been set). On success src's
 * memory is freed or moved into dest: src and every iterator on it must
 * not be used again. On error both are unchanged.
 * Returns LZMA_OK; LZMA_DATA_ERROR (the result would be too big);
 * LZMA_MEM_ERROR; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_index_cat(lzma_index *dest, lzma_index *src,
		const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* A deep copy of i allocated with allocator; NULL if memory runs out. Free
 * with lzma_index_end(). */
extern LZMA_API(lzma_index *) lzma_index_dup(const lzma_index *i,
		const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm to write an Index field (spec 4) listing every Block of
 * i. i must stay valid and unchanged until LZMA_STREAM_END. Actions:
 * LZMA_RUN, LZMA_FINISH. Returns LZMA_OK; LZMA_MEM_ERROR;
 * LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_index_encoder(lzma_stream *strm,
		const lzma_index *i)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Initialize strm to decode an Index field into a new lzma_index. When
 * lzma_code() returns LZMA_STREAM_END, *i points to it (the caller owns it
 * and frees it with lzma_index_end()); the initializer sets *i to NULL
 * and it stays NULL on any error. memlimit (0 is taken as 1) bounds the
 * Index's memory; exceeding it gives LZMA_MEMLIMIT_ERROR from lzma_code().
 * Actions: LZMA_RUN, LZMA_FINISH.
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_index_decoder(lzma_stream *strm,
		lzma_index **i, uint64_t memlimit)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Write the Index field of i to out[*out_pos .. out_size) in one call.
 * Returns LZMA_OK; LZMA_BUF_ERROR (does not fit; nothing is written);
 * LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_index_buffer_encode(const lzma_index *i,
		uint8_t *out, size_t *out_pos, size_t out_size) lzma_nothrow;

/* Decode an Index field from in[*in_pos .. in_size) in one call into a new
 * lzma_index stored in *i (caller frees with lzma_index_end()).
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_MEMLIMIT_ERROR (*memlimit, changed
 * only in this case, is set to what would be needed); LZMA_DATA_ERROR
 * (corrupt or truncated Index); LZMA_PROG_ERROR. On error *i is NULL and
 * *in_pos unchanged. */
extern LZMA_API(lzma_ret) lzma_index_buffer_decode(lzma_index **i,
		uint64_t *memlimit, const lzma_allocator *allocator,
		const uint8_t *in, size_t *in_pos, size_t in_size) lzma_nothrow;

/* Initialize strm to build the combined Index of a whole .xz file of
 * file_size bytes, reading it from the end (footers, Indexes, padding),
 * as xz --list does. The caller feeds the file from offset 0; whenever
 * lzma_code() returns LZMA_SEEK_NEEDED the caller must seek the input to
 * strm->seek_pos, set next_in/avail_in to data from there, and call
 * lzma_code() again. At LZMA_STREAM_END *dest_index holds the Index (the
 * caller owns it; free with lzma_index_end()). memlimit as in
 * lzma_index_decoder() (lzma_memlimit_set() works).
 * Returns LZMA_OK; LZMA_MEM_ERROR; LZMA_PROG_ERROR. lzma_code() may return
 * LZMA_FORMAT_ERROR, LZMA_DATA_ERROR, LZMA_OPTIONS_ERROR,
 * LZMA_MEMLIMIT_ERROR. */
extern LZMA_API(lzma_ret) lzma_file_info_decoder(lzma_stream *strm,
		lzma_index **dest_index, uint64_t memlimit, uint64_t file_size)
		lzma_nothrow;

/* =========================================================================
 * Index hash: verify an Index against the Blocks without storing it
 * ========================================================================= */

/* Opaque: a running hash of Block sizes (used by stream decoders to check
 * the Index in constant memory). */
typedef struct lzma_index_hash_s lzma_index_hash;

/* Start a new index hash. If index_hash is not NULL it is reset and
 * reused (same allocator); otherwise a new one is allocated. Returns the
 * hash, or NULL if memory runs out. Free with lzma_index_hash_end(). */
extern LZMA_API(lzma_index_hash *) lzma_index_hash_init(
		lzma_index_hash *index_hash, const lzma_allocator *allocator)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Free index_hash (NULL is a no-op). */
extern LZMA_API(void) lzma_index_hash_end(lzma_index_hash *index_hash,
		const lzma_allocator *allocator) lzma_nothrow;

/* Add one decoded Block's sizes to the hash.
 * Returns LZMA_OK; LZMA_DATA_ERROR (sizes overflow the format's limits);
 * LZMA_PROG_ERROR (invalid sizes, or lzma_index_hash_decode() already
 * started). */
extern LZMA_API(lzma_ret) lzma_index_hash_append(lzma_index_hash *index_hash,
		lzma_vli unpadded_size, lzma_vli uncompressed_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Decode the Index field from in[*in_pos .. in_size) (any number of calls)
 * and compare it with the appended Blocks.
 * Returns LZMA_OK (more input needed); LZMA_STREAM_END (Index complete and
 * equal to the Blocks); LZMA_DATA_ERROR (corrupt Index or a mismatch);
 * LZMA_BUF_ERROR (called with no input); LZMA_PROG_ERROR. */
extern LZMA_API(lzma_ret) lzma_index_hash_decode(lzma_index_hash *index_hash,
		const uint8_t *in, size_t *in_pos, size_t in_size)
		lzma_nothrow lzma_attr_warn_unused_result;

/* Size in bytes of the Index field the appended Blocks correspond to. */
extern LZMA_API(lzma_vli) lzma_index_hash_size(
		const lzma_index_hash *index_hash) lzma_nothrow lzma_attr_pure;

/* =========================================================================
 * Hardware
 * ========================================================================= */

/* Total physical memory in bytes; 0 if it cannot be determined. */
extern LZMA_API(uint64_t) lzma_physmem(void) lzma_nothrow;

/* Number of CPU threads this process may run on; 0 if it cannot be
 * determined. */
extern LZMA_API(uint32_t) lzma_cputhreads(void) lzma_nothrow;

#ifdef __cplusplus
}
#endif

#endif /* LZMA_H */
