/*
 * list.c -- --list: what is inside .xz files, in xz's exact layouts.
 *
 * The index of every stream is read with lzma_file_info_decoder(), which
 * asks us to seek (LZMA_SEEK_NEEDED) instead of reading the whole file.
 * With -vv the block headers and check values are read too. The column
 * widths and the --robot field order are xz's, because scripts parse them
 * (xz's man page, "Robot mode").
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sums over all files for the totals. */
static struct {
	uint64_t files, streams, blocks, comp, uncomp, padding;
	uint32_t checks;        /* bit mask of lzma_check values */
	uint64_t memusage;
	bool all_sizes;
	uint32_t min_version;
} total = { .all_sizes = true, .min_version = 50000002 };

/* Facts that need the block headers (-vv). */
struct deep_info {
	uint64_t memusage;
	bool all_sizes;
	uint32_t min_version;
};

static const char *check_name(uint32_t id)
{
	static const char *const names[] = {
		"None", "CRC32", "Unknown-2", "Unknown-3", "CRC64",
		"Unknown-5", "Unknown-6", "Unknown-7", "Unknown-8",
		"Unknown-9", "SHA-256", "Unknown-11", "Unknown-12",
		"Unknown-13", "Unknown-14", "Unknown-15",
	};
	return id < 16 ? names[id] : "Unknown";
}

static void checks_str(char *buf, size_t size, uint32_t mask,
		       const char *sep)
{
	buf[0] = '\0';
	if (mask == 0)
		mask = 1;   /* no stream at all: shown as "None", like xz */
	for (uint32_t i = 0; i < 16; ++i) {
		if (!(mask & (UINT32_C(1) << i)))
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? sep : "",
			 check_name(i));
	}
}

/* "46.4 KiB (47508 B)" in -v mode: the exact count when it is not
 * already shown in bytes. */
static const char *size_long(uint64_t v, int slot)
{
	static char buf[4][96];
	char *out = buf[slot & 3];
	if (v <= 9999)
		snprintf(out, sizeof(buf[0]), "%s", xzc_fmt_size(v, slot));
	else
		snprintf(out, sizeof(buf[0]), "%s (%llu B)",
			 xzc_fmt_size(v, slot), (unsigned long long)v);
	return out;
}

static void version_str(char *buf, size_t size, uint32_t v)
{
	snprintf(buf, size, "%u.%u.%u", v / 10000000, v / 10000 % 1000,
		 v / 10 % 1000);
}

/* ---- reading the index ---- */

static bool read_at(int fd, const char *name, uint64_t pos, uint8_t *buf,
		    size_t size)
{
	ssize_t n = pread(fd, buf, size, (off_t)pos);
	if (n < 0) {
		xzc_error("%s: Read error: %s", xzc_printable(name),
			  strerror(errno));
		return false;
	}
	if ((size_t)n != size) {
		xzc_error("%s: Unexpected end of file", xzc_printable(name));
		return false;
	}
	return true;
}

static lzma_index *read_index(int fd, const char *name, uint64_t fsize)
{
	static uint8_t buf[64 * 1024];
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_index *idx = NULL;
	uint64_t pos = 0;
	lzma_ret ret = lzma_file_info_decoder(&strm, &idx,
			xzc_hw_memlimit_decompress(), fsize);
	while (ret == LZMA_OK) {
		if (strm.avail_in == 0) {
			ssize_t n = pread(fd, buf, sizeof(buf), (off_t)pos);
			if (n < 0) {
				xzc_error("%s: Read error: %s",
					  xzc_printable(name), strerror(errno));
				lzma_end(&strm);
				return NULL;
			}
			pos += (uint64_t)n;
			strm.next_in = buf;
			strm.avail_in = (size_t)n;
		}
		ret = lzma_code(&strm, LZMA_RUN);
		if (ret == LZMA_SEEK_NEEDED) {
			pos = strm.seek_pos;
			strm.avail_in = 0;
			ret = LZMA_OK;
		}
	}
	if (ret != LZMA_STREAM_END) {
		xzc_error("%s: %s", xzc_printable(name), xzc_strerror_lzma(ret));
		if (ret == LZMA_MEMLIMIT_ERROR)
			xzc_mem_needed(V_ERROR, lzma_memusage(&strm),
				       xzc_hw_memlimit_decompress());
		lzma_end(&strm);
		return NULL;
	}
	lzma_end(&strm);
	return idx;
}

