/*
 * filter_str.c -- filter chains as text: lzma_str_to_filters(),
 * lzma_str_from_filters() and lzma_str_list_filters().
 *
 * The syntax is liblzma's (5.4 and later; xz's --filters= uses it):
 *
 *   chain   := preset | filter { sep filter }
 *   preset  := ["-"] digit {"e"}             e.g. "6", "-9e", "  3  "
 *   sep     := one or more spaces, or "--"
 *   filter  := ["--"] name [ (":" | "=") option { "," option } ]
 *   option  := name "=" value                 empty options (",,") skipped
 *   value   := decimal [suffix] | word        suffix: K|M|G [i] [B]
 *
 * A filter ends at the first space or "--"; its name at the first ':' or
 * '='. Every error returns one fixed English message and an offset into the
 * string: the error positions are part of the behaviour (xz prints a caret
 * under them), so they follow liblzma's exactly. The rule is that the
 * position moves forward past everything that has been accepted, and an
 * error about a value points at the value's start (or at its suffix when
 * the error is about the suffix).
 *
 * All of the knowledge about filters lives in two tables below: the
 * options each filter takes (with their ranges) and the filter names.
 * Parsing, printing and listing are all driven by them.
 */
#include <limits.h>

#include "api/api.h"
#include "container/container.h"

/* ---- the tables ------------------------------------------------------------ */

typedef struct {
	const char *name;
	uint32_t value;
} name_value;

/* How an option's value is stored in the options structure. */
enum opt_store {
	STORE_U32,      /* uint32_t */
	STORE_MODE,     /* lzma_mode (an enum; not necessarily 32-bit) */
	STORE_MF,       /* lzma_match_finder (an enum) */
	STORE_PRESET,   /* not stored: "preset=" resets the whole structure */
};

typedef struct {
	const char *name;
	enum opt_store store;
	size_t offset;                  /* in the options structure */
	const name_value *words;        /* value is one of these words, or */
	uint32_t min, max;              /* an integer in [min, max] */
	bool byte_suffix;               /* KiB/MiB/GiB accepted and printed */
	bool omit_zero;                 /* not printed when 0 */
} option_info;

static const name_value mode_words[] = {
	{ "fast", LZMA_MODE_FAST },
	{ "normal", LZMA_MODE_NORMAL },
	{ NULL, 0 },
};

static const name_value mf_words[] = {
	{ "hc3", LZMA_MF_HC3 },
	{ "hc4", LZMA_MF_HC4 },
	{ "bt2", LZMA_MF_BT2 },
	{ "bt3", LZMA_MF_BT3 },
	{ "bt4", LZMA_MF_BT4 },
	{ NULL, 0 },
};

/* The order is the printing order. The decoder needs only a prefix of it:
 * dict for LZMA2 (its other properties are in the chunk headers), dict, lc,
 * lp and pb for LZMA1. The largest dictionary is the encoder's limit. */
static const option_info lzma_options[] = {
	{ "preset", STORE_PRESET, 0, NULL, 0, 0, false, false },
	{ "dict", STORE_U32, offsetof(lzma_options_lzma, dict_size), NULL,
	  LZMA_DICT_SIZE_MIN, (UINT32_C(1) << 30) + (UINT32_C(1) << 29),
	  true, false },
	{ "lc", STORE_U32, offsetof(lzma_options_lzma, lc), NULL,
	  0, LZMA_LCLP_MAX, false, false },
	{ "lp", STORE_U32, offsetof(lzma_options_lzma, lp), NULL,
	  0, LZMA_LCLP_MAX, false, false },
	{ "pb", STORE_U32, offsetof(lzma_options_lzma, pb), NULL,
	  0, LZMA_PB_MAX, false, false },
	{ "mode", STORE_MODE, offsetof(lzma_options_lzma, mode), mode_words,
	  0, 0, false, false },
	{ "nice", STORE_U32, offsetof(lzma_options_lzma, nice_len), NULL,
	  2, 273, false, false },
	{ "mf", STORE_MF, offsetof(lzma_options_lzma, mf), mf_words,
	  0, 0, false, false },
	{ "depth", STORE_U32, offsetof(lzma_options_lzma, depth), NULL,
	  0, UINT32_MAX, false, false },
};

