/*
 * test_memo.c: the signature memo's key (every part of the tuple changes
 * it) and its table (lookup, growth, the size bound, clock eviction).
 */
#include "unit.h"
#include "shc_memo.h"

static void
memo_key_of(uint8_t *key, uint8_t d0, uint8_t s0, const char *iss,
			const char *x, const char *y)
{
	uint8_t		digest[32],
				sig[64],
				id[SHC_MEMO_KEY_LEN];
	shc_error	e;

	memset(digest, 0x11, sizeof(digest));
	memset(sig, 0x22, sizeof(sig));
	digest[0] = d0;
	sig[63] = s0;

	if (shc_memo_key_id(id, iss, strlen(iss), x, strlen(x), y, strlen(y), &e) != SHC_OK ||
		shc_memo_key(key, digest, sig, sizeof(sig), id, &e) != SHC_OK)
		memset(key, 0, SHC_MEMO_KEY_LEN);
}

/* a distinct key per i */
static void
key_n(uint8_t *key, unsigned i)
{
	char		iss[64];

	snprintf(iss, sizeof(iss), "https://example.org/%u", i);
	memo_key_of(key, 0, 0, iss, "X", "Y");
}

void
test_memo(void)
{
	uint8_t		k0[32],
				k[32];
	shc_memo	m;
	unsigned	i;
	int			found;
	const char *x = "f0qSKxY5SYNXZmzNf2Qr_uiW2HnAYwEE1tGq2fDSbsk";
	const char *y = "rOCcDRAPyd5r3rXRQhpoIfU3hQpE3BAdM-Rn3rP1Jpc";

	memo_key_of(k0, 1, 1, "https://a.example", x, y);
	memo_key_of(k, 1, 1, "https://a.example", x, y);
	CHECK(memcmp(k0, k, 32) == 0, "memo key: the same tuple gives the same key");
	memo_key_of(k, 3, 1, "https://a.example", x, y);
	CHECK(memcmp(k0, k, 32) != 0, "memo key: another signing input changes it");
	memo_key_of(k, 1, 0, "https://a.example", x, y);
	CHECK(memcmp(k0, k, 32) != 0, "memo key: another signature changes it");
	memo_key_of(k, 1, 1, "https://b.example", x, y);
	CHECK(memcmp(k0, k, 32) != 0, "memo key: another issuer changes it");
	memo_key_of(k, 1, 1, "https://a.example", y, x);
	CHECK(memcmp(k0, k, 32) != 0, "memo key: another public key changes it");
	/* the parts are length-prefixed: moving a byte across a boundary counts */
	memo_key_of(k0, 1, 1, "https://a.exampleX", "", "Y");
	memo_key_of(k, 1, 1, "https://a.example", "X", "Y");
	CHECK(memcmp(k0, k, 32) != 0, "memo key: parts cannot slide into each other");

	/* a memo that is off holds nothing */
	shc_memo_init(&m, 0, NULL);
	key_n(k, 1);
	shc_memo_insert(&m, k);
	CHECK(!shc_memo_lookup(&m, k) && m.stats.entries == 0, "memo of size 0 is off");
	shc_memo_reset(&m);

	/* the bound is a power of two of buckets, not above the size asked for */
	shc_memo_init(&m, 5000, NULL);
	CHECK(m.stats.capacity == 4096, "a bound of 5000 entries holds 4096 (%llu)",
		  (unsigned long long) m.stats.capacity);
	shc_memo_init(&m, SHC_MEMO_WAYS, NULL);
	CHECK(m.stats.capacity == SHC_MEMO_WAYS, "a bound of one bucket holds one bucket");
	key_n(k, 3);
	shc_memo_insert(&m, k);
	CHECK(shc_memo_lookup(&m, k) && m.nbuckets == 1, "a one-bucket memo works");
	shc_memo_reset(&m);

	/* grows up to its bound, keeps what fits (each doubling splits buckets in place) */
	shc_memo_init(&m, 4096, NULL);
	CHECK(m.stats.capacity == 4096, "capacity is whole buckets (%llu)",
		  (unsigned long long) m.stats.capacity);
	for (i = 0; i < 1000; i++)
	{
		key_n(k, i);
		shc_memo_insert(&m, k);
	}
	found = 0;
	for (i = 0; i < 1000; i++)
	{
		key_n(k, i);
		found += shc_memo_lookup(&m, k);
	}
	CHECK(found == 1000 && m.stats.evictions == 0 && m.stats.entries == 1000,
		  "1000 keys in a memo of 4096: all found, none evicted (%d, %llu)",
		  found, (unsigned long long) m.stats.evictions);
	key_n(k, 99999);
	CHECK(!shc_memo_lookup(&m, k), "a key never inserted is not found");
	CHECK(m.stats.hits == 1000 && m.stats.misses == 1, "hits and misses counted");

	/* past the bound: it evicts, stays within capacity */
	for (i = 1000; i < 20000; i++)
	{
		key_n(k, i);
		shc_memo_insert(&m, k);
	}
	CHECK(m.stats.entries <= 4096 && m.stats.evictions > 0 &&
		  m.stats.entries + m.stats.evictions == m.stats.inserts,
		  "20000 keys in a memo of 4096: bounded (%llu entries, %llu evictions)",
		  (unsigned long long) m.stats.entries, (unsigned long long) m.stats.evictions);
	CHECK(m.nbuckets * SHC_MEMO_WAYS == 4096, "the table stopped growing at its bound");
	/* the most recent keys are there */
	found = 0;
	for (i = 19900; i < 20000; i++)
	{
		key_n(k, i);
		found += shc_memo_lookup(&m, k);
	}
	CHECK(found >= 90, "recent keys are kept (%d of 100)", found);
	shc_memo_reset(&m);
	key_n(k, 19999);
	CHECK(!shc_memo_lookup(&m, k) && m.stats.entries == 0, "reset forgets everything");

	/* the clock spares an entry used since the hand passed */
	{
		shc_memo_bucket b;
		uint8_t		keys[SHC_MEMO_WAYS + 1][32];
		bool		added;
		int			w;

		memset(&b, 0, sizeof(b));
		for (w = 0; w <= SHC_MEMO_WAYS; w++)
			key_n(keys[w], 100 + w);
		for (w = 0; w < SHC_MEMO_WAYS; w++)
			shc_memo_bucket_put(&b, keys[w], &added);
		/* all ways used, none marked: the next put evicts way 0 */
		CHECK(shc_memo_bucket_find(&b, keys[0]), "bucket: found");
		CHECK(shc_memo_bucket_put(&b, keys[SHC_MEMO_WAYS], &added) && added,
			  "bucket: a full bucket evicts");
		CHECK(shc_memo_bucket_find(&b, keys[0]) && !shc_memo_bucket_find(&b, keys[1]),
			  "bucket: the recently used entry survived, the next one went");
		CHECK(!shc_memo_bucket_put(&b, keys[0], &added) && !added,
			  "bucket: putting a present key adds nothing");
	}

	/*
	 * A bucket compares tags (bytes 8..11) first: keys that share the tag
	 * and differ anywhere else, even in their last byte, are told apart,
	 * and so are keys that differ in the tag alone.
	 */
	{
		shc_memo_bucket b;
		uint8_t		a[32],
					same_tag[32],
					other_tag[32];
		bool		added;

		memset(&b, 0, sizeof(b));
		key_n(a, 7);
		memcpy(same_tag, a, 32);
		same_tag[31] ^= 1;
		memcpy(other_tag, a, 32);
		other_tag[9] ^= 0x80;
		shc_memo_bucket_put(&b, a, &added);
		CHECK(added && shc_memo_bucket_find(&b, a), "tag: the key is found");
		CHECK(!shc_memo_bucket_find(&b, same_tag),
			  "tag: a key with the same tag and another last byte is not found");
		CHECK(!shc_memo_bucket_find(&b, other_tag),
			  "tag: a key that differs only in its tag is not found");
		shc_memo_bucket_put(&b, same_tag, &added);
		CHECK(added && shc_memo_bucket_find(&b, a) && shc_memo_bucket_find(&b, same_tag),
			  "tag: two keys with one tag live side by side");
	}
}
