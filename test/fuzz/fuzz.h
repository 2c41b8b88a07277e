/*
 * fuzz.h
 *		Shared helpers of the libFuzzer harnesses of src/core.
 *
 * Every harness is one file test/fuzz/fuzz_<name>.c that defines
 * LLVMFuzzerTestOneInput() and nothing else the others need; the Makefile
 * builds each into build/fuzz/fuzz_<name>, and test/tiers/80-fuzz.sh runs
 * every binary it finds there over test/fuzz/corpus/<name>/ and
 * test/fuzz/regressions/<name>/.  Adding a harness (for example a full
 * JWS-verify pipeline once the verifier lands in src/core) is: write
 * fuzz_<name>.c, teach test/fuzz/gen_corpus.c to write seeds for <name>,
 * run `make fuzz-corpus`.
 *
 * A property violation calls FUZZ_ASSERT, which aborts: libFuzzer reports it
 * as a crash and saves the input, exactly like a sanitizer finding.
 */
#ifndef SHC_FUZZ_H
#define SHC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shc_core.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: property violated: %s\n", \
					__FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/*
 * A NUL-free, heap-allocated copy of exactly n bytes (no terminator), so
 * ASan catches any read past the end of the input the way it would past
 * the end of a PostgreSQL text datum (which is not NUL-terminated either).
 */
static inline char *
fuzz_dup(const uint8_t *data, size_t n)
{
	char	   *p = malloc(n ? n : 1);

	if (n)
		memcpy(p, data, n);
	return p;
}

/*
 * Split data[0..n) on '\n' into at most maxf fields, each a separate heap
 * copy of exactly its bytes (see fuzz_dup).  Returns the number of fields;
 * the last field takes the rest of the input when there are more
 * separators than fields.  Free with fuzz_free_fields.
 */
static inline int
fuzz_split(const uint8_t *data, size_t n, int maxf, char **f, size_t *lens)
{
	int			k = 0;
	size_t		start = 0;
	size_t		i;

	if (maxf <= 0)
		return 0;
	for (i = 0; i <= n; i++)
	{
		if (i == n || (data[i] == '\n' && k < maxf - 1))
		{
			lens[k] = i - start;
			f[k] = fuzz_dup(data + start, lens[k]);
			k++;
			start = i + 1;
		}
	}
	return k;
}

static inline void
fuzz_free_fields(char **f, int k)
{
	int			i;

	for (i = 0; i < k; i++)
		free(f[i]);
}

/*
 * An allocator that counts the bytes currently held, so a harness can
 * assert a bound on the memory a decoder takes for an input.
 */
typedef struct fuzz_counter
{
	size_t		live;
	size_t		peak;
} fuzz_counter;

static inline void *
fuzz_count_alloc(size_t size, void *ctx)
{
	fuzz_counter *c = ctx;
	size_t	   *p = malloc(sizeof(size_t) + size);

	if (p == NULL)
		return NULL;
	*p = size;
	c->live += size;
	if (c->live > c->peak)
		c->peak = c->live;
	return p + 1;
}

static inline void
fuzz_count_free(void *ptr, void *ctx)
{
	fuzz_counter *c = ctx;
	size_t	   *p;

	if (ptr == NULL)
		return;
	p = (size_t *) ptr - 1;
	c->live -= *p;
	free(p);
}

static inline void *
fuzz_count_realloc(void *ptr, size_t oldsize, size_t size, void *ctx)
{
	void	   *n = fuzz_count_alloc(size, ctx);

	if (n == NULL)
		return NULL;
	if (ptr)
	{
		size_t		old = ((size_t *) ptr)[-1];

		FUZZ_ASSERT(old == oldsize);
		memcpy(n, ptr, old < size ? old : size);
		fuzz_count_free(ptr, ctx);
	}
	return n;
}

static inline shc_allocator
fuzz_counting_allocator(fuzz_counter *c)
{
	shc_allocator a;

	memset(c, 0, sizeof(*c));
	a.alloc = fuzz_count_alloc;
	a.realloc = fuzz_count_realloc;
	a.free = fuzz_count_free;
	a.ctx = c;
	a.interrupt = NULL;
	return a;
}

/*
 * The P-256 key with private scalar 1, whose public point is the curve's
 * generator G (SEC 2 section 2.4.2).  It is a public test key by
 * construction: the fuzzers and the seed generator use it so that seeds
 * carry signatures that verify, without any key material in the tree.
 */
#define FUZZ_G_X "axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY"
#define FUZZ_G_Y "T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU"
#define FUZZ_G_D "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"

#endif
