/*
 * test_aead.c: sealing secrets at rest (src/core/shc_aead.c): a round
 * trip, the format (version, key id, nonce, tag), and every way a sealed
 * value must fail to open: another row's associated data, another root
 * key, a flipped bit, a truncated string; root key text parsing.
 */
#include "unit.h"
#include "shc_aead.h"

static const char *KEY_HEX =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

void
test_aead(void)
{
	uint8_t		key[SHC_AEAD_KEY_LEN],
				key2[SHC_AEAD_KEY_LEN],
				id[SHC_AEAD_KEY_ID_LEN],
				id2[SHC_AEAD_KEY_ID_LEN],
				got[SHC_AEAD_KEY_ID_LEN];
	const char *plain = "FvOOk6hMixJ2o9zt4PCfan_UW7i4aOEnzj76ZaCI9Og";
	size_t		n = strlen(plain);
	uint8_t		sealed[64 + SHC_AEAD_OVERHEAD],
				sealed2[64 + SHC_AEAD_OVERHEAD],
				out[64];
	size_t		outlen = 0;
	shc_error	e;
	char		spaced[80];

	CHECK_STATUS(shc_aead_key_parse(KEY_HEX, strlen(KEY_HEX), key, &e), SHC_OK,
				 "a root key of 64 hex digits parses");
	CHECK(key[0] == 0 && key[31] == 0x1f, "to the bytes it spells");
	snprintf(spaced, sizeof(spaced), "  %s\n", KEY_HEX);
	CHECK_STATUS(shc_aead_key_parse(spaced, strlen(spaced), key2, &e), SHC_OK,
				 "white space around it is ignored");
	CHECK_STATUS(shc_aead_key_parse(KEY_HEX, 63, key2, &e), SHC_ERR_KEY,
				 "63 digits are refused");
	CHECK_STATUS(shc_aead_key_parse("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
									64, key2, &e), SHC_ERR_KEY, "a non-hex digit is refused");
	CHECK(strstr(e.detail, "zz") == NULL, "and the detail does not quote the key");

	CHECK_STATUS(shc_aead_key_id(key, id, &e), SHC_OK, "key id");
	memcpy(key2, key, sizeof(key));
	key2[0] ^= 1;
	CHECK_STATUS(shc_aead_key_id(key2, id2, &e), SHC_OK, "key id of another key");
	CHECK(memcmp(id, id2, sizeof(id)) != 0, "two keys have two ids");

	CHECK_STATUS(shc_aead_seal(key, id, "shc key K", 9, (const uint8_t *) plain, n,
							   sealed, &e), SHC_OK, "seal");
	CHECK(sealed[0] == SHC_AEAD_VERSION && memcmp(sealed + 1, id, 8) == 0,
		  "the sealed value starts with the version and the key id");
	CHECK(memmem(sealed, n + SHC_AEAD_OVERHEAD, plain, 8) == NULL,
		  "and does not hold the plaintext");
	CHECK_STATUS(shc_aead_sealed_key_id(sealed, n + SHC_AEAD_OVERHEAD, got, &e), SHC_OK,
				 "the key id can be read back");
	CHECK(memcmp(got, id, sizeof(id)) == 0, "it is the sealing key's");
	CHECK_STATUS(shc_aead_seal(key, id, "shc key K", 9, (const uint8_t *) plain, n,
							   sealed2, &e), SHC_OK, "seal again");
	CHECK(memcmp(sealed, sealed2, n + SHC_AEAD_OVERHEAD) != 0,
		  "two seals of one secret differ (random nonce)");

	CHECK_STATUS(shc_aead_open(key, "shc key K", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_OK, "open");
	CHECK(outlen == n && memcmp(out, plain, n) == 0, "round trip");
	CHECK_STATUS(shc_aead_open(key, "shc key L", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_ERR_DECRYPT,
				 "another row's associated data does not open it");
	CHECK_STATUS(shc_aead_open(key2, "shc key K", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_ERR_DECRYPT,
				 "another root key does not open it");
	sealed[SHC_AEAD_HEADER_LEN + 3] ^= 0x40;
	CHECK_STATUS(shc_aead_open(key, "shc key K", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_ERR_DECRYPT,
				 "a flipped ciphertext bit does not open");
	sealed[SHC_AEAD_HEADER_LEN + 3] ^= 0x40;
	sealed[2] ^= 1;
	CHECK_STATUS(shc_aead_open(key, "shc key K", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_ERR_DECRYPT,
				 "an altered key id does not open (the header is authenticated)");
	sealed[2] ^= 1;
	CHECK_STATUS(shc_aead_open(key, "shc key K", 9, sealed, SHC_AEAD_OVERHEAD - 1,
							   out, &outlen, &e), SHC_ERR_DECRYPT, "a truncated value");
	sealed[0] = 2;
	CHECK_STATUS(shc_aead_open(key, "shc key K", 9, sealed, n + SHC_AEAD_OVERHEAD,
							   out, &outlen, &e), SHC_ERR_DECRYPT, "an unknown version");
}
