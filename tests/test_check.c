/*
 * test_check.c -- CRC32, CRC64 and SHA-256 (lib/check/).
 *
 *  - known values: the "123456789" check values of the CRC catalogues and
 *    the FIPS 180-2 appendix B SHA-256 examples;
 *  - every split of an input into two updates gives the one-shot value;
 *  - lzma_crc32/lzma_crc64 equal the system liblzma's on seeded random data
 *    of many sizes and alignments (loaded with dlopen, so its symbols never
 *    meet ours);
 *  - the accelerated and the portable path agree, and the whole program
 *    runs a second time with CLEARXZ_PORTABLE=1 (read only at the first
 *    call, hence a re-exec) so the dispatch itself is tested both ways.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "check/check.h"
#include "check/crc_impl.h"
#include "check/sha256_impl.h"
#include "common/cpu.h"

static const char *mode;        /* "default" or "portable" */

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* splitmix64: deterministic, good enough for test data */
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void fill_random(uint8_t *buf, size_t size, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)rng();
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_known_crc(void)
{
	const uint8_t *s = (const uint8_t *)"123456789";
	t_begin("%s: crc32 and crc64 check values", mode);
	CHECK_EQ(lzma_crc32(s, 9, 0), 0xCBF43926);
	CHECK(lzma_crc64(s, 9, 0) == UINT64_C(0x995DC9BBDF1939FA));
	CHECK_EQ(lzma_crc32(NULL, 0, 0), 0);
	CHECK(lzma_crc64(NULL, 0, 0) == 0);
	CHECK_EQ(lzma_crc32(NULL, 0, 0x12345678), 0x12345678);
	/* The portable functions too, whatever the dispatch chose. */
	CHECK_EQ(xzc_crc32_portable(0, s, 9), 0xCBF43926);
	CHECK(xzc_crc64_portable(0, s, 9) == UINT64_C(0x995DC9BBDF1939FA));
}

static void sha256_hex(const void *data, size_t size, char out[65])
{
	xzc_sha256_state st;
	uint8_t digest[32];
	xzc_sha256_init(&st);
	xzc_sha256_update(&st, data, size);
	xzc_sha256_finish(&st, digest);
	hex(digest, 32, out);
}

static void test_known_sha256(void)
{
	char got[65];
	t_begin("%s: sha256 FIPS examples", mode);
	sha256_hex("abc", 3, got);
	CHECK(strcmp(got, "ba7816bf8f01cfea414140de5dae2223"
			  "b00361a396177a9cb410ff61f20015ad") == 0);
	sha256_hex("", 0, got);
	CHECK(strcmp(got, "e3b0c44298fc1c149afbf4c8996fb924"
			  "27ae41e4649b934ca495991b7852b855") == 0);
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, strlen(two), got);
	CHECK(strcmp(got, "248d6a61d20638b8e5c026930c3e6039"
			  "a33ce45964ff2167f6ecedd419db06c1") == 0);
	/* One million 'a', fed in uneven pieces. */
	xzc_sha256_state st;
	uint8_t a[1000], digest[32];
	memset(a, 'a', sizeof(a));
	xzc_sha256_init(&st);
	size_t done = 0, piece = 1;
	while (done < 1000000) {
		size_t n = MIN(piece, 1000000 - done);
		xzc_sha256_update(&st, a, n);
		done += n;
		piece = piece * 7 % 997 + 1;
	}
	xzc_sha256_finish(&st, digest);
	hex(digest, 32, got);
	CHECK(strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67"
			  "f1809a48a497200e046d39ccc7112cd0") == 0);
}

/* Every split point of sizes 0..300: two updates equal one. */
static void test_splits(void)
{
	uint8_t buf[300];
	fill_random(buf, sizeof(buf), 1);
	t_begin("%s: incremental updates in every split", mode);
	for (size_t size = 0; size <= sizeof(buf); size++) {
		uint32_t c32 = lzma_crc32(buf, size, 0);
		uint64_t c64 = lzma_crc64(buf, size, 0);
		uint8_t d1[32], d2[32];
		xzc_sha256_state st;
		xzc_sha256_init(&st);
		xzc_sha256_update(&st, buf, size);
		xzc_sha256_finish(&st, d1);
		for (size_t cut = 0; cut <= size; cut++) {
			CHECK_EQ(lzma_crc32(buf + cut, size - cut, lzma_crc32(buf, cut, 0)), c32);
			CHECK(lzma_crc64(buf + cut, size - cut, lzma_crc64(buf, cut, 0)) == c64);
			xzc_sha256_init(&st);
			xzc_sha256_update(&st, buf, cut);
			xzc_sha256_update(&st, buf + cut, size - cut);
			xzc_sha256_finish(&st, d2);
			CHECK(memcmp(d1, d2, 32) == 0);
		}
	}
}

/* The generic check interface stores each check as the spec says. */
static void test_check_interface(void)
{
	const uint8_t *s = (const uint8_t *)"123456789";
	xzc_check_state c;
	t_begin("%s: xzc_check_* stored forms", mode);
	xzc_check_init(&c, LZMA_CHECK_CRC32);
	xzc_check_update(&c, s, 4);
	xzc_check_update(&c, s + 4, 5);
	xzc_check_finish(&c);
	CHECK_EQ(read32le(c.result), 0xCBF43926);
	xzc_check_init(&c, LZMA_CHECK_CRC64);
	xzc_check_update(&c, s, 9);
	xzc_check_finish(&c);
	CHECK(read64le(c.result) == UINT64_C(0x995DC9BBDF1939FA));
	xzc_check_init(&c, LZMA_CHECK_SHA256);
	xzc_check_update(&c, (const uint8_t *)"ab", 2);
	xzc_check_update(&c, (const uint8_t *)"c", 1);
	xzc_check_finish(&c);
	CHECK_EQ(c.result[0], 0xba);
	CHECK_EQ(c.result[31], 0xad);
	/* None and an unknown ID (5) do nothing and leave zeros. */
	xzc_check_init(&c, LZMA_CHECK_NONE);
	xzc_check_update(&c, s, 9);
	xzc_check_finish(&c);
	CHECK_EQ(c.result[0], 0);
	xzc_check_init(&c, (lzma_check)5);
	xzc_check_update(&c, s, 9);
	xzc_check_finish(&c);
	CHECK_EQ(c.result[0], 0);
}