static const option_info bcj_options[] = {
	{ "start", STORE_U32, offsetof(lzma_options_bcj, start_offset), NULL,
	  0, UINT32_MAX, true, true },
};

static const option_info delta_options[] = {
	{ "dist", STORE_U32, offsetof(lzma_options_delta, dist), NULL,
	  LZMA_DELTA_DIST_MIN, LZMA_DELTA_DIST_MAX, false, false },
};

enum defaults { DEFAULTS_ZERO, DEFAULTS_LZMA, DEFAULTS_DELTA };

typedef struct {
	const char *name;
	lzma_vli id;
	size_t options_size;
	enum defaults defaults;
	const option_info *options;
	uint8_t encoder_count;          /* options[0 .. n) printed for ... */
	uint8_t decoder_count;
	bool null_ok;                   /* options may be NULL */
} filter_text;

#define BCJ_TEXT(n, fid) \
	{ n, fid, sizeof(lzma_options_bcj), DEFAULTS_ZERO, bcj_options, \
	  1, 1, true }

/* The listing order of liblzma 5.8 (riscv was added after arm64). */
static const filter_text filter_texts[] = {
	{ "lzma1", LZMA_FILTER_LZMA1, sizeof(lzma_options_lzma),
	  DEFAULTS_LZMA, lzma_options, 9, 5, false },
	{ "lzma2", LZMA_FILTER_LZMA2, sizeof(lzma_options_lzma),
	  DEFAULTS_LZMA, lzma_options, 9, 2, false },
	BCJ_TEXT("x86", LZMA_FILTER_X86),
	BCJ_TEXT("arm", LZMA_FILTER_ARM),
	BCJ_TEXT("armthumb", LZMA_FILTER_ARMTHUMB),
	BCJ_TEXT("arm64", LZMA_FILTER_ARM64),
	BCJ_TEXT("riscv", LZMA_FILTER_RISCV),
	BCJ_TEXT("powerpc", LZMA_FILTER_POWERPC),
	BCJ_TEXT("ia64", LZMA_FILTER_IA64),
	BCJ_TEXT("sparc", LZMA_FILTER_SPARC),
	{ "delta", LZMA_FILTER_DELTA, sizeof(lzma_options_delta),
	  DEFAULTS_DELTA, delta_options, 1, 1, false },
};

/* Filters whose ID is in the reserved range cannot be stored in .xz. */
static bool xz_allowed(const filter_text *ft)
{
	return ft->id < XZC_FILTER_RESERVED_START;
}

/* ---- parsing ---------------------------------------------------------------
 *
 * Each parser takes `const char **p` (the current position, advanced over
 * what it accepts) and `end` (one past the last character it may read);
 * it returns NULL or an error message, leaving *p where the error is. */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "N" followed by any number of "e": the preset number and flags. The
 * digit is not checked here; lzma_lzma_preset() rejects a bad number. */
static const char *parse_preset(const char **p, const char *end,
				uint32_t *preset)
{
	*preset = (uint32_t)(uint8_t)**p - '0';
	for (++*p; *p < end; ++*p) {
		if (**p != 'e')
			return "Unsupported preset flag";
		*preset |= LZMA_PRESET_EXTREME;
	}
	return NULL;
}

/* Find `len` bytes at s among the words (a NULL name ends the list). */
static const name_value *find_word(const name_value *words, const char *s,
				   size_t len)
{
	for (; words->name != NULL; ++words)
		if (strlen(words->name) == len
		    && memcmp(words->name, s, len) == 0)
			return words;
	return NULL;
}

/* A decimal integer with an optional binary suffix, in [o->min, o->max].
 * On entry *p < end. */
