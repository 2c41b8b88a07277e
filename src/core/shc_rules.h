/*
 * shc_rules.h
 *		The rulebook: every rule that both the issuing and the verifying side
 *		of shc apply, in one place (SHC-NOTES sections 2, 4, 7, 10, 12 and
 *		the official validator's FHIR checks).
 *
 * The verifier calls a card valid only when these hold; shc_issue and the
 * FHIR builders refuse, before signing, anything that would not.  A rule
 * changes here and nowhere else:
 *
 *   issuer URL        shc_card_check_iss (shc_card.c)
 *   rid               shc_card_check_rid (shc_card.c), SHC_RID_MAX_LEN
 *   base64url         shc_b64url_char (shc_b64url.h: the decoding table)
 *   kid syntax        shc_card_kid_ok (shc_card.c): 43 base64url characters
 *   health-card type  SHC_HEALTH_CARD_TYPE
 *   nbf / exp         shc_rule_times: seconds, 0 <= t < 1e11, exp > nbf
 *   payload limits    shc_json_card_limits (shc_jsonr.h), max payload size
 *   FHIR              shc_rule_fhir_bundle: no empty values, meta only
 *                     with security Codings, Immunization status and
 *                     occurrence[x], vaccineCode coding, date grammar,
 *                     resolvable references
 */
#ifndef SHC_RULES_H
#define SHC_RULES_H

#include "shc_core.h"
#include "shc_b64url.h"
#include "shc_jsonr.h"

/* SHC-NOTES 10: a rid is 1..24 base64url characters */
#define SHC_RID_MAX_LEN 24
/* longest issuer URL accepted: keeps it within a btree index entry */
#define SHC_ISS_MAX_LEN 2048
/* SHC-NOTES 4: vc.type must contain it */
#define SHC_HEALTH_CARD_TYPE "https://smarthealth.cards#health-card"
/*
 * NumericDates at or above this are taken as milliseconds (SHC-NOTES 12
 * step 10): 1e11 seconds is the year 5138, 1e11 milliseconds is 1973.
 */
#define SHC_NUMERICDATE_MS_THRESHOLD 1e11

/* levels above the bundle in a payload: {"vc":{"credentialSubject":{ */
#define SHC_BUNDLE_NESTING 3

/*
 * A NumericDate a verifier accepts: finite, >= 0, below the milliseconds
 * threshold.
 */
bool		shc_rule_numericdate_ok(double t);

/*
 * nbf and exp (when has_exp) as an issuer may write them: each a
 * NumericDate a verifier accepts, and exp after nbf.  SHC_ERR_TIME with a
 * sentence naming the claim otherwise.
 */
shc_status	shc_rule_times(double nbf, bool has_exp, double exp,
						   shc_error *err);

/*
 * The FHIR checks of the official SMART Health Cards validator, over the
 * compact text of a bundle as it will be signed, in one pass with the
 * card JSON limits (depth less SHC_BUNDLE_NESTING):
 *   - no empty string, object or array anywhere;
 *   - a resource's meta holds only security, an array of Codings;
 *   - an Immunization has status exactly "completed", exactly one of
 *     occurrenceDateTime / occurrenceString, and a vaccineCode with at
 *     least one coding;
 *   - date and dateTime elements follow FHIR's grammar (a four-digit year
 *     other than 0000, month, day, time with a zone);
 *   - every reference resolves: resource:N to an entry, or an entry's
 *     fullUrl, or Type/id of an entry's resource ("#..." is local).
 * SHC_ERR_FHIR with a detail naming the element (entry[1].resource.status)
 * otherwise; SHC_ERR_JSON / SHC_ERR_LIMIT when the text is beyond the
 * limits a verifier reads with; SHC_ERR_NOMEM.
 */
shc_status	shc_rule_fhir_bundle(const char *bundle, size_t n,
								 const shc_allocator *a, shc_error *err);

/*
 * The same checks fed by events instead of text: for a writer that knows
 * the events of the text it writes (the minimizer of shc_issue), so the
 * text is not read again.  begin() returns NULL when out of memory; each
 * event() is the event re-reading the text would give at that point
 * (strings unescaped; a number as the text written); end() gives the
 * verdict of shc_rule_fhir_bundle over bundle[0..n), the text written,
 * and frees the walk.  Where an event is one the reader could refuse (a
 * byte that is not UTF-8, a number longer than the limit, nesting near the
 * limit) or a rule fails, end() reads the text with shc_rule_fhir_bundle,
 * so the verdict and its message are exactly that function's.  free()
 * drops a walk that end() will not see.
 */
typedef struct shc_rule_walk shc_rule_walk;

shc_rule_walk *shc_rule_fhir_begin(const shc_allocator *a);
void		shc_rule_fhir_event(shc_rule_walk *w, shc_json_event ev,
								const char *s, size_t n);
shc_status	shc_rule_fhir_end(shc_rule_walk *w, const char *bundle, size_t n,
							  shc_error *err);
void		shc_rule_fhir_free(shc_rule_walk *w);

/* FHIR date (date = true) or dateTime grammar (FHIR R4 datatypes). */
bool		shc_rule_fhir_date(const char *s, size_t n, bool date_only);

#endif
