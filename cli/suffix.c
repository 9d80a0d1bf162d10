/*
 * suffix.c -- the name of the output file, from the input's name.
 *
 * Compressing adds .xz, .lzma or .lz (or -S's suffix); a name that already
 * ends in a suffix of the target format is skipped with a warning, so that
 * "clearxz *" run twice does not make foo.xz.xz. Decompressing removes a
 * known suffix: .xz, .lzma, .lz, or -S's; .txz and .tlz become .tar.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct suffix_pair {
	const char *compressed;
	const char *uncompressed;
	enum xzc_format format;
};

static const struct suffix_pair known[] = {
	{ ".xz", "", FORMAT_XZ },
	{ ".txz", ".tar", FORMAT_XZ },
	{ ".lzma", "", FORMAT_LZMA },
	{ ".tlz", ".tar", FORMAT_LZMA },
	{ ".lz", "", FORMAT_LZIP },
};
#define N_KNOWN (sizeof(known) / sizeof(known[0]))

/* Length of name without suffix, or 0 if name does not end with suffix
 * or is nothing but the suffix. */
static size_t base_len(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	if (n <= s || strcmp(name + n - s, suffix) != 0)
		return 0;
	/* "dir/.xz" has no base name either. */
	if (name[n - s - 1] == '/')
		return 0;
	return n - s;
}

void xzc_suffix_check(const char *suf)
{
	if (suf[0] == '\0' || strchr(suf, '/') != NULL)
		xzc_fatal("%s: Invalid filename suffix", xzc_printable(suf));
}

static char *concat(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	char *r = malloc(alen + blen + 1);
	if (r == NULL)
		xzc_fatal("%s", "Cannot allocate memory");
	memcpy(r, a, alen);
	memcpy(r + alen, b, blen + 1);
	return r;
}

static bool format_matches(enum xzc_format want, enum xzc_format have)
{
	return want == FORMAT_AUTO || want == have;
}

static char *raw_needs_suffix(const char *name)
{
	xzc_error("%s: With --format=raw, --suffix=.SUF is required unless "
		  "writing to stdout", xzc_printable(name));
	return NULL;
}

static char *compressed_name(const char *name)
{
	enum xzc_format fmt = xzc_opt.format;
	for (size_t i = 0; i < N_KNOWN; ++i) {
		if (known[i].format == fmt
				&& base_len(name, known[i].compressed) != 0) {
			xzc_warning("%s: File already has '%s' suffix, skipping",
				    xzc_printable(name), known[i].compressed);
			return NULL;
		}
	}
	const char *suf = xzc_opt.suffix;
	if (suf != NULL && base_len(name, suf) != 0) {
		xzc_warning("%s: File already has '%s' suffix, skipping",
			    xzc_printable(name), xzc_printable(suf));
		return NULL;
	}
	if (suf == NULL) {
		switch (fmt) {
		case FORMAT_LZMA: suf = ".lzma"; break;
		case FORMAT_LZIP: suf = ".lz"; break;
		case FORMAT_RAW: return raw_needs_suffix(name);
		default: suf = ".xz"; break;
		}
	}
	return concat(name, strlen(name), suf);
}

static char *uncompressed_name(const char *name)
{
	size_t len;
	if (xzc_opt.suffix != NULL
			&& (len = base_len(name, xzc_opt.suffix)) != 0)
		return concat(name, len, "");
	if (xzc_opt.format == FORMAT_RAW) {
		if (xzc_opt.suffix == NULL)
			return raw_needs_suffix(name);
	} else {
		for (size_t i = 0; i < N_KNOWN; ++i) {
			if (!format_matches(xzc_opt.format, known[i].format))
				continue;
			len = base_len(name, known[i].compressed);
			if (len != 0)
				return concat(name, len, known[i].uncompressed);
		}
	}
	xzc_warning("%s: Filename has an unknown suffix, skipping",
		    xzc_printable(name));
	return NULL;
}

char *xzc_suffix_dest_name(const char *src_name)
{
	if (xzc_opt.mode == MODE_COMPRESS)
		return compressed_name(src_name);
	return uncompressed_name(src_name);
}
