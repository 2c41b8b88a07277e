/*
 * shc_verify.c
 *		shc_verify(), shc_verify_file(), shc_decode() and shc_file_cards():
 *		reading and verifying SMART Health Cards against the trust store
 *		(SHC-NOTES sections 2-4, 9.1, 10 and 12).
 *
 * shc_verify never raises for a bad card: every problem of the card
 * becomes a status and a reason sentence.  Cards are read by the one card
 * reader (src/shc_card_read.c), whose JSON is the core reader's
 * (src/core/shc_jsonr.c): it refuses with a status, never by raising, so
 * no subtransaction per card is needed (parallel workers cannot start one).
 *
 * Order of checks (SHC-NOTES 12; README "What each status means"):
 *   shc:/ decoding -> three base64url segments -> header JSON object with
 *   alg exactly ES256, zip DEF, kid string, no crit -> signature shape (64
 *   raw bytes) -> when the trust store knows the kid: ES256 over the
 *   received bytes (bad_signature; the payload is not even inflated);
 *   when it does not, a bounded scan for iss and unknown_issuer or
 *   unknown_key, with nothing of the payload built ->
 *   payload raw-inflated under shc.max_payload_size -> JSON object ->
 *   claims shape -> issuer trusted (unknown_issuer) -> key bound to this
 *   iss (unknown_key) -> the key's x5c chain under the x5c policy at the
 *   verification time (bad_x5c) -> exp / nbf (expired, not_yet_valid) ->
 *   revocation.
 */
#include "shc_glue.h"

#include "common/string.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "catalog/pg_type.h"

#include <math.h>

#include "core/shc_b64url.h"
#include "core/shc_deflate.h"
#include "core/shc_jws.h"
#include "core/shc_qr.h"
#include "core/shc_verify.h"
#include "shc_trust.h"
#include "shc_card_read.h"

#define UNIX_EPOCH_OFFSET_SECS \
	((double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* longest part of a card quoted in a reason */
#define QUOTE_MAX 80

typedef struct verify_result
{
	shc_outcome status;
	char	   *reason;
	char	   *iss;
	char	   *kid;
	bool		has_nbf;
	double		nbf;
	bool		has_exp;
	double		exp;
	Datum		types;			/* text[] or 0 */
	char	   *rid;
	char	   *fhir_version;
	Jsonb	   *bundle;
	char	   *card_id;		/* shc_card_identity, once the card splits */
} verify_result;

/* a short, printable quotation of untrusted text for a reason sentence */
static char *
quote_short(const char *s, size_t n)
{
	StringInfoData b;
	size_t		len = n;
	size_t		i;

	if (len > QUOTE_MAX)
		len = pg_mbcliplen(s, (int) n, QUOTE_MAX);
	initStringInfo(&b);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			appendStringInfoChar(&b, '?');
		else
			appendStringInfoChar(&b, (char) c);
	}
	if (len < n)
		appendStringInfoString(&b, "...");
	return b.data;
}

static TimestampTz
secs_to_timestamptz(double secs)
{
	return (TimestampTz) rint((secs - UNIX_EPOCH_OFFSET_SECS) * USECS_PER_SEC);
}

static double
timestamptz_to_secs(TimestampTz t)
{
	return (double) t / USECS_PER_SEC + UNIX_EPOCH_OFFSET_SECS;
}

static bool
is_object(JsonbValue *v)
{
	return v && v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

static bool
is_array(JsonbValue *v)
{
	return v && v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data);
}

static bool
string_is(JsonbValue *v, const char *want)
{
	return v && v->type == jbvString && v->val.string.len == strlen(want) &&
		memcmp(v->val.string.val, want, v->val.string.len) == 0;
}

static double
numeric_secs(JsonbValue *v)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(v->val.numeric)));
}


/* ---------------------------------------------------------------------
 * the verifier
 * --------------------------------------------------------------------- */

#define FAIL(st, ...) \
	do { r->status = (st); r->reason = psprintf(__VA_ARGS__); return; } while (0)

/* internal failures (memory, OpenSSL) raise: they are not the card's fault */
static void
raise_internal(const shc_error *err)
{
	if (err->status == SHC_ERR_NOMEM || err->status == SHC_ERR_INTERNAL)
		shc_raise(err);
}

/*
 * A card whose kid no trusted key has: nobody vouches for its payload, so
 * nothing of it is built.  A bounded scan (shc_card_scan_iss) looks for the
 * claimed issuer, so that the status and the reason can name it.
 */
