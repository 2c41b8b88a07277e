/*
 * shc_minimize.h
 *		The bundle minimizer of src/shc_minimize.c (SHC-NOTES section 7),
 *		used by the issuing functions (src/shc_issue.c).
 */
#ifndef SHC_MINIMIZE_H
#define SHC_MINIMIZE_H

#include "shc_glue.h"

#include "core/shc_rules.h"

/*
 * Raise unless jb is a JSON object with "resourceType": "Bundle".
 */
void		shc_bundle_check(Jsonb *jb);

/* The SHC-NOTES section 7 minimization of a checked bundle. */
Jsonb	   *shc_minimize_bundle(Jsonb *jb);

/*
 * The same minimization written straight to out as compact JSON, in one
 * pass: exactly the bytes shc_jsonb_write(out, &shc_minimize_bundle(jb)->root)
 * appends, and the same errors, raised in the same order.  Size and
 * allocation failures are left in out (check shc_buf_status).  When rules
 * is not NULL, the rulebook's walk is fed each event of that text
 * (shc_rule_fhir_event), so the caller need not read it again.
 */
void		shc_minimize_write(shc_buf *out, Jsonb *jb, shc_rule_walk *rules);

#endif
