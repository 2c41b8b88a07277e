/*
 * shc_memo.h
 *		The signature check of shc_verify and its memo (issue 16): one
 *		function every reader of a card calls to check a signature with a
 *		trusted key, which skips ECDSA when the same signing input and
 *		signature were already checked with the same key of the same issuer,
 *		in this backend (shc.signature_memo_size) or, when shc is in
 *		shared_preload_libraries, in any backend (shc.shared_signature_memo_size).
 *		The memo's key and table are src/core/shc_memo.c.
 */
#ifndef SHC_MEMO_GLUE_H
#define SHC_MEMO_GLUE_H

#include "postgres.h"

#include "core/shc_es256.h"
#include "core/shc_jws.h"

extern int	shc_signature_memo_size;	/* kB per backend, 0 = off */
extern int	shc_shared_signature_memo_size; /* kB in shared memory */

/* _PG_init: settings and, when preloaded, the shared-memory request */
void		shc_memo_init_module(void);

/*
 * Check the signature of a compact JWS (split into p; digest is the SHA-256
 * of its signing input, header "." payload) with the public key pk, which
 * the trust store holds right now; key_id is that entry's memo identity
 * (shc_memo_key_id of its issuer and coordinates, shc_trust_key.memo_id).  Returns SHC_OK when
 * it verifies (from the memo, or by ECDSA and then remembered),
 * SHC_ERR_JWS_FORMAT when the signature segment is not 64 bytes of
 * base64url, SHC_ERR_SIGNATURE when it does not verify; internal failures
 * as other statuses.  Raises nothing.
 */
shc_status	shc_signature_check(const shc_jws_parts *p,
								const uint8_t *digest, const uint8_t *key_id,
								const shc_ec_key *pk, shc_error *err);

#endif