static void
verify_unvouched(shc_card *c, verify_result *r)
{
	char	   *iss = shc_card_scan_iss(c);

	if (iss == NULL)
		FAIL(SHC_V_UNKNOWN_KEY, "The trust store holds no key \"%s\", and the payload does not name its issuer within its first %d bytes; an unsigned payload is read no further.",
			 quote_short(r->kid, strlen(r->kid)), SHC_CARD_SCAN_MAX);
	r->iss = iss;
	if (strlen(iss) <= 8 || strncmp(iss, "https://", 8) != 0)
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" is not an https URL.",
			 quote_short(iss, strlen(iss)));
	if (iss[strlen(iss) - 1] == '/')
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" ends with \"/\".",
			 quote_short(iss, strlen(iss)));
	if (!shc_trust_issuer_known(iss, strlen(iss)))
		FAIL(SHC_V_UNKNOWN_ISSUER, "The issuer \"%s\" is not in the trust store.",
			 quote_short(iss, strlen(iss)));
	FAIL(SHC_V_UNKNOWN_KEY, "The issuer \"%s\" has no trusted key \"%s\".",
		 quote_short(iss, strlen(iss)), quote_short(r->kid, strlen(r->kid)));
}

/*
 * SHC-NOTES 6 under the x5c policy (docs/trust.md): the issuer's row in
 * shc_x5c_policy, else the setting shc.x5c_policy as it is now.  ignore:
 * only a leaf that contradicts the key (another key, another issuer).  when_present: a key with x5c needs the chain the cache checked
 * without time (against the anchors) to be valid, and every certificate
 * of it valid at at.  required: a key without x5c fails too.  False, with
 * r set to bad_x5c and a reason naming the verdict, when the key fails.
 */
static bool
x5c_allows(shc_trust_key *k, double at, verify_result *r)
{
	int			policy = k->x5c_policy >= 0 ? k->x5c_policy : shc_x5c_policy;
	const char *name = policy == SHC_X5C_POLICY_REQUIRED ? "required" : "when_present";
	shc_x5c_result res;
	const char *why;
	char		buf[128];

	if (policy == SHC_X5C_POLICY_IGNORE)
	{
		/*
		 * Issue 22: under every policy, a key whose own x5c leaf holds
		 * another public key or names another issuer is not trusted (the
		 * validator's INVALID_KEY_X5C); only the chain to an anchor and
		 * the certificates' times are left to the policy.
		 */
		if (k->has_x5c && (k->x5c_result == SHC_X5C_KEY_MISMATCH ||
						   k->x5c_result == SHC_X5C_SAN_MISMATCH))
		{
			r->status = SHC_V_BAD_X5C;
			r->reason = psprintf("The key \"%s\" of issuer \"%s\" contradicts its own x5c certificate, under every x5c policy: x5c %s: %s",
								 k->kid, quote_short(k->iss, strlen(k->iss)),
								 shc_x5c_result_name(k->x5c_result),
								 k->x5c_reason ? k->x5c_reason : "");
			return false;
		}
		return true;
	}
	if (!k->has_x5c)
	{
		if (policy != SHC_X5C_POLICY_REQUIRED)
			return true;
		r->status = SHC_V_BAD_X5C;
		r->reason = psprintf("The key \"%s\" of issuer \"%s\" fails x5c policy %s: no x5c certificate chain.",
							 k->kid, quote_short(k->iss, strlen(k->iss)), name);
		return false;
	}
	res = k->x5c_result;
	why = k->x5c_reason;
	if (res == SHC_X5C_VALID)
	{
		/* as OpenSSL compares: whole seconds */
		res = shc_x5c_window_check(k->x5c_window, (int64) floor(at), buf, sizeof(buf));
		why = buf;
	}
	if (res == SHC_X5C_VALID)
		return true;
	r->status = SHC_V_BAD_X5C;
	r->reason = psprintf("The key \"%s\" of issuer \"%s\" fails x5c policy %s: x5c %s: %s",
						 k->kid, quote_short(k->iss, strlen(k->iss)), name,
						 shc_x5c_result_name(res), why ? why : "");
	return false;
}

static bool claims_step6(shc_card_claims *c, double at, verify_result *r,
						 shc_outcome *time_outcome, char *timebuf,
						 size_t timebuflen);

/*
 * What the steps of verify_card hand on to each other: the trusted entries
 * with the card's kid, the key the signature was checked with, the time
 * outcome of step 6 (reported at step 10), and the bundle of the jsonb path.
 */
typedef struct verify_state
{
	shc_card	card;
	shc_trust_key *keys;		/* the trusted entries with this kid */
	int			nkeys;
	shc_ec_key *signed_with;	/* the key the signature verified under */
	bool		signed_ok;
	shc_outcome time_outcome;
	char		timebuf[256];
	JsonbValue	bundle;			/* fhirBundle (jsonb path only) */
	bool		has_bundle;
} verify_state;

