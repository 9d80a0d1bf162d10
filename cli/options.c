/*
 * options.c -- values on the command line: sizes, presets, filter chains.
 *
 * Sizes take xz's suffixes (KiB, MiB, GiB and their short forms) or
 * "max". Filters given as separate options (--lzma2=dict=...,nice=...,
 * --x86=start=..., --delta=dist=...) are built here; --filters= strings
 * are parsed by liblzma's lzma_str_to_filters(), the one definition of
 * that syntax.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n);
	if (p == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	return p;
}

_Noreturn static void range_error(const char *name, uint64_t min,
				  uint64_t max)
{
	xzc_fatal("Value of the option '%s' must be in the range [%llu, %llu]",
		  name, (unsigned long long)min, (unsigned long long)max);
}

/* k/K = 2^10, m/M = 2^20, g/G = 2^30, optionally followed by "i" and
 * then "B" (any case): "k", "KiB", "Ki", "kB", "MiB", "GB" ... */
static uint64_t suffix_multiplier(const char *s)
{
	uint64_t m;
	switch (s[0]) {
	case 'k': case 'K': m = (uint64_t)1 << 10; break;
	case 'm': case 'M': m = (uint64_t)1 << 20; break;
	case 'g': case 'G': m = (uint64_t)1 << 30; break;
	default: return 0;
	}
	++s;
	if (*s == 'i' || *s == 'I')
		++s;
	if (*s == 'b' || *s == 'B')
		++s;
	return *s == '\0' ? m : 0;
}

uint64_t xzc_str_to_uint64(const char *name, const char *value,
			   uint64_t min, uint64_t max)
{
	const char *p = value;
	while (*p == ' ' || *p == '\t')
		++p;
	if (strcmp(p, "max") == 0)
		return max;
	if (*p < '0' || *p > '9')
		xzc_fatal("%s: Value is not a non-negative decimal integer",
			  xzc_printable(value));
	uint64_t v = 0;
	while (*p >= '0' && *p <= '9') {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			range_error(name, min, max);
		v = v * 10 + d;
		++p;
	}
	if (*p != '\0') {
		uint64_t m = suffix_multiplier(p);
		if (m == 0) {
			xzc_info(V_ERROR, "%s: Invalid multiplier suffix",
				 xzc_printable(p));
			xzc_fatal("Valid suffixes are 'KiB' (2^10), 'MiB' "
				  "(2^20), and 'GiB' (2^30).");
		}
		if (v > UINT64_MAX / m)
			range_error(name, min, max);
		v *= m;
	}
	if (v < min || v > max)
		range_error(name, min, max);
	return v;
}

/* ---- presets ---- */

void xzc_options_set_preset(uint32_t level)
{
	xzc_opt.preset = (xzc_opt.preset & LZMA_PRESET_EXTREME) | level;
	xzc_opt.custom_chain = false;
	xzc_opt.filter_count = 0;
}

void xzc_options_set_extreme(void)
{
	xzc_opt.preset |= LZMA_PRESET_EXTREME;
	xzc_opt.custom_chain = false;
	xzc_opt.filter_count = 0;
}

/* ---- filter options: name=value[,name=value]... ---- */

enum opt_kind { OK_UINT, OK_MODE, OK_MF, OK_PRESET };

struct opt_def {
	const char *name;
	enum opt_kind kind;
	uint64_t min, max;
};

static const struct opt_def lzma_defs[] = {
	{ "preset", OK_PRESET, 0, 0 },
	{ "dict", OK_UINT, LZMA_DICT_SIZE_MIN, (UINT32_C(1) << 30) +
		(UINT32_C(1) << 29) },
	{ "lc", OK_UINT, LZMA_LCLP_MIN, LZMA_LCLP_MAX },
	{ "lp", OK_UINT, LZMA_LCLP_MIN, LZMA_LCLP_MAX },
	{ "pb", OK_UINT, LZMA_PB_MIN, LZMA_PB_MAX },
	{ "mode", OK_MODE, 0, 0 },
	{ "nice", OK_UINT, 2, 273 },
	{ "mf", OK_MF, 0, 0 },
	{ "depth", OK_UINT, 0, UINT32_MAX },
	{ NULL, OK_UINT, 0, 0 },
};

static const struct opt_def bcj_defs[] = {
	{ "start", OK_UINT, 0, UINT32_MAX },
	{ NULL, OK_UINT, 0, 0 },
};

static const struct opt_def delta_defs[] = {
	{ "dist", OK_UINT, LZMA_DELTA_DIST_MIN, LZMA_DELTA_DIST_MAX },
	{ NULL, OK_UINT, 0, 0 },
};

_Noreturn static void bad_value(const char *value)
{
	xzc_fatal("%s: Invalid option value", xzc_printable(value));
}

