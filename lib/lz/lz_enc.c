/*
 * lz_enc.c -- the encoder's window and its five match finders.
 *
 * Hash chains (hc3, hc4): each position is put at the head of the list of
 * earlier positions with the same hash of its first 3 or 4 bytes; son[]
 * holds, for each position in the dictionary, the previous position of its
 * list. A search walks the list, at most `depth` steps.
 *
 * Binary trees (bt2, bt3, bt4): for each hash, the dictionary positions
 * with that hash form a binary search tree ordered by the bytes that
 * follow them, rebuilt as a splay-like re-rooting at every insertion: the
 * new position becomes the root and the walk from the old root splits the
 * tree into "smaller" and "greater" subtrees. son[2 * slot] is the smaller
 * child, son[2 * slot + 1] the greater one. The walk finds the longest
 * matches on the way, so searching and inserting are one pass.
 *
 * All finders also consult small exact-verify tables for 2- and 3-byte
 * matches (bt4/hc4 use both, hc3/bt3 the 2-byte one), because short close
 * matches are cheap in LZMA even when a 4-byte hash finds nothing.
 *
 * The algorithms are those of liblzma's lz_encoder_mf.c, learnt from its
 * description; the hashing is our own (multiplicative, with every short
 * match verified by comparing bytes).
 */
#include <sys/mman.h>

#include "lz/lz_enc.h"

#define HASH2_COUNT (1u << 10)
#define HASH3_COUNT (1u << 16)
#define HASH3_BASE HASH2_COUNT
#define HASH_GOLDEN 0x9E3779B1u

/* ---- sizes -------------------------------------------------------------- */

static uint32_t hash_bytes_of(lzma_match_finder type)
{
	switch (type) {
	case LZMA_MF_HC3: case LZMA_MF_BT3: return 3;
	case LZMA_MF_HC4: case LZMA_MF_BT4: return 4;
	case LZMA_MF_BT2: return 2;
	default: return 0;
	}
}

static bool is_bt(lzma_match_finder type)
{
	return type == LZMA_MF_BT2 || type == LZMA_MF_BT3 || type == LZMA_MF_BT4;
}

/* Entries of the main hash table minus one (a power of two minus one):
 * about half the dictionary size, so that chains stay short, capped at
 * 2^24 entries. The same sizing as liblzma's, so the memory use per preset
 * matches xz's table. */
static uint32_t main_hash_mask(uint32_t dict_size, uint32_t hash_bytes)
{
	if (hash_bytes == 2)
		return 0xFFFF;
	uint32_t hs = dict_size - 1;
	hs |= hs >> 1;
	hs |= hs >> 2;
	hs |= hs >> 4;
	hs |= hs >> 8;
	hs |= hs >> 16;
	hs >>= 1;
	hs |= 0xFFFF;
	if (hs > (1u << 24)) {
		if (hash_bytes == 3)
			hs = (1u << 24) - 1;
		else
			hs >>= 1;
	}
	return hs;
}

static uint32_t hash_count_of(uint32_t dict_size, uint32_t hash_bytes)
{
	uint32_t n = main_hash_mask(dict_size, hash_bytes) + 1;
	if (hash_bytes > 2)
		n += HASH2_COUNT;
	if (hash_bytes > 3)
		n += HASH3_COUNT;
	return n;
}

static bool dict_ok(uint32_t dict_size)
{
	/* liblzma's encoder limit: 4 KiB .. 1.5 GiB. */
	return dict_size >= LZMA_DICT_SIZE_MIN
	       && dict_size <= (1u << 30) + (1u << 29);
}

/* Bytes of the window: what must be kept, plus slack so that the window
 * moves (a memmove) only once per about dict_size / 2 bytes of input. */
static uint64_t window_size(uint32_t dict_size, uint32_t before, uint32_t after)
{
	uint64_t reserve = dict_size / 2;
	if (reserve > (1u << 30))
		reserve /= 2;
	reserve += (uint64_t)(before + after) / 2 + (1u << 19);
	return (uint64_t)dict_size + before + after + LZ_MATCH_LEN_MAX + reserve;
}

uint64_t lz_enc_memusage(uint32_t dict_size, lzma_match_finder type,
			 uint32_t before, uint32_t after)
{
	const uint32_t hb = hash_bytes_of(type);
	if (hb == 0 || !dict_ok(dict_size))
		return UINT64_MAX;
	const uint64_t cyclic = (uint64_t)dict_size + 1;
	const uint64_t sons = is_bt(type) ? 2 * cyclic : cyclic;
	return window_size(dict_size, before, after) + LZ_BUF_PAD
	       + 4 * (hash_count_of(dict_size, hb) + sons);
}