/*
 * The steps of verify_card.  Each returns true to go on; false with
 * r->status and r->reason set (the card's verdict) to stop.
 */
#define STOP(st, ...) \
	do { r->status = (st); r->reason = psprintf(__VA_ARGS__); return false; } while (0)

/*
 * SHC-NOTES 12 steps 1-4: shc:/, three segments, the header as JSON with
 * alg exactly ES256 (before anything else is looked at, SHC-NOTES 2),
 * "zip":"DEF", a kid, no crit; the signature's shape, before any key.
 */
static bool
step_header(verify_state *vs, const char *s, size_t n, verify_result *r)
{
	shc_card   *card = &vs->card;
	JsonbValue	member;
	JsonbValue *v;
	shc_error	err;

	if (!shc_card_open(card, s, n))
		STOP(SHC_V_MALFORMED, "%s", card->why);
	r->card_id = palloc(48);
	shc_card_identity(card, r->card_id);

	v = shc_jsonb_member(&card->header->root, "alg", &member);
	if (v == NULL)
		STOP(SHC_V_MALFORMED, "The header has no alg; SMART Health Cards are signed with ES256.");
	if (!string_is(v, "ES256"))
	{
		if (v->type == jbvString)
			STOP(SHC_V_MALFORMED, "The header alg is \"%s\"; only ES256 is accepted.",
				 quote_short(v->val.string.val, v->val.string.len));
		STOP(SHC_V_MALFORMED, "The header alg is not a string; only ES256 is accepted.");
	}
	if (!shc_card_check_zip(card))
		STOP(SHC_V_MALFORMED, "%s", card->why);
	v = shc_jsonb_member(&card->header->root, "kid", &member);
	if (v == NULL || v->type != jbvString || v->val.string.len == 0)
		STOP(SHC_V_MALFORMED, "The header has no kid string naming the signing key.");
	r->kid = pnstrdup(v->val.string.val, v->val.string.len);
	if (shc_jsonb_member(&card->header->root, "crit", &member) != NULL)
		STOP(SHC_V_MALFORMED, "The header has a crit member; no critical JWS extension is supported.");

	if (shc_card_check_signature(card, NULL, &err) != SHC_OK)
		STOP(SHC_V_MALFORMED, "%s", err.detail);
	return true;
}

/*
 * Steps 8-9, as far as they need no payload: every trusted entry with this
 * kid holds the same key (kid is its thumbprint), so one check of the
 * signature over the received bytes settles it.  A signature that fails
 * means the payload is never inflated; a kid no trusted key has means it
 * is only scanned, boundedly, for its iss (verify_unvouched).
 */
static bool
step_signature(verify_state *vs, Oid nsp, verify_result *r)
{
	shc_ec_key *pk = NULL;
	shc_error	err;
	int			i;

	shc_trust_cache_ensure(nsp);
	vs->nkeys = shc_trust_keys_by_kid(r->kid, strlen(r->kid), &vs->keys);
	for (i = 0; i < vs->nkeys && pk == NULL; i++)
		pk = shc_trust_key_pkey(&vs->keys[i]);
	if (pk == NULL)
	{
		verify_unvouched(&vs->card, r);
		return false;
	}
	/* keys[i - 1] is the entry whose key is pk */
	vs->signed_with = pk;
	if (shc_card_check_signature(&vs->card, &vs->keys[i - 1], &err) != SHC_OK)
	{
		raise_internal(&err);
		STOP(SHC_V_BAD_SIGNATURE, "The signature does not verify with the trusted key \"%s\".",
			 r->kid);
	}
	vs->signed_ok = true;
	return true;
}

/* vc.type: an array of strings containing the health-card type */
static bool
step_vc_types(JsonbValue *v, verify_result *r)
{
	JsonbContainer *tc;
	int			nt,
				i;
	Datum	   *elems;
	bool		health_card = false;

	if (!is_array(v))
		STOP(SHC_V_MALFORMED, "The vc has no type array.");
	tc = v->val.binary.data;
	nt = JsonContainerSize(tc);
	elems = palloc(sizeof(Datum) * Max(nt, 1));
	for (i = 0; i < nt; i++)
	{
		JsonbValue *t = getIthJsonbValueFromContainer(tc, i);

		if (t == NULL || t->type != jbvString)
			STOP(SHC_V_MALFORMED, "Element %d of vc.type is not a string.", i + 1);
		if (string_is(t, SHC_HEALTH_CARD_TYPE))
			health_card = true;
		elems[i] = PointerGetDatum(cstring_to_text_with_len(t->val.string.val, t->val.string.len));
	}
	r->types = PointerGetDatum(construct_array(elems, nt, TEXTOID, -1, false, TYPALIGN_INT));
	if (!health_card)
		STOP(SHC_V_MALFORMED, "The vc.type does not contain \"%s\".", SHC_HEALTH_CARD_TYPE);
	return true;
}

