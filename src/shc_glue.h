/*
 * shc_glue.h
 *		Declarations shared by the PostgreSQL glue of shc: settings, the
 *		palloc-backed allocator for the core, and the one place that turns
 *		a core status into an ereport.
 */
#ifndef SHC_GLUE_H
#define SHC_GLUE_H

#include "postgres.h"

#include "shc_compat.h"

#include "fmgr.h"
#include "utils/jsonb.h"

#include "core/shc_core.h"

/* settings (src/shc.c) */
extern int	shc_max_payload_size;
extern int	shc_clock_skew;
extern int	shc_max_crl_rids;
extern int	shc_max_issuer_keys;
extern int	shc_qr_scan_max_image_size;
extern int	shc_qr_scan_max_pixels;
extern int	shc_x5c_policy;

/* values of shc.x5c_policy, and of the policy column of shc.shc_x5c_policy */
#define SHC_X5C_POLICY_IGNORE		0
#define SHC_X5C_POLICY_WHEN_PRESENT	1
#define SHC_X5C_POLICY_REQUIRED		2

/*
 * Allocator for the core: palloc_extended(MCXT_ALLOC_HUGE |
 * MCXT_ALLOC_NO_OOM) in the memory context current at the time of the
 * allocation, so the core sees NULL on failure instead of a longjmp.
 */
extern const shc_allocator shc_pg_allocator;

/*
 * Raise the error a core status stands for: one SQLSTATE and primary
 * message per status, the core's detail as errdetail.  Call only after the
 * core has released its OpenSSL and zlib state (it always has, once it
 * returned).
 */
pg_noreturn void shc_raise(const shc_error *err);

/* The same with a hint sentence (may be NULL). */
pg_noreturn void shc_raise_hint(const shc_error *err,
											const char *hint);

/* SQLSTATE for a status, for callers that build their own report */
int			shc_status_sqlstate(shc_status st);

/* The member key of object container jc into *buf, or NULL when jc is not an
 * object or has no such key (src/shc_jsonb.c). */
JsonbValue *shc_jsonb_member(JsonbContainer *jc, const char *key,
							 JsonbValue *buf);

/* Append the compact JSON form of a jsonb container (src/shc_jsonb.c). */
void		shc_jsonb_write(shc_buf *out, JsonbContainer *jc);

/* Append one jsonb scalar (not a jbvBinary) as compact JSON. */
void		shc_jsonb_write_scalar(shc_buf *out, JsonbValue *v);

/*
 * jsonb of JSON text s[0..n) read by the core reader (src/core/shc_jsonr.c)
 * under lim; NULL with err set when the reader refuses it.  Numbers go
 * through numeric_in (the limits keep it from raising); interrupts are
 * checked every 4096 events (src/shc_jsonb.c).
 */
struct shc_json_limits;
/* an object {keys[i]: vals[i]} built from the values' bytes as they are */
Jsonb	   *shc_jsonb_object_of(int n, const char *const *keys,
								Jsonb *const *vals);
Jsonb	   *shc_jsonb_parse(const char *s, size_t n,
							const struct shc_json_limits *lim, shc_error *err);

/*
 * Push an error context callback (src/shc_error.c) that hides the statement and the context
 * of any error raised while it is active from the server log (errhidestmt,
 * errhidecontext): for functions whose arguments hold key material or
 * clinical data.  Pop it with shc_hide_statement_pop().
 */
void		shc_hide_statement_push(ErrorContextCallback *cb);
void		shc_hide_statement_pop(ErrorContextCallback *cb);

/*
 * The rulebook's issuer URL and kid rules (src/core/shc_card.c), raised
 * (src/shc_error.c): shc_check_iss with the core's sentence and hint (may
 * be NULL); shc_check_kid with "invalid kid".
 */
void		shc_check_iss(const char *iss, size_t n, const char *hint);
void		shc_check_kid(const char *kid, size_t n);

/* text from a core buffer; the buffer is freed */
text	   *shc_buf_to_text(shc_buf *b);

#endif
