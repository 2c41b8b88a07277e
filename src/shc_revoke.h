/*
 * shc_revoke.h
 *		Revocation identifiers of src/shc_revoke.c (SHC-NOTES section 9),
 *		used by the issuing functions (src/shc_issue.c).
 */
#ifndef SHC_REVOKE_H
#define SHC_REVOKE_H

#include "shc_glue.h"

/*
 * The rid of subject for cards signed with kid (src/shc_revoke.c): under
 * the current rid secret of the key's issuer, or the given version.
 * Writes SHC_RID_HMAC_LEN + 1 bytes into rid.  Reads the secret as the
 * extension owner; with latest, the key and the secret are read with the
 * latest snapshot, as the key that signs is chosen (issuing), else with the
 * transaction's.
 */
void		shc_rid_compute(text *kid, text *subject, bool latest, bool has_version,
							int32 version, char *rid);

#endif