static void set_lzma_option(lzma_options_lzma *o, unsigned idx,
			    const char *value)
{
	const struct opt_def *d = &lzma_defs[idx];
	switch (d->kind) {
	case OK_PRESET: {
		char *end;
		errno = 0;
		unsigned long lvl = strtoul(value, &end, 10);
		uint32_t preset = (uint32_t)lvl;
		if (end == value || value[0] < '0' || value[0] > '9' || lvl > 9)
			xzc_fatal("Unsupported LZMA1/LZMA2 preset: %s",
				  xzc_printable(value));
		for (; *end != '\0'; ++end) {
			if (*end != 'e')
				xzc_fatal("Unsupported LZMA1/LZMA2 preset: %s",
					  xzc_printable(value));
			preset |= LZMA_PRESET_EXTREME;
		}
		if (lzma_lzma_preset(o, preset))
			xzc_fatal("Unsupported LZMA1/LZMA2 preset: %s",
				  xzc_printable(value));
		return;
	}
	case OK_MODE:
		if (strcmp(value, "fast") == 0)
			o->mode = LZMA_MODE_FAST;
		else if (strcmp(value, "normal") == 0)
			o->mode = LZMA_MODE_NORMAL;
		else
			bad_value(value);
		return;
	case OK_MF: {
		static const struct { const char *n; lzma_match_finder mf; }
		mfs[] = { { "hc3", LZMA_MF_HC3 }, { "hc4", LZMA_MF_HC4 },
			  { "bt2", LZMA_MF_BT2 }, { "bt3", LZMA_MF_BT3 },
			  { "bt4", LZMA_MF_BT4 } };
		for (size_t i = 0; i < sizeof(mfs) / sizeof(mfs[0]); ++i) {
			if (strcmp(value, mfs[i].n) == 0) {
				o->mf = mfs[i].mf;
				return;
			}
		}
		bad_value(value);
	}
	case OK_UINT:
		break;
	}
	uint32_t v = (uint32_t)xzc_str_to_uint64(d->name, value, d->min,
						 d->max);
	switch (idx) {
	case 1: o->dict_size = v; break;
	case 2: o->lc = v; break;
	case 3: o->lp = v; break;
	case 4: o->pb = v; break;
	case 6: o->nice_len = v; break;
	default: o->depth = v; break;
	}
}

/* Splits "a=1,b=2" and calls set() for each known name. */
static void parse_pairs(const char *str, const struct opt_def *defs,
			void (*set)(void *, unsigned, const char *), void *obj)
{
	char *copy = strdup(str);
	if (copy == NULL)
		xzc_fatal("%s", strerror(ENOMEM));
	for (char *tok = strtok(copy, ","); tok != NULL;
			tok = strtok(NULL, ",")) {
		char *eq = strchr(tok, '=');
		if (eq == NULL || eq[1] == '\0')
			xzc_fatal("%s: Options must be 'name=value' pairs "
				  "separated with commas", xzc_printable(str));
		*eq = '\0';
		unsigned i = 0;
		while (defs[i].name != NULL && strcmp(defs[i].name, tok) != 0)
			++i;
		if (defs[i].name == NULL)
			xzc_fatal("%s: Invalid option name",
				  xzc_printable(tok));
		set(obj, i, eq + 1);
	}
	free(copy);
}

static void set_lzma(void *obj, unsigned idx, const char *value)
{
	set_lzma_option(obj, idx, value);
}

static void set_bcj(void *obj, unsigned idx, const char *value)
{
	lzma_options_bcj *o = obj;
	o->start_offset = (uint32_t)xzc_str_to_uint64(bcj_defs[idx].name,
			value, bcj_defs[idx].min, bcj_defs[idx].max);
}

static void set_delta(void *obj, unsigned idx, const char *value)
{
	lzma_options_delta *o = obj;
	o->type = LZMA_DELTA_TYPE_BYTE;
	o->dist = (uint32_t)xzc_str_to_uint64(delta_defs[idx].name, value,
			delta_defs[idx].min, delta_defs[idx].max);
}

