/*
 * shc_memo.c
 *		The signature memo's key and its set-associative table (see
 *		shc_memo.h for what an entry means and why it is safe).
 */
#include "shc_memo.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

/* the smallest table a memo starts with, in buckets (a power of two) */
#define MEMO_START_BUCKETS 64

static const char memo_domain[] = "shc-memo-v2";
static const char key_domain[] = "shc-memo-key-v2";

/*
 * One EVP_MD_CTX per process, re-initialized per hash (the core is used
 * single-threaded, as the kept deflate compressors); the digest is fetched
 * once.
 */
static shc_status
sha256_once(const uint8_t *msg, size_t n, uint8_t out[SHC_MEMO_KEY_LEN],
			shc_error *err)
{
	static EVP_MD_CTX *ctx;
	static EVP_MD *md;
	unsigned int outlen = 0;

	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	if (md == NULL || ctx == NULL ||
		EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
		EVP_DigestUpdate(ctx, msg, n) != 1 ||
		EVP_DigestFinal_ex(ctx, out, &outlen) != 1 || outlen != SHC_MEMO_KEY_LEN)
	{
		ERR_clear_error();
		return shc_error_set(err, SHC_ERR_INTERNAL, "SHA-256 failed.");
	}
	return SHC_OK;
}

/* n as 8 bytes, big endian, at d */
static void
put_len(uint8_t *d, size_t n)
{
	int			j;

	for (j = 0; j < 8; j++)
		d[j] = (uint8_t) ((uint64_t) n >> (56 - 8 * j));
}

shc_status
shc_memo_key_id(uint8_t id[SHC_MEMO_KEY_LEN], const char *iss, size_t isslen,
				const char *x, size_t xlen, const char *y, size_t ylen,
				shc_error *err)
{
	uint8_t		buf[sizeof(key_domain) + 3 * 8 + SHC_MEMO_ID_TEXT_MAX];
	const char *parts[3] = {iss, x, y};
	size_t		lens[3] = {isslen, xlen, ylen};
	size_t		o = sizeof(key_domain);
	int			i;

	if (isslen + xlen + ylen > SHC_MEMO_ID_TEXT_MAX)
		return shc_error_set(err, SHC_ERR_INTERNAL,
							 "A trusted key's issuer and coordinates are too long for the memo.");
	memcpy(buf, key_domain, sizeof(key_domain));
	/* every part is preceded by its length: none can slide into the next */
	for (i = 0; i < 3; i++)
	{
		put_len(buf + o, lens[i]);
		o += 8;
		memcpy(buf + o, parts[i], lens[i]);
		o += lens[i];
	}
	return sha256_once(buf, o, id, err);
}

shc_status
shc_memo_key(uint8_t key[SHC_MEMO_KEY_LEN], const uint8_t digest[32],
			 const uint8_t *sig, size_t siglen,
			 const uint8_t key_id[SHC_MEMO_KEY_LEN], shc_error *err)
{
	uint8_t		buf[sizeof(memo_domain) + 32 + 8 + 64 + SHC_MEMO_KEY_LEN];
	size_t		o = sizeof(memo_domain);

	if (siglen > 64)
		return shc_error_set(err, SHC_ERR_INTERNAL,
							 "A signature of %zu bytes is too long for the memo.", siglen);
	/* one contiguous message: domain, digest, len(sig), sig, key identity */
	memcpy(buf, memo_domain, sizeof(memo_domain));
	memcpy(buf + o, digest, 32);
	o += 32;
	put_len(buf + o, siglen);
	o += 8;
	memcpy(buf + o, sig, siglen);
	o += siglen;
	memcpy(buf + o, key_id, SHC_MEMO_KEY_LEN);
	o += SHC_MEMO_KEY_LEN;
	return sha256_once(buf, o, key, err);
}

size_t
shc_memo_bucket_of(const uint8_t key[SHC_MEMO_KEY_LEN], size_t nbuckets)
{
	uint64_t	h = 0;
	int			i;

	/* the key is a SHA-256 output: any 8 of its bytes are uniform */
	for (i = 0; i < 8; i++)
		h = (h << 8) | key[i];
	return (size_t) (h % nbuckets);
}

/* the bytes of a key its bucket keeps beside the flags (not those of the index) */
static inline uint32_t
key_tag(const uint8_t key[SHC_MEMO_KEY_LEN])
{
	uint32_t	t;

	memcpy(&t, key + 8, sizeof(t));
	return t;
}

bool
shc_memo_bucket_find(shc_memo_bucket *b, const uint8_t key[SHC_MEMO_KEY_LEN])
{
	uint32_t	tag = key_tag(key);
	int			w;

	for (w = 0; w < SHC_MEMO_WAYS; w++)
		if ((b->flags[w] & SHC_MEMO_USED) && b->tags[w] == tag &&
			memcmp(b->keys[w], key, SHC_MEMO_KEY_LEN) == 0)
		{
			b->flags[w] |= SHC_MEMO_REF;
			return true;
		}
	return false;
}