static const char *parse_integer(const option_info *o, const char **p,
				 const char *end, uint32_t *value)
{
	if (!is_digit(**p))
		return "Value is not a non-negative decimal integer";
	const char *s = *p;
	uint64_t v = 0;
	for (; s < end && is_digit(*s); ++s) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return "Value out of range";
	}
	if (s < end) {
		if (!o->byte_suffix) {
			*p = s;
			return "This option does not support any integer "
			       "suffixes";
		}
		unsigned shift = 0;
		switch (*s) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: break;
		}
		/* "K", "Ki", "KB", "KiB": all powers of two. */
		const char *t = s + 1;
		if (t < end && *t == 'i')
			++t;
		if (t < end && *t == 'B')
			++t;
		if (shift == 0 || t != end) {
			*p = s;
			return "Invalid multiplier suffix (KiB, MiB, or GiB)";
		}
		v <<= shift;
		if (v > UINT32_MAX)
			return "Value out of range";
	}
	if (v < o->min || v > o->max)
		return "Value out of range";
	*value = (uint32_t)v;
	return NULL;
}

/* Store one option value (value is non-empty: value < end). */
static const char *set_option(const option_info *o, void *options,
			      const char **p, const char *end)
{
	uint32_t v;
	if (o->store == STORE_PRESET) {
		uint32_t preset;
		const char *err = parse_preset(p, end, &preset);
		if (err != NULL)
			return err;
		if (lzma_lzma_preset(options, preset))
			return "Unsupported preset";
		return NULL;
	}
	if (o->words != NULL) {
		const name_value *w = find_word(o->words, *p,
						(size_t)(end - *p));
		if (w == NULL)
			return "Invalid option value";
		v = w->value;
	} else {
		const char *err = parse_integer(o, p, end, &v);
		if (err != NULL)
			return err;
	}
	uint8_t *field = (uint8_t *)options + o->offset;
	switch (o->store) {
	case STORE_MODE:
		*(lzma_mode *)(void *)field = (lzma_mode)v;
		break;
	case STORE_MF:
		*(lzma_match_finder *)(void *)field = (lzma_match_finder)v;
		break;
	default:
		*(uint32_t *)(void *)field = v;
		break;
	}
	return NULL;
}

/* "name=value,name=value" in [*p, end). Empty items between commas are
 * skipped, so an option held in an empty shell variable does no harm. */
static const char *parse_options(const filter_text *ft, void *options,
				 const char **p, const char *end)
{
	const size_t count = ft->encoder_count;
	while (*p < end) {
		if (**p == ',') {
			++*p;
			continue;
		}
		const char *item_end = memchr(*p, ',', (size_t)(end - *p));
		if (item_end == NULL)
			item_end = end;
		const char *eq = memchr(*p, '=', (size_t)(item_end - *p));
		if (eq == NULL || eq == *p)
			return "Options must be 'name=value' pairs separated "
			       "with commas";
		const option_info *o = NULL;
		for (size_t i = 0; i < count && o == NULL; ++i)
			if (strlen(ft->options[i].name) == (size_t)(eq - *p)
			    && memcmp(ft->options[i].name, *p,
				      (size_t)(eq - *p)) == 0)
				o = &ft->options[i];
		if (o == NULL)
			return "Unknown option name";
		*p = eq + 1;
		if (*p == item_end)
			return "Option value cannot be empty";
		const char *err = set_option(o, options, p, item_end);
		if (err != NULL)
			return err;
		*p = item_end;
	}
	return NULL;
}

/* Fill a freshly zeroed options structure with the filter's defaults:
 * LZMA1/2 start from preset 6, delta from distance 1, BCJ from offset 0. */
static void set_defaults(const filter_text *ft, void *options)
{
	if (ft->defaults == DEFAULTS_LZMA) {
		(void)lzma_lzma_preset(options, LZMA_PRESET_DEFAULT);
	} else if (ft->defaults == DEFAULTS_DELTA) {
		lzma_options_delta *d = options;
		d->type = LZMA_DELTA_TYPE_BYTE;
		d->dist = LZMA_DELTA_DIST_MIN;
	}
}

/* One filter in [*p, end): its name, then its options. *f is written only
 * on success. */
