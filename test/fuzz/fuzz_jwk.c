/*
 * fuzz_jwk.c
 *		shc_es256_key_from_jwk on arbitrary members: the input is split on
 *		'\n' into x, y and, when a third field is present, d.  Properties:
 *		no crash, overread or leak on any path; a key that imports exports
 *		exactly the x and y it was given (strict base64url is canonical) and,
 *		with d, exactly that d and a signature that verifies; a refusal is
 *		SHC_ERR_KEY whose detail never quotes d.
 */
#include "fuzz.h"
#include "shc_es256.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *f[3];
	size_t		lens[3];
	int			k;
	shc_ec_key *key = NULL;
	shc_error	err;
	shc_status	st;

	k = fuzz_split(data, size, 3, f, lens);
	if (k < 2)
	{
		fuzz_free_fields(f, k);
		return 0;
	}
	memset(&err, 0, sizeof(err));
	st = shc_es256_key_from_jwk(f[0], lens[0], f[1], lens[1],
								k == 3 ? f[2] : NULL, k == 3 ? lens[2] : 0,
								&key, &err);
	if (st == SHC_OK)
	{
		char		x[SHC_COORD_B64_LEN + 1],
					y[SHC_COORD_B64_LEN + 1],
					d[SHC_COORD_B64_LEN + 1];

		FUZZ_ASSERT(key != NULL);
		FUZZ_ASSERT(shc_es256_has_private(key) == (k == 3));
		FUZZ_ASSERT(shc_es256_export(key, x, y, d, &err) == SHC_OK);
		FUZZ_ASSERT(lens[0] == SHC_COORD_B64_LEN && memcmp(x, f[0], lens[0]) == 0);
		FUZZ_ASSERT(lens[1] == SHC_COORD_B64_LEN && memcmp(y, f[1], lens[1]) == 0);
		if (k == 3)
		{
			static const uint8_t msg[] = "fuzz";
			uint8_t		sig[SHC_ES256_SIG_LEN];

			FUZZ_ASSERT(lens[2] == SHC_COORD_B64_LEN && memcmp(d, f[2], lens[2]) == 0);
			FUZZ_ASSERT(shc_es256_sign(key, msg, 4, sig, &err) == SHC_OK);
			FUZZ_ASSERT(shc_es256_verify(key, msg, 4, sig, sizeof(sig), &err) == SHC_OK);
		}
		shc_memzero(d, sizeof(d));
		shc_ec_key_free(key);
	}
	else
	{
		FUZZ_ASSERT(key == NULL);
		FUZZ_ASSERT(st == SHC_ERR_KEY);
		/* the detail must never carry the private scalar */
		if (k == 3 && lens[2] >= 8)
		{
			char		probe[9];

			memcpy(probe, f[2], 8);
			probe[8] = '\0';
			if (strlen(probe) == 8)
				FUZZ_ASSERT(strstr(err.detail, probe) == NULL);
		}
	}
	fuzz_free_fields(f, k);
	return 0;
}