/* ---- init and window ---------------------------------------------------- */

static uint32_t hc3_find(lz_mf *mf, lz_match *m);
static uint32_t hc4_find(lz_mf *mf, lz_match *m);
static uint32_t bt2_find(lz_mf *mf, lz_match *m);
static uint32_t bt3_find(lz_mf *mf, lz_match *m);
static uint32_t bt4_find(lz_mf *mf, lz_match *m);
static void hc3_skip(lz_mf *mf, uint32_t n);
static void hc4_skip(lz_mf *mf, uint32_t n);
static void bt2_skip(lz_mf *mf, uint32_t n);
static void bt3_skip(lz_mf *mf, uint32_t n);
static void bt4_skip(lz_mf *mf, uint32_t n);

/* The tables are read at random places: with 4 KiB pages nearly every
 * probe of a large table also misses the TLB. Ask the kernel for huge
 * pages on the 2 MiB-aligned inside of each large block (a hint; the
 * memory is ours whichever allocator gave it). */
static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)1 << 21;
	if (size < 2 * huge)
		return;
	const uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	const uintptr_t hi = ((uintptr_t)p + size) & ~(huge - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

static void set_functions(lz_mf *mf)
{
	switch (mf->type) {
	case LZMA_MF_HC3: mf->find = hc3_find; mf->skip = hc3_skip; break;
	case LZMA_MF_HC4: mf->find = hc4_find; mf->skip = hc4_skip; break;
	case LZMA_MF_BT2: mf->find = bt2_find; mf->skip = bt2_skip; break;
	case LZMA_MF_BT3: mf->find = bt3_find; mf->skip = bt3_skip; break;
	default:          mf->find = bt4_find; mf->skip = bt4_skip; break;
	}
}

lzma_ret lz_enc_init(lz_mf *mf, const lzma_allocator *a, uint32_t dict_size,
		     lzma_match_finder type, uint32_t nice_len, uint32_t depth,
		     uint32_t before, uint32_t after)
{
	const uint32_t hb = hash_bytes_of(type);
	if (hb == 0 || !dict_ok(dict_size) || nice_len < LZ_MATCH_LEN_MIN
	    || nice_len > LZ_MATCH_LEN_MAX)
		return LZMA_OPTIONS_ERROR;
	/* A search needs the hashed bytes: nice_len below them means them. */
	if (nice_len < hb)
		nice_len = hb;

	const uint64_t wsize = window_size(dict_size, before, after);
	if (wsize > UINT32_MAX - LZ_BUF_PAD)
		return LZMA_OPTIONS_ERROR;
	memset(mf, 0, sizeof(*mf));
	mf->type = type;
	mf->size = (uint32_t)wsize;
	mf->keep_before = dict_size + before;
	mf->keep_after = after + LZ_MATCH_LEN_MAX;
	mf->cyclic_size = dict_size + 1;
	mf->offset = mf->cyclic_size;
#ifdef CLEARXZ_DEBUG
	/* Debug builds (the sanitizer and fuzz runs) start the positions
	 * 1 MiB below the wrap, so that normalize() runs on every input
	 * above 1 MiB instead of only after 4 GiB. */
	if (mf->cyclic_size < UINT32_MAX - (1u << 21))
		mf->offset = UINT32_MAX - (1u << 20);
#endif
	mf->nice_len = nice_len;
	mf->depth = depth != 0 ? depth
		    : is_bt(type) ? 16 + nice_len / 2 : 4 + nice_len / 4;
	mf->hash_count = hash_count_of(dict_size, hb);
	mf->son_count = is_bt(type) ? 2 * mf->cyclic_size : mf->cyclic_size;
	const uint32_t mask = main_hash_mask(dict_size, hb);
	mf->hash_shift = 32 - (uint32_t)__builtin_popcount(mask);
	set_functions(mf);

	/* Zeroed memory: "empty" table entries are 0, and the padding after
	 * the data that lz_cmplen() may read is defined. calloc gets it from
	 * fresh pages for free. */
	mf->buf = xzc_alloc_zero(a, (size_t)mf->size + LZ_BUF_PAD);
	mf->hash = xzc_alloc_zero(a, (size_t)mf->hash_count * 4);
	mf->son = xzc_alloc(a, (size_t)mf->son_count * 4);
	if (mf->buf == NULL || mf->hash == NULL || mf->son == NULL) {
		lz_enc_end(mf, a);
		return LZMA_MEM_ERROR;
	}
	advise_huge(mf->hash, (size_t)mf->hash_count * 4);
	advise_huge(mf->son, (size_t)mf->son_count * 4);
	advise_huge(mf->buf, mf->size);
	return LZMA_OK;
}

void lz_enc_end(lz_mf *mf, const lzma_allocator *a)
{
	xzc_free(a, mf->buf);
	xzc_free(a, mf->hash);
	xzc_free(a, mf->son);
	mf->buf = NULL;
	mf->hash = NULL;
	mf->son = NULL;
}

/* Slide the data down so that keep_before bytes stay before read_pos. */
static void move_window(lz_mf *mf)
{
	const uint32_t keep_from = mf->read_pos - mf->read_ahead;
	if (keep_from <= mf->keep_before)
		return;
	/* Multiple of 16 keeps the buffer's alignment for the data. */
	const uint32_t move = (keep_from - mf->keep_before) & ~15u;
	memmove(mf->buf, mf->buf + move, mf->write_pos - move);
	mf->offset += move;
	mf->read_pos -= move;
	mf->read_limit = mf->read_limit > move ? mf->read_limit - move : 0;
	mf->write_pos -= move;
}

size_t lz_enc_fill(lz_mf *mf, const uint8_t *in, size_t in_size, lz_mode mode)
{
	/* Once the finder is within keep_after of the end, slide. */
	if (mf->read_pos >= mf->size - mf->keep_after)
		move_window(mf);

	size_t n = mf->size - mf->write_pos;
	if (n > in_size)
		n = in_size;
	if (n > 0)
		memcpy(mf->buf + mf->write_pos, in, n);
	mf->write_pos += (uint32_t)n;

	mf->mode = (n == in_size) ? mode : LZ_RUN;
	if (mf->mode == LZ_RUN)
		mf->read_limit = mf->write_pos > mf->keep_after
				 ? mf->write_pos - mf->keep_after : 0;
	else
		mf->read_limit = mf->write_pos;

	/* Positions passed without hashing at a flush (too little data
	 * followed them then) go into the tables now that more is here. */
	if (mf->pending > 0 && mf->read_pos < mf->read_limit) {
		const uint32_t p = mf->pending;
		mf->pending = 0;
		mf->read_pos -= p;
		mf->skip(mf, p);
	}
	return n;
}

/* ---- position bookkeeping ---------------------------------------------- */

/* Table values are positions + offset; when they would wrap, subtract the
 * same amount from every entry: entries older than the dictionary become
 * 0 ("empty"), younger ones keep their distances. */
static NOINLINE void normalize(lz_mf *mf)
{
	const uint32_t sub = UINT32_MAX - mf->cyclic_size;
	for (uint32_t i = 0; i < mf->hash_count; ++i)
		mf->hash[i] = mf->hash[i] <= sub ? 0 : mf->hash[i] - sub;
	for (uint32_t i = 0; i < mf->son_count; ++i)
		mf->son[i] = mf->son[i] <= sub ? 0 : mf->son[i] - sub;
	mf->offset -= sub;
}

FORCE_INLINE void move_pos(lz_mf *mf)
{
	if (++mf->cyclic_pos == mf->cyclic_size)
		mf->cyclic_pos = 0;
	++mf->read_pos;
	if (unlikely(mf->read_pos + mf->offset == UINT32_MAX))
		normalize(mf);
}

/* Too little data after read_pos to hash it: pass it, remember it. */
FORCE_INLINE void move_pending(lz_mf *mf)
{
	++mf->read_pos;
	++mf->pending;
}

uint32_t lz_find(lz_mf *mf, lz_match *matches, uint32_t *count)
{
	const uint32_t n = mf->find(mf, matches);
	uint32_t len = 0;
	if (n > 0) {
		len = matches[n - 1].len;
		if (len == mf->nice_len) {
			/* The finder stops at nice_len; the match itself may go
			 * on, up to the format's maximum. */
			const uint8_t *cur = mf->buf + mf->read_pos - 1;
			uint32_t limit = mf->write_pos - mf->read_pos + 1;
			if (limit > LZ_MATCH_LEN_MAX)
				limit = LZ_MATCH_LEN_MAX;
			len = lz_cmplen(cur, cur - matches[n - 1].dist - 1,
					len, limit);
		}
	}
	*count = n;
	++mf->read_ahead;
	return len;
}

/* ---- the shared search bodies ------------------------------------------- */

static inline uint32_t read32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint32_t read16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* Walk a hash chain from cur_match; record each match longer than
 * len_best. Puts read_pos at the head of its chain. */
FORCE_INLINE lz_match *hc_walk(lz_mf *mf, const uint8_t *cur, uint32_t pos,
			       uint32_t cur_match, uint32_t len_limit,
			       uint32_t len_best, lz_match *m)
{
	uint32_t *son = mf->son;
	const uint32_t cpos = mf->cyclic_pos;
	const uint32_t csize = mf->cyclic_size;
	uint32_t depth = mf->depth;
	son[cpos] = cur_match;
	while (depth-- > 0) {
		const uint32_t delta = pos - cur_match;
		if (delta >= csize)
			break;
		const uint8_t *pb = cur - delta;
		cur_match = son[cpos - delta + (delta > cpos ? csize : 0)];
		if (pb[len_best] == cur[len_best] && pb[0] == cur[0]) {
			const uint32_t len = lz_cmplen(pb, cur, 1, len_limit);
			if (len > len_best) {
				len_best = len;
				m->len = len;
				m->dist = delta - 1;
				++m;
				if (len == len_limit)
					break;
			}
		}
	}
	return m;
}

/* Walk and re-root a binary tree (see the file comment). With m == NULL
 * it only inserts (skip). */
FORCE_INLINE lz_match *bt_walk(lz_mf *mf, const uint8_t *cur, uint32_t pos,
			       uint32_t cur_match, uint32_t len_limit,
			       uint32_t len_best, lz_match *m)
{
	uint32_t *son = mf->son;
	const uint32_t cpos = mf->cyclic_pos;
	const uint32_t csize = mf->cyclic_size;
	uint32_t depth = mf->depth;
	uint32_t *ptr0 = son + 2 * cpos + 1;  /* where the next greater goes */
	uint32_t *ptr1 = son + 2 * cpos;      /* where the next smaller goes */
	uint32_t len0 = 0, len1 = 0;          /* prefix known equal per side */

	while (true) {
		const uint32_t delta = pos - cur_match;
		if (depth-- == 0 || delta >= csize) {
			*ptr0 = 0;
			*ptr1 = 0;
			return m;
		}
		uint32_t *pair = son + 2 * (cpos - delta
					    + (delta > cpos ? csize : 0));
		const uint8_t *pb = cur - delta;
		uint32_t len = len0 < len1 ? len0 : len1;
		if (pb[len] == cur[len]) {
			len = lz_cmplen(pb, cur, len + 1, len_limit);
			if (m != NULL && len > len_best) {
				len_best = len;
				m->len = len;
				m->dist = delta - 1;
				++m;
			}
			if (len == len_limit) {
				/* Equal as far as we may look: the old node
				 * is replaced by the new one. */
				*ptr1 = pair[0];
				*ptr0 = pair[1];
				return m;
			}
		}
		if (pb[len] < cur[len]) {
			*ptr1 = cur_match;
			ptr1 = pair + 1;
			cur_match = *ptr1;
			len1 = len;
		} else {
			*ptr0 = cur_match;
			ptr0 = pair;
			cur_match = *ptr0;
			len0 = len;
		}
	}
}

/* The lookahead for a search at read_pos, or 0 when the position must be
 * passed unhashed: fewer bytes than the hash covers, or (trees) fewer than
 * nice_len while more data will follow -- a tree node compared on a
 * truncated string would be misplaced once the rest arrives. */
FORCE_INLINE uint32_t len_limit_of(const lz_mf *mf, uint32_t hb, bool bt)
{
	const uint32_t avail = mf->write_pos - mf->read_pos;
	if (avail >= mf->nice_len)
		return mf->nice_len;
	if (avail < hb || (bt && mf->mode != LZ_FINISH))
		return 0;
	return avail;
}

typedef struct {
	uint32_t h2, h3, hm;    /* indexes into mf->hash */
} hashes;

FORCE_INLINE hashes hash_of(const lz_mf *mf, const uint8_t *cur, uint32_t hb)
{
	hashes h = { 0, 0, 0 };
	const uint32_t v = read32(cur);
	if (hb == 2) {
		h.hm = v & 0xFFFF;
		return h;
	}
	h.h2 = ((v & 0xFFFF) * HASH_GOLDEN) >> 22;
	if (hb == 3) {
		h.hm = HASH2_COUNT
		       + (((v & 0xFFFFFF) * HASH_GOLDEN) >> mf->hash_shift);
		return h;
	}
	h.h3 = HASH3_BASE + (((v & 0xFFFFFF) * 0x85EBCA77u) >> 16);
	h.hm = HASH2_COUNT + HASH3_COUNT + ((v * HASH_GOLDEN) >> mf->hash_shift);
	return h;
}

/* One search (m != NULL) or one insertion (m == NULL) at read_pos, for
 * the finder with hb hash bytes, chains or trees. Returns the number of
 * matches written. */
FORCE_INLINE uint32_t find_generic(lz_mf *mf, lz_match *m, uint32_t hb,
				   bool bt)
{
	const uint32_t len_limit = len_limit_of(mf, hb, bt);
	if (len_limit == 0) {
		move_pending(mf);
		return 0;
	}
	const uint8_t *cur = mf->buf + mf->read_pos;
	const uint32_t pos = mf->read_pos + mf->offset;
	const hashes h = hash_of(mf, cur, hb);
	uint32_t *hash = mf->hash;
	const uint32_t cur_match = hash[h.hm];
	uint32_t d2 = 0, d3 = 0;
	if (hb >= 3) {
		d2 = pos - hash[h.h2];
		hash[h.h2] = pos;
	}
	if (hb == 4) {
		d3 = pos - hash[h.h3];
		hash[h.h3] = pos;
	}
	hash[h.hm] = pos;
	/* The next call works on the next position: start loading its
	 * main-table entry now, a likely cache miss otherwise. */
	__builtin_prefetch(&hash[hash_of(mf, cur + 1, hb).hm]);

	lz_match *const first = m;
	uint32_t len_best = hb - 1;
	if (m != NULL && hb >= 3) {
		/* Short matches from the small tables, verified. */
		uint32_t best_delta = 0;
		len_best = 1;
		if (d2 < mf->cyclic_size && read16(cur - d2) == read16(cur)) {
			len_best = 2;
			m->len = 2;
			m->dist = d2 - 1;
			++m;
			best_delta = d2;
		}
		if (hb == 4 && d3 != d2 && d3 < mf->cyclic_size
		    && ((read32(cur - d3) ^ read32(cur)) & 0xFFFFFF) == 0) {
			len_best = 3;
			m->len = 3;
			m->dist = d3 - 1;
			++m;
			best_delta = d3;
		}
		if (m != first) {
			len_best = lz_cmplen(cur - best_delta, cur, len_best,
					     len_limit);
			m[-1].len = len_best;
			if (len_best == len_limit) {
				/* Long enough: insert without searching. */
				if (bt)
					bt_walk(mf, cur, pos, cur_match,
						len_limit, len_limit, NULL);
				else
					mf->son[mf->cyclic_pos] = cur_match;
				move_pos(mf);
				return (uint32_t)(m - first);
			}
		}
		if (len_best < hb - 1)
			len_best = hb - 1;
	}
	if (bt)
		m = bt_walk(mf, cur, pos, cur_match, len_limit, len_best, m);
	else if (m != NULL)
		m = hc_walk(mf, cur, pos, cur_match, len_limit, len_best, m);
	else
		mf->son[mf->cyclic_pos] = cur_match;
	move_pos(mf);
	return m == NULL ? 0 : (uint32_t)(m - first);
}

/* ---- the ten entry points ----------------------------------------------- */

static uint32_t hc3_find(lz_mf *mf, lz_match *m) { return find_generic(mf, m, 3, false); }
static uint32_t hc4_find(lz_mf *mf, lz_match *m) { return find_generic(mf, m, 4, false); }
static uint32_t bt2_find(lz_mf *mf, lz_match *m) { return find_generic(mf, m, 2, true); }
static uint32_t bt3_find(lz_mf *mf, lz_match *m) { return find_generic(mf, m, 3, true); }
static uint32_t bt4_find(lz_mf *mf, lz_match *m) { return find_generic(mf, m, 4, true); }

static void hc3_skip(lz_mf *mf, uint32_t n) { while (n-- > 0) find_generic(mf, NULL, 3, false); }
static void hc4_skip(lz_mf *mf, uint32_t n) { while (n-- > 0) find_generic(mf, NULL, 4, false); }
static void bt2_skip(lz_mf *mf, uint32_t n) { while (n-- > 0) find_generic(mf, NULL, 2, true); }
static void bt3_skip(lz_mf *mf, uint32_t n) { while (n-- > 0) find_generic(mf, NULL, 3, true); }
static void bt4_skip(lz_mf *mf, uint32_t n) { while (n-- > 0) find_generic(mf, NULL, 4, true); }