static const char *parse_filter(const char **p, const char *end,
				lzma_filter *f, bool xz_only,
				const lzma_allocator *a)
{
	const char *name_end = *p;
	while (name_end < end && *name_end != ':' && *name_end != '=')
		++name_end;
	const char *opts = name_end < end ? name_end + 1 : end;

	const filter_text *ft = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(filter_texts); ++i)
		if (strlen(filter_texts[i].name) == (size_t)(name_end - *p)
		    && memcmp(filter_texts[i].name, *p,
			      (size_t)(name_end - *p)) == 0)
			ft = &filter_texts[i];
	if (ft == NULL)
		return "Unknown filter name";
	if (xz_only && !xz_allowed(ft))
		return "This filter cannot be used in the .xz format";

	void *options = xzc_alloc_zero(a, ft->options_size);
	if (options == NULL)
		return "Memory allocation failed";
	set_defaults(ft, options);
	*p = opts;
	const char *err = parse_options(ft, options, p, end);
	if (err == NULL && ft->defaults == DEFAULTS_LZMA) {
		const lzma_options_lzma *l = options;
		if (l->lc + l->lp > LZMA_LCLP_MAX)
			err = "The sum of lc and lp must not exceed 4";
	}
	if (err != NULL) {
		xzc_free(a, options);
		return err;
	}
	f->id = ft->id;
	f->options = options;
	return NULL;
}

/* A whole-chain preset: "N[e...]" then only spaces. *p is at the digit. */
static const char *parse_preset_chain(const char **p, lzma_filter *filters,
				      const lzma_allocator *a)
{
	const char *end = strchr(*p, ' ');
	if (end == NULL) {
		end = *p + strlen(*p);
	} else {
		for (const char *s = end; *s != '\0'; ++s)
			if (*s != ' ')
				return "Unsupported preset";
	}
	uint32_t preset;
	const char *err = parse_preset(p, end, &preset);
	if (err != NULL)
		return err;
	lzma_options_lzma *opt = xzc_alloc(a, sizeof(*opt));
	if (opt == NULL)
		return "Memory allocation failed";
	if (lzma_lzma_preset(opt, preset)) {
		xzc_free(a, opt);
		return "Unsupported preset";
	}
	filters[0] = (lzma_filter){ LZMA_FILTER_LZMA2, opt };
	filters[1] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
	return NULL;
}

/* Filters separated by spaces or "--", into a temporary chain that is
 * copied to filters only when everything, validation included, is good. */
static const char *parse_chain(const char **p, lzma_filter *filters,
			       uint32_t flags, const lzma_allocator *a)
{
	lzma_filter tmp[LZMA_FILTERS_MAX + 1];
	size_t n = 0;
	const char *err = NULL;
	do {
		if (n == LZMA_FILTERS_MAX) {
			err = "The maximum number of filters is four";
			break;
		}
		if ((*p)[0] == '-' && (*p)[1] == '-')
			*p += 2;
		const char *end = *p;
		while (*end != '\0' && *end != ' '
		       && !(end[0] == '-' && end[1] == '-'))
			++end;
		if (end == *p) {
			err = "Filter name is missing";
			break;
		}
		err = parse_filter(p, end, &tmp[n],
				   (flags & LZMA_STR_ALL_FILTERS) == 0, a);
		if (err != NULL)
			break;
		++n;
		while (**p == ' ')
			++*p;
	} while (**p != '\0');

	if (err == NULL) {
		tmp[n] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
		size_t count;
		if ((flags & LZMA_STR_NO_VALIDATION) == 0
		    && xzc_filters_validate(tmp, &count) != LZMA_OK)
			err = "Invalid filter chain ('lzma2' missing at the "
			      "end?)";
	}
	if (err != NULL) {
		while (n-- > 0)
			xzc_free(a, tmp[n].options);
		return err;
	}
	memcpy(filters, tmp, (n + 1) * sizeof(tmp[0]));
	return NULL;
}