/* ---- -vv: block header details ---- */

struct block_detail {
	char checkval[2 * LZMA_CHECK_SIZE_MAX + 1];
	uint32_t header_size;
	char flags[3];
	uint64_t comp_size;
	uint64_t memusage;
	char filters[256];
};

static uint32_t filter_min_version(const lzma_filter *f)
{
	uint32_t v = 50000002;
	for (size_t i = 0; f[i].id != LZMA_VLI_UNKNOWN; ++i) {
		if (f[i].id == 0x0A && v < 50040002)        /* ARM64 */
			v = 50040002;
		if (f[i].id == 0x0B && v < 50060002)        /* RISC-V */
			v = 50060002;
	}
	return v;
}

static bool block_detail(int fd, const char *name, const lzma_index_iter *it,
			 struct block_detail *d, struct deep_info *deep)
{
	uint8_t hdr[LZMA_BLOCK_HEADER_SIZE_MAX];
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block block;
	const lzma_check check = it->stream.flags->check;
	const uint32_t csize = lzma_check_size(check);

	if (!read_at(fd, name, it->block.compressed_file_offset, hdr, 1))
		return false;
	memset(&block, 0, sizeof(block));
	block.version = 1;
	block.check = check;
	block.filters = filters;
	block.header_size = lzma_block_header_size_decode(hdr[0]);
	if (hdr[0] == 0 || !read_at(fd, name, it->block.compressed_file_offset
				    + 1, hdr + 1, block.header_size - 1))
		goto corrupt;
	lzma_ret ret = lzma_block_header_decode(&block, NULL, hdr);
	if (ret != LZMA_OK) {
		xzc_error("%s: %s", xzc_printable(name), xzc_strerror_lzma(ret));
		return false;
	}
	d->header_size = block.header_size;
	d->flags[0] = block.compressed_size != LZMA_VLI_UNKNOWN ? 'c' : '-';
	d->flags[1] = block.uncompressed_size != LZMA_VLI_UNKNOWN ? 'u' : '-';
	d->flags[2] = '\0';
	if (d->flags[0] != 'c' || d->flags[1] != 'u')
		deep->all_sizes = false;
	if (lzma_block_compressed_size(&block, it->block.unpadded_size)
			!= LZMA_OK)
		goto corrupt_free;
	d->comp_size = block.compressed_size;
	d->memusage = lzma_raw_decoder_memusage(filters);
	if (d->memusage > deep->memusage && d->memusage != UINT64_MAX)
		deep->memusage = d->memusage;
	uint32_t v = filter_min_version(filters);
	if (v > deep->min_version)
		deep->min_version = v;
	xzc_filters_to_str(d->filters, sizeof(d->filters), filters);
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i)
		free(filters[i].options);

	uint8_t cv[LZMA_CHECK_SIZE_MAX];
	if (csize == 0 || csize > LZMA_CHECK_SIZE_MAX) {
		snprintf(d->checkval, sizeof(d->checkval), "---");
		return true;
	}
	/* Block Padding comes before the Check (spec 3.3, 3.4). */
	if (!read_at(fd, name, it->block.compressed_file_offset
		     + it->block.total_size - csize, cv, csize))
		return false;
	/* CRC32 and CRC64 are shown as the numbers they are (stored little
	 * endian), SHA-256 as its bytes in order, as xz shows them. */
	const bool as_number = check == LZMA_CHECK_CRC32
			       || check == LZMA_CHECK_CRC64;
	for (uint32_t i = 0; i < csize; ++i)
		snprintf(d->checkval + 2 * i, 3, "%02x",
			 cv[as_number ? csize - 1 - i : i]);
	return true;