/*
 * Steps 5-6 on the jsonb path: the payload raw-inflated under the cap and
 * read with the card limits, then the claims' shape (SHC-NOTES 4): iss,
 * nbf, exp (the time outcome is kept for step 10), vc.type,
 * credentialSubject with fhirVersion and a FHIR Bundle, and vc.rid.
 */
static bool
step_claims(verify_state *vs, double at, verify_result *r)
{
	Jsonb	   *payload;
	JsonbValue	iss_v,
				nbf_v,
				exp_v,
				vc_v,
				type_v,
				cs_v,
				version_v,
				member;
	JsonbValue *v,
			   *vc,
			   *cs;

	if (!shc_card_read_payload(&vs->card))
		STOP(SHC_V_MALFORMED, "%s", vs->card.why);
	payload = vs->card.payload;
	if (!JsonContainerIsObject(&payload->root) || JsonContainerIsScalar(&payload->root))
		STOP(SHC_V_MALFORMED, "The payload is not a JSON object.");

	v = shc_jsonb_member(&payload->root, "iss", &iss_v);
	if (v == NULL || v->type != jbvString)
		STOP(SHC_V_MALFORMED, "The payload has no iss string.");
	r->iss = pnstrdup(v->val.string.val, v->val.string.len);
	if (v->val.string.len <= 8 || strncmp(r->iss, "https://", 8) != 0)
		STOP(SHC_V_MALFORMED, "The iss \"%s\" is not an https URL.",
			 quote_short(r->iss, strlen(r->iss)));
	if (r->iss[v->val.string.len - 1] == '/')
		STOP(SHC_V_MALFORMED, "The iss \"%s\" ends with \"/\".",
			 quote_short(r->iss, strlen(r->iss)));
	v = shc_jsonb_member(&payload->root, "nbf", &nbf_v);
	if (v == NULL || v->type != jbvNumeric)
		STOP(SHC_V_MALFORMED, "The payload has no numeric nbf.");
	r->nbf = numeric_secs(v);
	v = shc_jsonb_member(&payload->root, "exp", &exp_v);
	if (v != NULL)
	{
		if (v->type != jbvNumeric)
			STOP(SHC_V_MALFORMED, "The exp claim is not a number.");
		r->exp = numeric_secs(v);
		r->has_exp = true;
	}
	vs->time_outcome = shc_check_times(r->nbf, r->has_exp, r->exp, at, shc_clock_skew,
									   vs->timebuf, sizeof(vs->timebuf));
	if (vs->time_outcome == SHC_V_MALFORMED)
	{
		r->has_exp = false;
		STOP(SHC_V_MALFORMED, "%s", vs->timebuf);
	}
	r->has_nbf = true;

	vc = shc_jsonb_member(&payload->root, "vc", &vc_v);
	if (!is_object(vc))
		STOP(SHC_V_MALFORMED, "The payload has no vc object.");
	if (!step_vc_types(shc_jsonb_member(vc->val.binary.data, "type", &type_v), r))
		return false;
	cs = shc_jsonb_member(vc->val.binary.data, "credentialSubject", &cs_v);
	if (!is_object(cs))
		STOP(SHC_V_MALFORMED, "The vc has no credentialSubject object.");
	v = shc_jsonb_member(cs->val.binary.data, "fhirVersion", &version_v);
	if (v == NULL || v->type != jbvString)
		STOP(SHC_V_MALFORMED, "The credentialSubject has no fhirVersion string.");
	r->fhir_version = pnstrdup(v->val.string.val, v->val.string.len);
	v = shc_jsonb_member(cs->val.binary.data, "fhirBundle", &vs->bundle);
	if (!is_object(v))
		STOP(SHC_V_MALFORMED, "The credentialSubject has no fhirBundle object.");
	vs->has_bundle = true;
	if (!string_is(shc_jsonb_member(v->val.binary.data, "resourceType", &member), "Bundle"))
		STOP(SHC_V_MALFORMED, "The fhirBundle is not a FHIR Bundle (resourceType \"Bundle\").");
	v = shc_jsonb_member(vc->val.binary.data, "rid", &member);
	if (v != NULL)
	{
		if (v->type != jbvString || !shc_rid_ok(v->val.string.val, v->val.string.len))
			STOP(SHC_V_MALFORMED, "The vc.rid is not 1 to %d base64url characters.", SHC_RID_MAX_LEN);
		r->rid = pnstrdup(v->val.string.val, v->val.string.len);
	}
	return true;
}