LZMA_API(const char *) lzma_str_to_filters(const char *str, int *error_pos,
					   lzma_filter *filters,
					   uint32_t flags,
					   const lzma_allocator *a)
{
	if (str == NULL || filters == NULL)
		return "Unexpected NULL pointer argument(s) to "
		       "lzma_str_to_filters()";
	if ((flags & ~(LZMA_STR_ALL_FILTERS | LZMA_STR_NO_VALIDATION)) != 0)
		return "Unsupported flags to lzma_str_to_filters()";

	const char *p = str;
	const char *err;
	while (*p == ' ')
		++p;
	if (*p == '\0') {
		err = "Empty string is not allowed, try \"6\" if a default "
		      "value is needed";
	} else if (is_digit(p[0]) || (p[0] == '-' && is_digit(p[1]))) {
		if (*p == '-')
			++p;
		err = parse_preset_chain(&p, filters, a);
	} else {
		err = parse_chain(&p, filters, flags, a);
	}

	if (error_pos != NULL) {
		const size_t used = (size_t)(p - str);
		*error_pos = used > INT_MAX ? INT_MAX : (int)used;
	}
	return err;
}

/* ---- printing --------------------------------------------------------------
 *
 * Output goes to a fixed buffer that is large enough for every string these
 * functions can make (the longest, the full listing, is under 1 KiB); the
 * caller gets a copy allocated to size. */

typedef struct {
	char buf[2048];
	size_t len;
	bool overflow;
} text;

