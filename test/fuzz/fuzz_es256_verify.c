/*
 * fuzz_es256_verify.c
 *		shc_es256_verify over an arbitrary message and signature with a
 *		fixed public key (the generator point, see fuzz.h).  Input: one byte
 *		b; when b < 0x80 the signature is the next 64 bytes (the ES256
 *		form), otherwise the next b - 0x80 bytes (wrong lengths, DER-looking
 *		blobs); the message is the rest.  Properties: no crash, overread or
 *		leak; the answer is SHC_OK or SHC_ERR_SIGNATURE and never SHC_OK for
 *		a signature that is not 64 bytes; the same call gives the same
 *		answer twice (no state carried between calls).
 */
#include "fuzz.h"
#include "shc_es256.h"

static shc_ec_key *key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char x[] = FUZZ_G_X,
				y[] = FUZZ_G_Y;
	shc_error	err;

	if (shc_es256_key_from_jwk(x, strlen(x), y, strlen(y), NULL, 0,
							   &key, &err) != SHC_OK)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		siglen;
	uint8_t    *sig,
			   *msg;
	size_t		msglen;
	shc_error	err;
	shc_status	st;

	if (size < 1)
		return 0;
	siglen = data[0] < 0x80 ? SHC_ES256_SIG_LEN : (size_t) (data[0] - 0x80);
	if (size - 1 < siglen)
		return 0;
	sig = (uint8_t *) fuzz_dup(data + 1, siglen);
	msglen = size - 1 - siglen;
	msg = (uint8_t *) fuzz_dup(data + 1 + siglen, msglen);

	st = shc_es256_verify(key, msg, msglen, sig, siglen, &err);
	FUZZ_ASSERT(st == SHC_OK || st == SHC_ERR_SIGNATURE);
	FUZZ_ASSERT(st != SHC_OK || siglen == SHC_ES256_SIG_LEN);
	FUZZ_ASSERT(shc_es256_verify(key, msg, msglen, sig, siglen, &err) == st);
	free(sig);
	free(msg);
	return 0;
}