/* The SHA-NI block function equals the portable one, from random states. */
static void test_sha256_paths(void)
{
	uint8_t data[64 * 20];
	t_begin("%s: sha256 accelerated blocks equal portable", mode);
#ifdef XZC_HAVE_SHA256_SHANI
	uint32_t need = XZC_CPU_SHA | XZC_CPU_SSSE3 | XZC_CPU_SSE41;
	if ((xzc_cpu_features() & need) != need) {
		t_skip("no SHA extensions (or CLEARXZ_PORTABLE=1)");
		return;
	}
	const uint32_t *k = xzc_sha256_constants();
	fill_random(data, sizeof(data), 3);
	for (size_t n = 0; n <= 20; n++) {
		uint32_t a[8], b[8];
		for (int i = 0; i < 8; i++)
			a[i] = b[i] = (uint32_t)rng();
		xzc_sha256_blocks_portable(a, data, n, k);
		xzc_sha256_blocks_shani(b, data, n, k);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
	}
#else
	(void)data;
	t_skip("no accelerated SHA-256 on this architecture");
#endif
}

typedef uint32_t (*sys_crc32_fn)(const uint8_t *, size_t, uint32_t);
typedef uint64_t (*sys_crc64_fn)(const uint8_t *, size_t, uint64_t);

/* Sizes: all of 0..520 (every tail and fold length), then some large. */
static void test_against_system(void)
{
	enum { MAX = 1 << 20 };
	t_begin("%s: crc32/crc64 equal the system liblzma's", mode);
	void *h = dlopen("liblzma.so.5", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		t_skip("system liblzma.so.5 not found");
		return;
	}
	sys_crc32_fn s32 = (sys_crc32_fn)dlsym(h, "lzma_crc32");
	sys_crc64_fn s64 = (sys_crc64_fn)dlsym(h, "lzma_crc64");
	uint8_t *buf = malloc(MAX + 64);
	if (s32 == NULL || s64 == NULL || buf == NULL) {
		t_fail(__FILE__, __LINE__, "dlsym or malloc failed");
		dlclose(h);
		free(buf);
		return;
	}
	fill_random(buf, MAX + 64, 2);
	size_t sizes[600], n = 0;
	for (size_t s = 0; s <= 520; s++)
		sizes[n++] = s;
	for (size_t s = 1000; s < MAX && n < 600; s = s * 5 / 4 + 13)
		sizes[n++] = s;
	sizes[n++] = MAX;
	for (size_t i = 0; i < n; i++) {
		size_t off = i % 61;       /* every alignment */
		uint32_t seed32 = (uint32_t)rng();
		uint64_t seed64 = rng();
		CHECK_EQ(lzma_crc32(buf + off, sizes[i], seed32), s32(buf + off, sizes[i], seed32));
		CHECK(lzma_crc64(buf + off, sizes[i], seed64) == s64(buf + off, sizes[i], seed64));
		CHECK_EQ(xzc_crc32_portable(seed32, buf + off, sizes[i]),
			 s32(buf + off, sizes[i], seed32));
		CHECK(xzc_crc64_portable(seed64, buf + off, sizes[i])
		      == s64(buf + off, sizes[i], seed64));
#ifdef XZC_HAVE_CRC_CLMUL
		/* The folding path directly, whatever the dispatch chose. */
		if (xzc_cpu_features() & XZC_CPU_PCLMULQDQ) {
			CHECK_EQ(xzc_crc32_clmul(seed32, buf + off, sizes[i]),
				 s32(buf + off, sizes[i], seed32));
			CHECK(xzc_crc64_clmul(seed64, buf + off, sizes[i])
			      == s64(buf + off, sizes[i], seed64));
		}
#endif
	}
	free(buf);
	dlclose(h);
}

static void test_portable_switch(void)
{
	t_begin("%s: cpu features as the switch says", mode);
	if (strcmp(mode, "portable") == 0)
		CHECK_EQ(xzc_cpu_features(), 0);
#if defined(__x86_64__)
	else
		CHECK(xzc_cpu_features() & XZC_CPU_SSE2);
#endif
}

/* Run this program again with CLEARXZ_PORTABLE=1; its lines go to the same
 * stdout. Returns its exit status (1 on any failure to run it). */
static int rerun_portable(const char *self)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		setenv("CLEARXZ_PORTABLE", "1", 1);
		execl("/proc/self/exe", self, (char *)NULL);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *env = getenv("CLEARXZ_PORTABLE");
	mode = env != NULL && strcmp(env, "1") == 0 ? "portable" : "default";
	test_portable_switch();
	test_known_crc();
	test_known_sha256();
	test_splits();
	test_check_interface();
	test_sha256_paths();
	test_against_system();
	int ret = t_done();
	if (strcmp(mode, "default") == 0) {
		int sub = rerun_portable(argv[0]);
		if (sub != 0) {
			if (sub == 127)
				printf("FAIL: portable re-run (could not exec)\n");
			ret = 1;
		}
	}
	return ret;
}