corrupt_free:
	for (size_t i = 0; filters[i].id != LZMA_VLI_UNKNOWN; ++i)
		free(filters[i].options);
corrupt:
	xzc_error("%s: %s", xzc_printable(name),
		  xzc_strerror_lzma(LZMA_DATA_ERROR));
	return false;
}

/* ---- printing ---- */

static void print_streams(lzma_index *idx, bool robot)
{
	lzma_index_iter it;
	char ratio[16];
	lzma_index_iter_init(&it, idx);
	if (!robot)
		printf("  Streams:\n    Stream    Blocks      CompOffset    "
		       "UncompOffset        CompSize      UncompSize  Ratio"
		       "  Check      Padding\n");
	while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM)) {
		const lzma_stream_flags *fl = it.stream.flags;
		snprintf(ratio, sizeof(ratio), "%s", xzc_fmt_ratio(
			 it.stream.compressed_size,
			 it.stream.uncompressed_size, 0));
		printf(robot ? "stream\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t"
		       "%s\t%s\t%llu\n"
		       : "    %6llu %9llu %15llu %15llu %15llu %15llu  %5s  "
		       "%-10s %7llu\n",
		       (unsigned long long)it.stream.number,
		       (unsigned long long)it.stream.block_count,
		       (unsigned long long)it.stream.compressed_offset,
		       (unsigned long long)it.stream.uncompressed_offset,
		       (unsigned long long)it.stream.compressed_size,
		       (unsigned long long)it.stream.uncompressed_size,
		       ratio, check_name(fl->check),
		       (unsigned long long)it.stream.padding);
	}
}

static bool print_blocks(int fd, const char *name, lzma_index *idx,
			 bool robot, bool deep, struct deep_info *di)
{
	lzma_index_iter it;
	uint32_t cv_width = 8;   /* strlen("CheckVal") */
	lzma_index_iter_init(&it, idx);
	while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM)) {
		uint32_t w = 2 * lzma_check_size(it.stream.flags->check);
		if (w > cv_width)
			cv_width = w;
	}
	if (!robot && lzma_index_block_count(idx) > 0) {
		printf("  Blocks:\n    Stream     Block      CompOffset    "
		       "UncompOffset       TotalSize      UncompSize  Ratio"
		       "  Check");
		if (deep)
			printf("      %-*s  Header  Flags        CompSize    "
			       "MemUsage  Filters", (int)cv_width, "CheckVal");
		printf("\n");
	}
	lzma_index_iter_init(&it, idx);
	while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_BLOCK)) {
		char ratio[16];
		struct block_detail d;
		const char *ck = check_name(it.stream.flags->check);
		snprintf(ratio, sizeof(ratio), "%s", xzc_fmt_ratio(
			 it.block.total_size, it.block.uncompressed_size, 0));
		if (deep && !block_detail(fd, name, &it, &d, di))
			return false;
		if (robot)
			printf("block\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t"
			       "%llu\t%s\t%s",
			       (unsigned long long)it.stream.number,
			       (unsigned long long)it.block.number_in_stream,
			       (unsigned long long)it.block.number_in_file,
			       (unsigned long long)it.block.compressed_file_offset,
			       (unsigned long long)it.block.uncompressed_file_offset,
			       (unsigned long long)it.block.total_size,
			       (unsigned long long)it.block.uncompressed_size,
			       ratio, ck);
		else
			printf("    %6llu %9llu %15llu %15llu %15llu %15llu  "
			       "%5s  %s%*s",
			       (unsigned long long)it.stream.number,
			       (unsigned long long)it.block.number_in_stream,
			       (unsigned long long)it.block.compressed_file_offset,
			       (unsigned long long)it.block.uncompressed_file_offset,
			       (unsigned long long)it.block.total_size,
			       (unsigned long long)it.block.uncompressed_size,
			       ratio, ck, deep ? 10 - (int)strlen(ck) : 0, "");
		if (deep && robot)
			printf("\t%s\t%u\t%s\t%llu\t%llu\t%s", d.checkval,
			       (unsigned)d.header_size, d.flags,
			       (unsigned long long)d.comp_size,
			       (unsigned long long)d.memusage, d.filters);
		else if (deep)
			printf(" %-*s  %6u  %-5s %15llu %7s MiB  %s",
			       (int)cv_width, d.checkval,
			       (unsigned)d.header_size, d.flags,
			       (unsigned long long)d.comp_size,
			       xzc_fmt_uint(xzc_round_up_mib(d.memusage), 0),
			       d.filters);
		printf("\n");
	}
	return true;
}