static void put(text *t, const char *s)
{
	const size_t n = strlen(s);
	if (n >= sizeof(t->buf) - t->len) {
		t->overflow = true;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* v in decimal; with byte_suffix, as KiB/MiB/GiB when an exact multiple. */
static void put_u32(text *t, uint32_t v, bool byte_suffix)
{
	static const char *const suffix[] = { "", "KiB", "MiB", "GiB" };
	size_t s = 0;
	while (byte_suffix && v != 0 && (v & 1023) == 0 && s < 3) {
		v >>= 10;
		++s;
	}
	char digits[12];
	size_t i = sizeof(digits);
	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(t, digits + i);
	put(t, suffix[s]);
}

static lzma_ret finish(text *t, char **out, const lzma_allocator *a)
{
	if (t->overflow)
		return LZMA_PROG_ERROR;
	*out = xzc_alloc(a, t->len + 1);
	if (*out == NULL)
		return LZMA_MEM_ERROR;
	memcpy(*out, t->buf, t->len);
	(*out)[t->len] = '\0';
	return LZMA_OK;
}

static const filter_text *find_filter_text(lzma_vli id)
{
	for (size_t i = 0; i < ARRAY_SIZE(filter_texts); ++i)
		if (filter_texts[i].id == id)
			return &filter_texts[i];
	return NULL;
}

/* The options of one filter, "delim name=value,name=value". Values that
 * are not valid are printed anyway: this function describes, it does not
 * validate (an unknown word prints as UNKNOWN). */
static void put_options(text *t, const filter_text *ft, size_t count,
			const void *options, const char *delim)
{
	for (size_t i = 0; i < count; ++i) {
		const option_info *o = &ft->options[i];
		if (o->store == STORE_PRESET)
			continue;       /* presets are not reconstructed */
		const uint8_t *field = (const uint8_t *)options + o->offset;
		uint32_t v;
		if (o->store == STORE_MODE)
			v = (uint32_t)*(const lzma_mode *)(const void *)field;
		else if (o->store == STORE_MF)
			v = (uint32_t)*(const lzma_match_finder *)
				(const void *)field;
		else
			v = *(const uint32_t *)(const void *)field;
		if (v == 0 && o->omit_zero)
			continue;
		put(t, delim);
		delim = ",";
		put(t, o->name);
		put(t, "=");
		if (o->words != NULL) {
			const name_value *w = o->words;
			while (w->name != NULL && w->value != v)
				++w;
			put(t, w->name != NULL ? w->name : "UNKNOWN");
		} else {
			put_u32(t, v, o->byte_suffix);
		}
	}
}

LZMA_API(lzma_ret) lzma_str_from_filters(char **str,
					 const lzma_filter *filters,
					 uint32_t flags,
					 const lzma_allocator *a)
{
	if (str == NULL)
		return LZMA_PROG_ERROR;
	*str = NULL;
	if (filters == NULL)
		return LZMA_PROG_ERROR;
	if ((flags & ~(LZMA_STR_ENCODER | LZMA_STR_DECODER
		       | LZMA_STR_GETOPT_LONG | LZMA_STR_NO_SPACES)) != 0
	    || filters[0].id == LZMA_VLI_UNKNOWN)
		return LZMA_OPTIONS_ERROR;

	const bool show = (flags & (LZMA_STR_ENCODER | LZMA_STR_DECODER)) != 0;
	const bool getopt = (flags & LZMA_STR_GETOPT_LONG) != 0;
	text *t = xzc_alloc_zero(a, sizeof(*t));
	if (t == NULL)
		return LZMA_MEM_ERROR;

	lzma_ret ret = LZMA_OK;
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i) {
		const filter_text *ft = find_filter_text(filters[i].id);
		if (i == LZMA_FILTERS_MAX || ft == NULL
		    || (show && filters[i].options == NULL && !ft->null_ok)) {
			ret = LZMA_OPTIONS_ERROR;
			break;
		}
		if (i > 0 && (flags & LZMA_STR_NO_SPACES) == 0)
			put(t, " ");
		if (getopt || (i > 0 && (flags & LZMA_STR_NO_SPACES) != 0))
			put(t, "--");
		put(t, ft->name);
		if (show && filters[i].options != NULL)
			put_options(t, ft, (flags & LZMA_STR_ENCODER)
					   ? ft->encoder_count
					   : ft->decoder_count,
				    filters[i].options, getopt ? "=" : ":");
	}
	if (ret == LZMA_OK)
		ret = finish(t, str, a);
	xzc_free(a, t);
	return ret;
}

/* "name=<min-max>" or "name=<word|word>" for each option in the listing. */
static void put_option_help(text *t, const option_info *o)
{
	put(t, o->name);
	put(t, "=<");
	if (o->store == STORE_PRESET) {
		put(t, "0-9[e]");
	} else if (o->words != NULL) {
		for (const name_value *w = o->words; w->name != NULL; ++w) {
			if (w != o->words)
				put(t, "|");
			put(t, w->name);
		}
	} else {
		put_u32(t, o->min, o->byte_suffix);
		put(t, "-");
		put_u32(t, o->max, o->byte_suffix);
	}
	put(t, ">");
}

LZMA_API(lzma_ret) lzma_str_list_filters(char **str, lzma_vli filter_id,
					 uint32_t flags,
					 const lzma_allocator *a)
{
	if (str == NULL)
		return LZMA_PROG_ERROR;
	*str = NULL;
	if ((flags & ~(LZMA_STR_ALL_FILTERS | LZMA_STR_ENCODER
		       | LZMA_STR_DECODER | LZMA_STR_GETOPT_LONG)) != 0)
		return LZMA_OPTIONS_ERROR;

	const bool show = (flags & (LZMA_STR_ENCODER | LZMA_STR_DECODER)) != 0;
	text *t = xzc_alloc_zero(a, sizeof(*t));
	if (t == NULL)
		return LZMA_MEM_ERROR;

	bool any = false;
	for (size_t i = 0; i < ARRAY_SIZE(filter_texts); ++i) {
		const filter_text *ft = &filter_texts[i];
		/* One filter by ID (even a non-.xz one), or all of them. */
		if (filter_id != LZMA_VLI_UNKNOWN ? ft->id != filter_id
		    : (!xz_allowed(ft) && !(flags & LZMA_STR_ALL_FILTERS)))
			continue;
		if (any)
			put(t, show ? "\n" : " ");
		any = true;
		if (flags & LZMA_STR_GETOPT_LONG)
			put(t, "--");
		put(t, ft->name);
		if (!show)
			continue;
		const size_t n = (flags & LZMA_STR_ENCODER) ? ft->encoder_count
							    : ft->decoder_count;
		for (size_t k = 0; k < n; ++k) {
			put(t, k == 0 ? ((flags & LZMA_STR_GETOPT_LONG)
					 ? "=" : ":") : ",");
			put_option_help(t, &ft->options[k]);
		}
	}
	lzma_ret ret = any ? finish(t, str, a) : LZMA_OPTIONS_ERROR;
	xzc_free(a, t);
	return ret;
}