/*
 * Steps 7-8: the issuer is trusted, and the key trusted for this iss and
 * this kid is found in one lookup (SHC-NOTES 12); the signature must
 * verify under exactly that entry's key.  It is the key checked by
 * step_signature (one kid, one thumbprint, one key): should it ever be
 * another object, the signature is checked again.  Then the key's x5c
 * chain under its policy, at at (SHC-NOTES 6).  *kp: the entry.
 */
static bool
step_trust(verify_state *vs, double at, verify_result *r, shc_trust_key **kp)
{
	shc_trust_key *k;
	shc_error	err;
	shc_status	st;

	if (!shc_trust_issuer_known(r->iss, strlen(r->iss)))
		STOP(SHC_V_UNKNOWN_ISSUER, "The issuer \"%s\" is not in the trust store.",
			 quote_short(r->iss, strlen(r->iss)));
	k = shc_trust_key_find(r->iss, strlen(r->iss), r->kid, strlen(r->kid));
	if (k == NULL)
	{
		if (vs->nkeys > 0)
			STOP(SHC_V_UNKNOWN_KEY, "The key \"%s\" is trusted for another issuer, not for \"%s\".",
				 quote_short(r->kid, strlen(r->kid)), quote_short(r->iss, strlen(r->iss)));
		STOP(SHC_V_UNKNOWN_KEY, "The issuer \"%s\" has no trusted key \"%s\".",
			 quote_short(r->iss, strlen(r->iss)), quote_short(r->kid, strlen(r->kid)));
	}
	if (vs->signed_ok && shc_trust_key_pkey(k) != vs->signed_with)
	{
		st = shc_card_check_signature(&vs->card, k, &err);
		vs->signed_ok = st == SHC_OK;
		if (st != SHC_OK && st != SHC_ERR_KEY)
		{
			raise_internal(&err);
			STOP(SHC_V_BAD_SIGNATURE, "The signature does not verify with the trusted key \"%s\".",
				 r->kid);
		}
	}
	if (!vs->signed_ok)			/* the entry's key did not parse: can't happen */
		STOP(SHC_V_UNKNOWN_KEY, "The trusted key \"%s\" cannot be used.", r->kid);
	*kp = k;
	return x5c_allows(k, at, r);
}

/*
 * Step 11: revocation (SHC-NOTES 10).  A card without a rid cannot be
 * revoked, so it needs no list; a card with one, from a key that announces
 * a list the trust store lacks (or holds only an older version of), cannot
 * be checked: no_crl.
 */
static bool
step_revocation(shc_trust_key *k, verify_result *r)
{
	shc_trust_rid *e;

	if (r->rid == NULL)
		return true;
	if (k->crl_version > 0 && (!k->has_crl || k->crl_ctr < k->crl_version))
	{
		if (!k->has_crl)
			STOP(SHC_V_NO_CRL, "The key \"%s\" has revocation list version %d, and the trust store holds no revocation list for it; the card's rid cannot be checked.",
				 r->kid, k->crl_version);
		STOP(SHC_V_NO_CRL, "The key \"%s\" has revocation list version %d, and the trust store holds only version %d; the card's rid cannot be checked.",
			 r->kid, k->crl_version, k->crl_ctr);
	}
	if (!k->has_crl)
		return true;
	e = shc_trust_crl_find(k, r->rid, strlen(r->rid));
	if (e != NULL && shc_crl_revokes(e->has_ts, e->ts, r->nbf))
	{
		if (e->has_ts)
			STOP(SHC_V_REVOKED, "The rid \"%s\" is revoked for cards issued before %s by revocation list %d of key \"%s\".",
				 r->rid, timestamptz_to_str(secs_to_timestamptz(e->ts)), k->crl_ctr, r->kid);
		STOP(SHC_V_REVOKED, "The rid \"%s\" is revoked by revocation list %d of key \"%s\".",
			 r->rid, k->crl_ctr, r->kid);
	}
	return true;
}

/* the sentence of every valid card: put together, not formatted */
static void
set_valid(verify_result *r)
{
	static const char pre[] = "The card is signed by trusted key \"";
	static const char post[] = "\" of its issuer, current and not revoked.";
	size_t		kl = strlen(r->kid);
	char	   *t = palloc(sizeof(pre) - 1 + kl + sizeof(post));

	memcpy(t, pre, sizeof(pre) - 1);
	memcpy(t + sizeof(pre) - 1, r->kid, kl);
	memcpy(t + sizeof(pre) - 1 + kl, post, sizeof(post));
	r->status = SHC_V_VALID;
	r->reason = t;
}

#undef STOP