bool
shc_memo_bucket_put(shc_memo_bucket *b, const uint8_t key[SHC_MEMO_KEY_LEN],
					bool *added)
{
	uint32_t	tag = key_tag(key);
	int			w;
	int			victim = -1;

	*added = false;
	for (w = 0; w < SHC_MEMO_WAYS; w++)
	{
		if (!(b->flags[w] & SHC_MEMO_USED))
		{
			if (victim < 0)
				victim = w;
		}
		else if (b->tags[w] == tag && memcmp(b->keys[w], key, SHC_MEMO_KEY_LEN) == 0)
		{
			b->flags[w] |= SHC_MEMO_REF;
			return false;
		}
	}
	*added = true;
	if (victim >= 0)
	{
		memcpy(b->keys[victim], key, SHC_MEMO_KEY_LEN);
		b->tags[victim] = tag;
		b->flags[victim] = SHC_MEMO_USED;
		return false;
	}

	/*
	 * Clock: clear the recently-used mark of entries the hand passes, take
	 * the first one without it (at most one full turn plus one).
	 */
	for (;;)
	{
		w = b->hand;
		b->hand = (uint8_t) ((b->hand + 1) % SHC_MEMO_WAYS);
		if (b->flags[w] & SHC_MEMO_REF)
			b->flags[w] &= (uint8_t) ~SHC_MEMO_REF;
		else
			break;
	}
	memcpy(b->keys[w], key, SHC_MEMO_KEY_LEN);
	b->tags[w] = tag;
	b->flags[w] = SHC_MEMO_USED;
	return true;
}

void
shc_memo_init(shc_memo *m, size_t max_entries, const shc_allocator *a)
{
	size_t		b = max_entries / SHC_MEMO_WAYS;

	memset(m, 0, sizeof(*m));
	m->a = a ? a : &shc_default_allocator;
	/* a power of two, so that the table can double in place (memo_grow) */
	m->max_buckets = 0;
	if (b > 0)
	{
		m->max_buckets = 1;
		while (m->max_buckets <= b / 2)
			m->max_buckets *= 2;
	}
	m->stats.capacity = (uint64_t) m->max_buckets * SHC_MEMO_WAYS;
}

/*
 * Double the table, or set it up: false when out of memory.  The whole
 * bound is allocated once, at the first insert, and used from the front:
 * doubling zeroes the next stretch and splits every bucket i between i and
 * i + n (a key's bucket is the low bits of its hash, so it stays or moves
 * up by n; eight ways never overflow eight fresh ones).  Nothing is copied
 * into a new table and no memory is touched twice, which matters in a VM,
 * where first touching a page costs more than writing it: the old
 * allocate-and-rehash doubling touched twice the final table for 100,000
 * cards.
 */
static bool
memo_grow(shc_memo *m)
{
	size_t		n = m->nbuckets,
				i;
	int			w;

	if (m->buckets == NULL)
	{
		m->buckets = m->a->alloc(m->max_buckets * sizeof(shc_memo_bucket), m->a->ctx);
		if (m->buckets == NULL)
			return false;
		n = m->max_buckets < MEMO_START_BUCKETS ? m->max_buckets : MEMO_START_BUCKETS;
		memset(m->buckets, 0, n * sizeof(shc_memo_bucket));
		m->nbuckets = n;
		return true;
	}
	memset(m->buckets + n, 0, n * sizeof(shc_memo_bucket));
	for (i = 0; i < n; i++)
	{
		shc_memo_bucket *from = &m->buckets[i];
		shc_memo_bucket *to = &m->buckets[i + n];
		int			k = 0;

		for (w = 0; w < SHC_MEMO_WAYS; w++)
			if ((from->flags[w] & SHC_MEMO_USED) &&
				shc_memo_bucket_of(from->keys[w], 2 * n) != i)
			{
				memcpy(to->keys[k], from->keys[w], SHC_MEMO_KEY_LEN);
				to->tags[k] = from->tags[w];
				to->flags[k] = from->flags[w];
				k++;
				from->flags[w] = 0;
			}
	}
	m->nbuckets = 2 * n;
	return true;
}

bool
shc_memo_lookup(shc_memo *m, const uint8_t key[SHC_MEMO_KEY_LEN])
{
	if (m->nbuckets > 0 &&
		shc_memo_bucket_find(&m->buckets[shc_memo_bucket_of(key, m->nbuckets)], key))
	{
		m->stats.hits++;
		return true;
	}
	m->stats.misses++;
	return false;
}

/* true when every way of b is in use */
static bool
bucket_full(const shc_memo_bucket *b)
{
	int			w;

	for (w = 0; w < SHC_MEMO_WAYS; w++)
		if (!(b->flags[w] & SHC_MEMO_USED))
			return false;
	return true;
}

void
shc_memo_insert(shc_memo *m, const uint8_t key[SHC_MEMO_KEY_LEN])
{
	shc_memo_bucket *b;
	bool		added;

	if (m->max_buckets == 0)
		return;

	/*
	 * Below its bound the table grows instead of evicting: when it is more
	 * than half full, or when the key's bucket is full.
	 */
	while (m->nbuckets < m->max_buckets &&
		   (m->nbuckets == 0 ||
			m->stats.entries + 1 > (uint64_t) m->nbuckets * SHC_MEMO_WAYS / 2 ||
			bucket_full(&m->buckets[shc_memo_bucket_of(key, m->nbuckets)])))
	{
		if (!memo_grow(m))
			break;
	}
	if (m->nbuckets == 0)
		return;
	b = &m->buckets[shc_memo_bucket_of(key, m->nbuckets)];
	if (shc_memo_bucket_put(b, key, &added))
		m->stats.evictions++;
	else if (added)
		m->stats.entries++;
	if (added)
		m->stats.inserts++;
}

void
shc_memo_reset(shc_memo *m)
{
	if (m->buckets)
		m->a->free(m->buckets, m->a->ctx);
	m->buckets = NULL;
	m->nbuckets = 0;
	m->stats.entries = 0;
}