static void print_deep_summary(const struct deep_info *di, bool robot,
			       bool totals)
{
	char ver[32];
	version_str(ver, sizeof(ver), di->min_version);
	if (robot) {
		printf("%s%llu\t%s\t%u\n", totals ? "\t" : "summary\t",
		       (unsigned long long)di->memusage,
		       di->all_sizes ? "yes" : "no", (unsigned)di->min_version);
		return;
	}
	printf("  Memory needed:     %s MiB\n"
	       "  Sizes in headers:  %s\n"
	       "  Minimum XZ Utils version: %s\n",
	       xzc_fmt_uint(xzc_round_up_mib(di->memusage), 0),
	       di->all_sizes ? "Yes" : "No", ver);
}

static void print_summary_verbose(uint64_t streams, uint64_t blocks,
				  uint64_t comp, uint64_t uncomp,
				  uint32_t checks, uint64_t padding)
{
	char ck[128];
	checks_str(ck, sizeof(ck), checks, ", ");
	printf("  Streams:           %llu\n"
	       "  Blocks:            %llu\n"
	       "  Compressed size:   %s\n"
	       "  Uncompressed size: %s\n"
	       "  Ratio:             %s\n"
	       "  Check:             %s\n"
	       "  Stream Padding:    %s\n",
	       (unsigned long long)streams, (unsigned long long)blocks,
	       size_long(comp, 0), size_long(uncomp, 1),
	       xzc_fmt_ratio(comp, uncomp, 2), ck, xzc_fmt_size(padding, 3));
}

static void print_file(int fd, const char *name, lzma_index *idx)
{
	const bool robot = xzc_opt.robot;
	const bool verbose = xzc_verbosity >= V_VERBOSE;
	const bool deep = xzc_verbosity >= V_DEBUG;
	uint64_t comp = lzma_index_file_size(idx);
	uint64_t uncomp = lzma_index_uncompressed_size(idx);
	uint64_t streams = lzma_index_stream_count(idx);
	uint64_t blocks = lzma_index_block_count(idx);
	uint32_t checks = lzma_index_checks(idx);
	uint64_t padding;
	char ck[128];
	struct deep_info di = { 0, true, 50000002 };
	checks_str(ck, sizeof(ck), checks, ",");

	/* lzma_index_stream_padding() is of the last stream only. */
	lzma_index_iter it;
	lzma_index_iter_init(&it, idx);
	padding = 0;
	while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_STREAM))
		padding += it.stream.padding;

	if (robot) {
		printf("name\t%s\nfile\t%llu\t%llu\t%llu\t%llu\t%s\t%s\t%llu\n",
		       name, (unsigned long long)streams,
		       (unsigned long long)blocks, (unsigned long long)comp,
		       (unsigned long long)uncomp,
		       xzc_fmt_ratio(comp, uncomp, 0), ck,
		       (unsigned long long)padding);
	} else if (verbose) {
		print_summary_verbose(streams, blocks, comp, uncomp, checks,
				      padding);
	} else {
		static bool heading_done;
		if (!heading_done)
			printf("Strms  Blocks   Compressed Uncompressed  Ratio"
			       "  Check   Filename\n");
		heading_done = true;
		printf("%5llu %7llu  %11s %12s  %5s  %-7s %s\n",
		       (unsigned long long)streams, (unsigned long long)blocks,
		       xzc_fmt_size(comp, 0), xzc_fmt_size(uncomp, 1),
		       xzc_fmt_ratio(comp, uncomp, 2), ck, xzc_printable(name));
	}
	if (verbose) {
		print_streams(idx, robot);
		if (!print_blocks(fd, name, idx, robot, deep, &di))
			return;
		if (deep)
			print_deep_summary(&di, robot, false);
	}
	++total.files;
	total.streams += streams;
	total.blocks += blocks;
	total.comp += comp;
	total.uncomp += uncomp;
	total.padding += padding;
	total.checks |= checks;
	if (di.memusage > total.memusage)
		total.memusage = di.memusage;
	total.all_sizes = total.all_sizes && di.all_sizes;
	if (di.min_version > total.min_version)
		total.min_version = di.min_version;
}