/*
 * Verify one card into r, step by step (SHC-NOTES 12).  status_only: the
 * status-only path of shc_verify_status, which reads the claims with the
 * JSON reader's events (shc_card_read_claims) instead of building the
 * payload's jsonb, and leaves types, fhir_version and bundle unset.
 */
static void
verify_card(const char *s, size_t n, double at, Oid nsp, verify_result *r,
			bool status_only)
{
	verify_state vs;
	shc_trust_key *k = NULL;

	memset(r, 0, sizeof(*r));
	r->status = SHC_V_MALFORMED;
	vs.keys = NULL;
	vs.nkeys = 0;
	vs.signed_with = NULL;
	vs.signed_ok = false;
	vs.has_bundle = false;

	if (!step_header(&vs, s, n, r) || !step_signature(&vs, nsp, r))
		return;
	if (status_only)
	{
		shc_card_claims claims;

		if (!shc_card_read_claims(&vs.card, &claims))
		{
			r->status = SHC_V_MALFORMED;
			r->reason = psprintf("%s", vs.card.why);
			return;
		}
		if (!claims_step6(&claims, at, r, &vs.time_outcome, vs.timebuf, sizeof(vs.timebuf)))
			return;
	}
	else if (!step_claims(&vs, at, r))
		return;
	if (!step_trust(&vs, at, r, &k))
		return;
	/* step 10: time */
	if (vs.time_outcome != SHC_V_VALID)
	{
		r->status = vs.time_outcome;
		r->reason = psprintf("%s", vs.timebuf);
		return;
	}
	if (!step_revocation(k, r))
		return;
	set_valid(r);
	if (!status_only && vs.has_bundle)
		r->bundle = JsonbValueToJsonb(&vs.bundle);
}

/* a JSON number token as seconds, exactly as numeric_secs of its jsonb */
static double
token_secs(const char *tok)
{
	Datum		num = DirectFunctionCall3(numeric_in, CStringGetDatum(tok),
										  ObjectIdGetDatum(InvalidOid),
										  Int32GetDatum(-1));

	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, num));
}

/*
 * Step 6 of the status-only path: the claims shape, the same rules in the
 * same order and with the same reasons as the jsonb path of verify_card
 * (the regression test "status" compares the two over every fixture card).
 * Sets r->status and r->reason and returns false on a failure; fills
 * r->iss, r->nbf, r->exp, r->rid and the time outcome.
 */
static bool
claims_step6(shc_card_claims *c, double at, verify_result *r,
			 shc_outcome *time_outcome, char *timebuf, size_t timebuflen)
{
#undef FAIL
#define FAIL(stat, ...) \
	do { r->status = (stat); r->reason = psprintf(__VA_ARGS__); return false; } while (0)

	if (c->top != SHC_CLAIM_OBJECT)
		FAIL(SHC_V_MALFORMED, "The payload is not a JSON object.");
	if (c->iss.kind != SHC_CLAIM_STRING)
		FAIL(SHC_V_MALFORMED, "The payload has no iss string.");
	r->iss = c->iss.s;
	if (c->iss.n <= 8 || strncmp(r->iss, "https://", 8) != 0)
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" is not an https URL.",
			 quote_short(r->iss, strlen(r->iss)));
	if (r->iss[c->iss.n - 1] == '/')
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" ends with \"/\".",
			 quote_short(r->iss, strlen(r->iss)));
	if (c->nbf.kind != SHC_CLAIM_NUMBER)
		FAIL(SHC_V_MALFORMED, "The payload has no numeric nbf.");
	r->nbf = token_secs(c->nbf.s);
	if (c->exp.kind != SHC_CLAIM_ABSENT)
	{
		if (c->exp.kind != SHC_CLAIM_NUMBER)
			FAIL(SHC_V_MALFORMED, "The exp claim is not a number.");
		r->exp = token_secs(c->exp.s);
		r->has_exp = true;
	}
	*time_outcome = shc_check_times(r->nbf, r->has_exp, r->exp, at, shc_clock_skew,
									timebuf, timebuflen);
	if (*time_outcome == SHC_V_MALFORMED)
	{
		r->has_exp = false;
		FAIL(SHC_V_MALFORMED, "%s", timebuf);
	}
	r->has_nbf = true;
	if (c->vc.kind != SHC_CLAIM_OBJECT)
		FAIL(SHC_V_MALFORMED, "The payload has no vc object.");
	if (c->type.kind != SHC_CLAIM_ARRAY)
		FAIL(SHC_V_MALFORMED, "The vc has no type array.");
	if (c->first_bad_type > 0)
		FAIL(SHC_V_MALFORMED, "Element %d of vc.type is not a string.", (int) c->first_bad_type);
	if (!c->health_card)
		FAIL(SHC_V_MALFORMED, "The vc.type does not contain \"%s\".", SHC_HEALTH_CARD_TYPE);
	if (c->cs.kind != SHC_CLAIM_OBJECT)
		FAIL(SHC_V_MALFORMED, "The vc has no credentialSubject object.");
	if (c->fhir_version.kind != SHC_CLAIM_STRING)
		FAIL(SHC_V_MALFORMED, "The credentialSubject has no fhirVersion string.");
	if (c->bundle.kind != SHC_CLAIM_OBJECT)
		FAIL(SHC_V_MALFORMED, "The credentialSubject has no fhirBundle object.");
	if (c->resource_type.kind != SHC_CLAIM_STRING || strcmp(c->resource_type.s, "Bundle") != 0)
		FAIL(SHC_V_MALFORMED, "The fhirBundle is not a FHIR Bundle (resourceType \"Bundle\").");
	if (c->rid.kind != SHC_CLAIM_ABSENT)
	{
		if (c->rid.kind != SHC_CLAIM_STRING || !shc_rid_ok(c->rid.s, c->rid.n))
			FAIL(SHC_V_MALFORMED, "The vc.rid is not 1 to %d base64url characters.", SHC_RID_MAX_LEN);
		r->rid = c->rid.s;
	}
	return true;
