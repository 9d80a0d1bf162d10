/*
 * gen.h -- seeded, deterministic test data for clearxz's tests.
 *
 * Bulk test data is made by code, never stored (STYLE.md habit 9). Every
 * generator is a pure function of (kind, seed, size): the same arguments
 * give the same bytes on every machine, so a failing case can be rebuilt
 * from the three numbers printed in its name.
 *
 * The kinds imitate what real compressors see, so that tests exercise
 * literals, short and long matches, and the BCJ filters' call/jump bytes:
 *   GEN_TEXT    lines of words drawn from a generated vocabulary with
 *               Zipf-like frequencies (a few words are very common)
 *   GEN_BINARY  little-endian records: counters, small integers, a few
 *               repeated structs, names from a small table
 *   GEN_X86     byte streams shaped like x86-64 code: prefixes, ModRM
 *               moves, E8/E9 calls and jumps to a handful of targets
 *   GEN_RANDOM  incompressible bytes
 *   GEN_ZEROS   all zero
 *   GEN_RUNS    runs of one byte value with random lengths (1..~300)
 */
#ifndef CLEARXZ_GEN_H
#define CLEARXZ_GEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	GEN_TEXT,
	GEN_BINARY,
	GEN_X86,
	GEN_RANDOM,
	GEN_ZEROS,
	GEN_RUNS,
	GEN_KIND_COUNT
} gen_kind;

/* Short lowercase name of a kind ("text", "binary", ...), for case names. */
const char *gen_kind_name(gen_kind kind);

/* Fill buf[0..size) with data of the given kind made from seed. */
void gen_fill(gen_kind kind, uint64_t seed, uint8_t *buf, size_t size);

/* The generators' PRNG (splitmix64), for tests that need their own numbers:
 * *state is advanced and the next 64-bit value returned. */
uint64_t gen_next(uint64_t *state);

/* A uniform value in [0, n) from *state (n > 0). */
uint32_t gen_below(uint64_t *state, uint32_t n);

#endif
