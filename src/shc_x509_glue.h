/*
 * shc_x509_glue.h
 *		Shared by shc_x5c_check() (src/shc_x509_sql.c) and the trust cache
 *		(src/shc_trust.c), which both read a JWK's x5c member from jsonb.
 */
#ifndef SHC_X509_GLUE_H
#define SHC_X509_GLUE_H

#include "shc_glue.h"
#include "core/shc_x509.h"

/*
 * The strings of a JWK's "x5c" member into certs and certlens (pointers
 * into the jsonb, at most SHC_X5C_MAX_CERTS) and *ncerts.  False, with *why
 * a palloc'd sentence, when x5c is not an array of 1 to SHC_X5C_MAX_CERTS
 * strings: the verdict SHC_X5C_MALFORMED.
 */
bool		shc_x5c_jsonb_certs(JsonbValue *x5c, const char **certs,
								size_t *certlens, int *ncerts, char **why);

#endif