#undef FAIL
#define FAIL(st, ...) \
	do { r->status = (st); r->reason = psprintf(__VA_ARGS__); return; } while (0)
}

static HeapTuple
result_tuple(TupleDesc td, verify_result *r)
{
	Datum		values[12];
	bool		nulls[12];

	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(shc_outcome_name(r->status));
	values[1] = BoolGetDatum(r->status == SHC_V_VALID);
	values[2] = CStringGetTextDatum(r->reason ? r->reason : "");
#define OPT_TEXT(i, s) do { if (s) values[i] = CStringGetTextDatum(s); else nulls[i] = true; } while (0)
	OPT_TEXT(3, r->iss);
	OPT_TEXT(4, r->kid);
	if (r->has_nbf)
		values[5] = TimestampTzGetDatum(secs_to_timestamptz(r->nbf));
	else
		nulls[5] = true;
	if (r->has_nbf && r->has_exp)
		values[6] = TimestampTzGetDatum(secs_to_timestamptz(r->exp));
	else
		nulls[6] = true;
	if (r->types)
		values[7] = r->types;
	else
		nulls[7] = true;
	OPT_TEXT(8, r->rid);
	OPT_TEXT(9, r->fhir_version);
	if (r->bundle)
		values[10] = JsonbPGetDatum(r->bundle);
	else
		nulls[10] = true;
	OPT_TEXT(11, r->card_id);
	return heap_form_tuple(td, values, nulls);
}

/* what shc_verify keeps in fn_extra */
typedef struct verify_fn_cache
{
	TupleDesc	td;
	Oid			nsp;
} verify_fn_cache;

static double
check_at(TimestampTz at)
{
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("verification time must be finite")));
	return timestamptz_to_secs(at);
}

/*
 * shc_verify(card text, at timestamptz DEFAULT now()) returns shc_verification
 */
PG_FUNCTION_INFO_V1(shc_verify_sql);
Datum
shc_verify_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	double		at = check_at(PG_GETARG_TIMESTAMPTZ(1));
	verify_fn_cache *fc = (verify_fn_cache *) fcinfo->flinfo->fn_extra;
	verify_result r;

	/* the result descriptor and the extension's schema, once per call site */
	if (fc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	td;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "shc_verify must return a composite type");
		fc = palloc(sizeof(verify_fn_cache));
		fc->td = BlessTupleDesc(CreateTupleDescCopy(td));
		fc->nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
		fcinfo->flinfo->fn_extra = fc;
		MemoryContextSwitchTo(old);
	}
	verify_card(VARDATA_ANY(card), VARSIZE_ANY_EXHDR(card), at, fc->nsp, &r, false);
	PG_RETURN_DATUM(HeapTupleGetDatum(result_tuple(fc->td, &r)));
}

/*
 * shc_verify_status(card text, at timestamptz DEFAULT now()) returns text:
 * the status of shc_verify(card, at) through the status-only path.
 */
PG_FUNCTION_INFO_V1(shc_verify_status_sql);
Datum
shc_verify_status_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	double		at = check_at(PG_GETARG_TIMESTAMPTZ(1));
	Oid		   *nsp = (Oid *) fcinfo->flinfo->fn_extra;
	verify_result r;

	if (nsp == NULL)
	{
		nsp = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));
		*nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
		fcinfo->flinfo->fn_extra = nsp;
	}
	verify_card(VARDATA_ANY(card), VARSIZE_ANY_EXHDR(card), at, *nsp, &r, true);
	PG_RETURN_TEXT_P(cstring_to_text(shc_outcome_name(r.status)));
}

