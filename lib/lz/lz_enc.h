/*
 * lz_enc.h -- the encoder's sliding window and match finders.
 *
 * The window holds the dictionary (the last dict_size bytes the encoder has
 * coded), the bytes the parser has looked at but not coded yet, and input
 * that is not looked at yet:
 *
 *   buf: [ .. dictionary .. | read_ahead | unsearched input | free ]
 *                           ^            ^                  ^
 *                 read_pos - read_ahead  read_pos           write_pos
 *
 * Invariants: read_pos - read_ahead <= read_pos <= write_pos <= size, and
 * read_pos <= read_limit unless the encoder has searched past it (the
 * optimal parser searches up to OPTS positions ahead; keep_after is large
 * enough that this stays below write_pos). Positions in the hash tables
 * are `index in buf + offset`, so moving the window changes offset only;
 * 0 means "empty" and is never within dict_size of a real position.
 *
 * Match finders (liblzma's names and options): hc3, hc4 (hash chains) and
 * bt2, bt3, bt4 (binary trees); nice_len stops a search once a match is
 * that long; depth bounds the candidates tried (0 = 4 + nice_len / 4 for
 * hash chains, 16 + nice_len / 2 for binary trees, as liblzma).
 *
 * Determinism: the result of every search depends only on the bytes and on
 * where flushes happened, never on how the input was split into calls:
 * with LZ_RUN the finder runs only while keep_after bytes follow read_pos.
 *
 * Layer rule: includes only lib/common.
 */
#ifndef CLEARXZ_LZ_ENC_H
#define CLEARXZ_LZ_ENC_H

#include "common/common.h"

#define LZ_MATCH_LEN_MIN 2
#define LZ_MATCH_LEN_MAX 273
/* Bytes after the end of the data that may be read (not used) by the
 * 8-bytes-at-a-time comparison and the 4-byte hash reads. */
#define LZ_BUF_PAD 16

typedef struct {
	uint32_t len;
	uint32_t dist;          /* distance - 1 (0 = the previous byte) */
} lz_match;

/* The most matches one search returns (one per length 2 .. 273). */
#define LZ_MATCHES_MAX (LZ_MATCH_LEN_MAX - LZ_MATCH_LEN_MIN + 1)

typedef enum {
	LZ_RUN,         /* more input follows: search only with full lookahead */
	LZ_SYNC,        /* flushing: search what there is; more data follows */
	LZ_FINISH,      /* the data ends at write_pos */
} lz_mode;

typedef struct lz_mf lz_mf;
struct lz_mf {
	uint8_t *buf;
	uint32_t size;          /* usable bytes of buf (LZ_BUF_PAD more allocated) */
	uint32_t keep_before;   /* bytes kept before read_pos when moving */
	uint32_t keep_after;    /* lookahead needed with LZ_RUN */

	uint32_t read_pos;      /* next position the finder looks at */
	uint32_t read_ahead;    /* positions searched but not yet coded */
	uint32_t read_limit;    /* the finder may be called below this */
	uint32_t write_pos;     /* end of the data */
	uint32_t pending;       /* positions passed unhashed (short lookahead) */
	lz_mode mode;

	uint32_t offset;        /* table position = buf index + offset */
	uint32_t cyclic_pos;    /* slot of read_pos in son[] */
	uint32_t cyclic_size;   /* dict_size + 1 */

	uint32_t *hash;         /* [h2: 1024][h3: 65536][main: hash_mask + 1] */
	uint32_t *son;          /* chains (cyclic_size) or trees (2 x) */
	uint32_t hash_count;    /* entries of hash[] */
	uint32_t son_count;     /* entries of son[] */
	uint32_t hash_shift;    /* main hash = (x * K) >> hash_shift */

	uint32_t nice_len;
	uint32_t depth;
	lzma_match_finder type;
	uint32_t (*find)(lz_mf *mf, lz_match *matches);
	void (*skip)(lz_mf *mf, uint32_t amount);
};

/* Memory the window and tables of these options take, or UINT64_MAX when
 * the options are invalid. before/after: extra bytes the caller needs
 * behind the coded position and ahead of it. */
uint64_t lz_enc_memusage(uint32_t dict_size, lzma_match_finder type,
			 uint32_t before, uint32_t after);

/* Allocate and reset. LZMA_OPTIONS_ERROR for an unknown match finder or a
 * nice_len outside 2..273, LZMA_MEM_ERROR. mf must be zeroed or ended. */
lzma_ret lz_enc_init(lz_mf *mf, const lzma_allocator *a, uint32_t dict_size,
		     lzma_match_finder type, uint32_t nice_len, uint32_t depth,
		     uint32_t before, uint32_t after);
void lz_enc_end(lz_mf *mf, const lzma_allocator *a);

/* Copy input into the window (moving it first when needed) and set the
 * search limit for `mode`. Returns the number of bytes taken. */
size_t lz_enc_fill(lz_mf *mf, const uint8_t *in, size_t in_size, lz_mode mode);

/* The position the encoder codes next. */
static inline const uint8_t *lz_cur(const lz_mf *mf)
{
	return mf->buf + mf->read_pos - mf->read_ahead;
}

/* Bytes from the encoder's position to the end of the data. */
static inline uint32_t lz_avail_cur(const lz_mf *mf)
{
	return mf->write_pos - mf->read_pos + mf->read_ahead;
}

/* Bytes from the finder's position to the end of the data. */
static inline uint32_t lz_avail(const lz_mf *mf)
{
	return mf->write_pos - mf->read_pos;
}

/* Length of the common prefix of a and b, known to be at least len, at
 * most limit. Reads up to 7 bytes past a + limit (LZ_BUF_PAD). */
static inline uint32_t lz_cmplen(const uint8_t *a, const uint8_t *b,
				 uint32_t len, uint32_t limit)
{
	while (len < limit) {
		uint64_t x, y;
		memcpy(&x, a + len, 8);
		memcpy(&y, b + len, 8);
		x ^= y;
		if (x != 0) {
			len += (uint32_t)__builtin_ctzll(x) >> 3;
			return len < limit ? len : limit;
		}
		len += 8;
	}
	return limit;
}

/* Search at the finder's position and advance it (read_ahead + 1). Fills
 * matches[] (lengths strictly increasing) and *count; returns the longest
 * length, extended past nice_len up to 273 when the data allows. */
uint32_t lz_find(lz_mf *mf, lz_match *matches, uint32_t *count);

/* Advance the finder over n positions, inserting them into the tables. */
static inline void lz_skip(lz_mf *mf, uint32_t n)
{
	if (n > 0) {
		mf->read_ahead += n;
		mf->skip(mf, n);
	}
}

#endif