static unsigned count_files;

void xzc_list_file(const char *name)
{
	static unsigned file_no;
	struct xzc_file f;

	if (count_files == 0)
		count_files = xzc_args_file_count();
	++file_no;
	/* The heading comes first, even for a file that cannot be read. */
	if (xzc_verbosity >= V_VERBOSE && !xzc_opt.robot) {
		if (file_no > 1)
			printf("\n");
		printf("%s (%u/%u)\n", xzc_printable(name), file_no,
		       count_files);
	}
	if (strcmp(name, "-") == 0) {
		xzc_error("--list does not support reading from standard "
			  "input");
		return;
	}
	if (!xzc_file_open_src(&f, name))
		return;
	uint64_t size = (uint64_t)f.src_st.st_size;
	if (size == 0) {
		xzc_error("%s: File is empty", xzc_printable(name));
	} else if (size < 2 * LZMA_STREAM_HEADER_SIZE) {
		xzc_error("%s: Too small to be a valid .xz file",
			  xzc_printable(name));
	} else {
		lzma_index *idx = read_index(f.src_fd, name, size);
		if (idx != NULL) {
			print_file(f.src_fd, name, idx);
			lzma_index_end(idx, NULL);
		}
	}
	close(f.src_fd);
}

void xzc_list_totals(void)
{
	const bool robot = xzc_opt.robot;
	const bool deep = xzc_verbosity >= V_DEBUG;
	char ck[128];
	struct deep_info di = { total.memusage, total.all_sizes,
				total.min_version };
	if (!robot && total.files <= 1)
		return;
	checks_str(ck, sizeof(ck), total.checks, ",");
	if (robot) {
		printf("totals\t%llu\t%llu\t%llu\t%llu\t%s\t%s\t%llu\t%llu",
		       (unsigned long long)total.streams,
		       (unsigned long long)total.blocks,
		       (unsigned long long)total.comp,
		       (unsigned long long)total.uncomp,
		       xzc_fmt_ratio(total.comp, total.uncomp, 0), ck,
		       (unsigned long long)total.padding,
		       (unsigned long long)total.files);
		if (deep)
			print_deep_summary(&di, true, true);
		else
			printf("\n");
		return;
	}
	if (xzc_verbosity >= V_VERBOSE) {
		printf("\nTotals:\n  Number of files:   %llu\n",
		       (unsigned long long)total.files);
		print_summary_verbose(total.streams, total.blocks, total.comp,
				      total.uncomp, total.checks,
				      total.padding);
		if (deep)
			print_deep_summary(&di, false, true);
		return;
	}
	printf("-------------------------------------------------------------"
	       "------------------\n");
	char files[32];
	snprintf(files, sizeof(files), "%llu files",
		 (unsigned long long)total.files);
	printf("%5llu %7llu  %11s %12s  %5s  %-7s %s\n",
	       (unsigned long long)total.streams,
	       (unsigned long long)total.blocks, xzc_fmt_size(total.comp, 0),
	       xzc_fmt_size(total.uncomp, 1),
	       xzc_fmt_ratio(total.comp, total.uncomp, 2), ck, files);
}