void xzc_options_add_filter(lzma_vli id, const char *optstr)
{
	if (!xzc_opt.custom_chain) {
		xzc_opt.custom_chain = true;
		xzc_opt.filter_count = 0;
	}
	if (xzc_opt.filter_count == LZMA_FILTERS_MAX)
		xzc_fatal("Maximum number of filters is four");

	void *opts = NULL;
	if (id == LZMA_FILTER_LZMA1 || id == LZMA_FILTER_LZMA2) {
		lzma_options_lzma *o = xmalloc(sizeof(*o));
		if (lzma_lzma_preset(o, LZMA_PRESET_DEFAULT))
			xzc_fatal("Internal error (bug)");
		if (optstr != NULL)
			parse_pairs(optstr, lzma_defs, set_lzma, o);
		if (o->lc + o->lp > LZMA_LCLP_MAX)
			xzc_fatal("The sum of lc and lp must not exceed 4");
		opts = o;
	} else if (id == LZMA_FILTER_DELTA) {
		lzma_options_delta *o = xmalloc(sizeof(*o));
		o->type = LZMA_DELTA_TYPE_BYTE;
		o->dist = LZMA_DELTA_DIST_MIN;
		if (optstr != NULL)
			parse_pairs(optstr, delta_defs, set_delta, o);
		opts = o;
	} else if (optstr != NULL) {
		lzma_options_bcj *o = xmalloc(sizeof(*o));
		parse_pairs(optstr, bcj_defs, set_bcj, o);
		opts = o;
	}
	xzc_opt.filters[xzc_opt.filter_count].id = id;
	xzc_opt.filters[xzc_opt.filter_count].options = opts;
	++xzc_opt.filter_count;
	xzc_opt.filters[xzc_opt.filter_count].id = LZMA_VLI_UNKNOWN;
}

void xzc_options_set_filter_string(unsigned index, const char *str)
{
	lzma_filter tmp[LZMA_FILTERS_MAX + 1];
	int pos = 0;
	const char *err = lzma_str_to_filters(str, &pos, tmp, 0, NULL);
	if (err != NULL) {
		xzc_info(V_ERROR, "Error in --filters%s=FILTERS option:",
			 index == 0 ? "" : (const char[]){ (char)('0' + index),
							   '\0' });
		xzc_info(V_ERROR, "%s", xzc_printable(str));
		xzc_info(V_ERROR, "%*s^", pos, "");
		xzc_fatal("%s", err);
	}
	if (index == 0) {
		memcpy(xzc_opt.filters, tmp, sizeof(tmp));
		xzc_opt.custom_chain = true;
		xzc_opt.filter_count = 0;
		while (tmp[xzc_opt.filter_count].id != LZMA_VLI_UNKNOWN)
			++xzc_opt.filter_count;
	} else {
		memcpy(xzc_opt.extra_chains[index], tmp, sizeof(tmp));
		xzc_opt.extra_chain_set[index] = true;
	}
}

/* The chain to use: the preset's single LZMA filter unless the command
 * line built one; then the format's rules on what the chain may hold. */
void xzc_options_finish(void)
{
	const bool lzma1_fmt = xzc_opt.format == FORMAT_LZMA
			       || xzc_opt.format == FORMAT_LZIP;
	if (!xzc_opt.custom_chain) {
		lzma_options_lzma *o = xmalloc(sizeof(*o));
		if (lzma_lzma_preset(o, xzc_opt.preset))
			xzc_fatal("Internal error (bug)");
		if (xzc_opt.format == FORMAT_LZIP) {
			/* lzip fixes these three (lzip manual, "File format"). */
			o->lc = 3;
			o->lp = 0;
			o->pb = 2;
		}
		xzc_opt.filters[0].id = lzma1_fmt ? LZMA_FILTER_LZMA1
					: LZMA_FILTER_LZMA2;
		xzc_opt.filters[0].options = o;
		xzc_opt.filters[1].id = LZMA_VLI_UNKNOWN;
		xzc_opt.filter_count = 1;
		if (xzc_opt.format == FORMAT_RAW
				&& xzc_opt.mode != MODE_LIST) {
			xzc_info(V_WARNING, "Using a preset in raw mode is "
				 "discouraged.");
			xzc_info(V_WARNING, "The exact options of the presets "
				 "may vary between software versions.");
		}
		return;
	}
	if (xzc_opt.format == FORMAT_LZMA || xzc_opt.format == FORMAT_LZIP) {
		if (xzc_opt.filter_count != 1
				|| xzc_opt.filters[0].id != LZMA_FILTER_LZMA1)
			xzc_fatal("The .lzma format supports only the LZMA1 "
				  "filter");
	}
	if (xzc_opt.format == FORMAT_XZ) {
		for (size_t i = 0; i < xzc_opt.filter_count; ++i)
			if (xzc_opt.filters[i].id == LZMA_FILTER_LZMA1)
				xzc_fatal("LZMA1 cannot be used with the .xz "
					  "format");
	}
}

void xzc_filters_to_str(char *buf, size_t size, const lzma_filter *f)
{
	char *s = NULL;
	uint32_t flags = LZMA_STR_GETOPT_LONG
		| (xzc_opt.mode == MODE_COMPRESS ? LZMA_STR_ENCODER
		   : LZMA_STR_DECODER);
	if (lzma_str_from_filters(&s, f, flags, NULL) != LZMA_OK || s == NULL) {
		snprintf(buf, size, "%s", "(unknown)");
		return;
	}
	snprintf(buf, size, "%s", s);
	free(s);
}