/* ---------------------------------------------------------------------
 * .smart-health-card files (SHC-NOTES 9.1)
 * --------------------------------------------------------------------- */

/* the verifiableCredential array container, or NULL with *why set */
static JsonbContainer *
file_cards(Jsonb *file, char **why)
{
	JsonbValue	b;
	JsonbValue *v;

	if (JsonContainerIsScalar(&file->root) || !JsonContainerIsObject(&file->root))
	{
		*why = "A .smart-health-card file is a JSON object.";
		return NULL;
	}
	v = shc_jsonb_member(&file->root, "verifiableCredential", &b);
	if (!is_array(v))
	{
		*why = "The file has no verifiableCredential array.";
		return NULL;
	}
	if (JsonContainerSize(v->val.binary.data) == 0)
	{
		*why = "The file's verifiableCredential array is empty.";
		return NULL;
	}
	return v->val.binary.data;
}

/*
 * shc_verify_file(file jsonb, at timestamptz DEFAULT now())
 *		returns setof shc_verification
 */
PG_FUNCTION_INFO_V1(shc_verify_file_sql);
Datum
shc_verify_file_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *file = PG_GETARG_JSONB_P(0);
	double		at = check_at(PG_GETARG_TIMESTAMPTZ(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	JsonbContainer *jc;
	char	   *why;
	MemoryContext item_cxt,
				old;
	int			n,
				i;

	InitMaterializedSRF(fcinfo, 0);
	item_cxt = AllocSetContextCreate(CurrentMemoryContext, "shc_verify_file item",
									 ALLOCSET_DEFAULT_SIZES);
	jc = file_cards(file, &why);
	if (jc == NULL)
	{
		verify_result r;

		memset(&r, 0, sizeof(r));
		r.status = SHC_V_MALFORMED;
		r.reason = why;
		tuplestore_puttuple(rsinfo->setResult, result_tuple(rsinfo->setDesc, &r));
		return (Datum) 0;
	}
	n = JsonContainerSize(jc);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);
		verify_result r;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(item_cxt);
		if (v == NULL || v->type != jbvString)
		{
			memset(&r, 0, sizeof(r));
			r.status = SHC_V_MALFORMED;
			r.reason = psprintf("Entry %d of verifiableCredential is not a string.", i + 1);
		}
		else
			verify_card(v->val.string.val, v->val.string.len, at, nsp, &r, false);
		tuplestore_puttuple(rsinfo->setResult, result_tuple(rsinfo->setDesc, &r));
		MemoryContextSwitchTo(old);
		MemoryContextReset(item_cxt);
	}
	MemoryContextDelete(item_cxt);
	return (Datum) 0;
}

/*
 * shc_file_cards(file jsonb) returns setof text
 */
PG_FUNCTION_INFO_V1(shc_file_cards_sql);
Datum
shc_file_cards_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *file = PG_GETARG_JSONB_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	JsonbContainer *jc;
	char	   *why;
	int			n,
				i;

	jc = file_cards(file, &why);
	if (jc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SMART Health Card file"),
				 errdetail_internal("%s", why),
				 errhint("The file is {\"verifiableCredential\": [\"<JWS>\", ...]}.")));
	n = JsonContainerSize(jc);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);

		if (v == NULL || v->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid SMART Health Card file"),
					 errdetail("Entry %d of verifiableCredential is not a string.", i + 1)));
	}
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);
		Datum		d = PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len));
		bool		isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &d, &isnull);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * shc_decode(card text) returns jsonb
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(shc_decode_sql);
Datum
shc_decode_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	shc_card	card;

	if (!shc_card_open(&card, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) ||
		!shc_card_read_payload(&card))
		shc_card_raise(&card);
	{
		const char *keys[2] = {"header", "payload"};
		Jsonb	   *vals[2] = {card.header, card.payload};

		PG_RETURN_JSONB_P(shc_jsonb_object_of(2, keys, vals));
	}
}

/*
 * shc_card_id(card text) returns text
 *		The card's identity (shc_card_identity): the same for every text of
 *		one signed card, whichever encoding of the signature it carries.
 */
PG_FUNCTION_INFO_V1(shc_card_id_sql);
Datum
shc_card_id_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	shc_card	card;
	char		id[48];

	if (!shc_card_open(&card, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)))
		shc_card_raise(&card);
	shc_card_identity(&card, id);
	PG_RETURN_TEXT_P(cstring_to_text(id));
}
