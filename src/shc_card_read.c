/*
 * shc_card_read.c
 *		The one card reader (see shc_card_read.h; SHC-NOTES sections 2-4,
 *		8 and 12): stages, so that a signature is checked before any of the
 *		payload is inflated, and a card nobody vouches for costs a bounded
 *		amount of work.
 */
#include "shc_card_read.h"
#include "shc_memo.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "core/shc_b64url.h"
#include "core/shc_deflate.h"
#include "core/shc_jsonr.h"
#include "core/shc_qr.h"
#include "core/shc_verify.h"

static bool
failed(shc_card *c, const char *fmt,...) pg_attribute_printf(2, 3);

/* record a failure: c->err is already set; why is the reason sentence */
static bool
failed(shc_card *c, const char *fmt,...)
{
	va_list		ap;
	StringInfoData b;

	/* memory and library failures are not the card's: raise them */
	if (c->err.status == SHC_ERR_NOMEM || c->err.status == SHC_ERR_INTERNAL)
		shc_raise(&c->err);
	initStringInfo(&b);
	for (;;)
	{
		int			need;

		va_start(ap, fmt);
		need = appendStringInfoVA(&b, fmt, ap);
		va_end(ap);
		if (need == 0)
			break;
		enlargeStringInfo(&b, need);
	}
	c->why = b.data;
	return false;
}

bool
shc_card_open(shc_card *c, const char *s, size_t n)
{
	shc_buf		hb;

	memset(c, 0, sizeof(*c));
	if (n > (size_t) shc_max_payload_size)
	{
		shc_error_set(&c->err, SHC_ERR_LIMIT,
					  "The card has %zu characters; shc.max_payload_size allows %d.",
					  n, shc_max_payload_size);
		c->hint = "A superuser can raise shc.max_payload_size.";
		return failed(c, "%s", c->err.detail);
	}

	/* SHC-NOTES 12 step 1: a shc:/ numeric text holds the JWS */
	if (n >= SHC_QR_PREFIX_LEN && memcmp(s, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN) == 0)
	{
		const char *texts[1] = {s};
		size_t		lens[1] = {n};
		shc_buf		qr;

		shc_buf_init(&qr, &shc_pg_allocator, 0);
		if (shc_qr_decode_parts(texts, lens, 1, &qr, &c->err) != SHC_OK)
		{
			if (c->err.status == SHC_ERR_QR_CHUNKS)
				c->hint = "For the deprecated chunked form, join the chunks with shc_qr_decode() first.";
			return failed(c, "The shc:/ text is malformed. %s", c->err.detail);
		}
		s = qr.data;
		n = qr.len;
	}
	c->jws = s;
	c->len = n;

	/* step 2: three base64url segments */
	if (shc_jws_split(s, n, 0, &c->parts, &c->err) != SHC_OK)
		return failed(c, "%s", c->err.detail);

	/* step 3: the header, read with the card limits */
	shc_buf_init(&hb, &shc_pg_allocator, 0);
	if (shc_b64url_decode(c->parts.header, c->parts.header_len, &hb, &c->err) != SHC_OK)
		return failed(c, "The header segment is not valid base64url.");
	c->header = shc_jsonb_parse(hb.data, hb.len, &shc_json_card_limits, &c->err);
	if (c->header == NULL)
		return failed(c, "The header is not valid JSON. %s", c->err.detail);
	if (!JsonContainerIsObject(&c->header->root) || JsonContainerIsScalar(&c->header->root))
	{
		shc_error_set(&c->err, SHC_ERR_JWS_HEADER, "The header is not a JSON object.");
		return failed(c, "%s", c->err.detail);
	}
	return true;
}

/*
 * SHA-256 of the signing input, computed once per card: the card's identity
 * and the digest ECDSA verifies (and the signature memo keys on) are the
 * same hash of the same bytes.
 */
static const uint8_t *
card_digest(shc_card *c)
{
	shc_error	err;

	if (!c->has_digest)
	{
		if (shc_sha256(c->jws, c->parts.signing_input_len, c->digest, &err) != SHC_OK)
			shc_raise(&err);
		c->has_digest = true;
	}
	return c->digest;
}

shc_status
shc_card_check_signature(shc_card *c, shc_trust_key *k, shc_error *err)
{
	shc_ec_key *pk;

	/* SHC-NOTES 3: over the exact received bytes; NULL key: shape only */
	if (k == NULL)
		return shc_jws_verify_signature(c->jws, &c->parts, NULL, err);
	if ((pk = shc_trust_key_pkey(k)) == NULL)
		return shc_error_set(err, SHC_ERR_KEY, "The trusted key cannot be used.");
	/* through the signature memo (src/shc_memo.c), keyed by this entry */
	return shc_signature_check(&c->parts, card_digest(c), k->memo_id, pk, err);
}

/* "zip":"DEF" (SHC-NOTES 2): without it there is no payload to inflate */
bool
shc_card_check_zip(shc_card *c)
{
	JsonbValue	b;
	JsonbValue *v = shc_jsonb_member(&c->header->root, "zip", &b);

	if (v != NULL && v->type == jbvString && v->val.string.len == 3 &&
		memcmp(v->val.string.val, "DEF", 3) == 0)
		return true;
	shc_error_set(&c->err, SHC_ERR_JWS_HEADER,
				  "The header has %s; the payload of a SMART Health Card is raw DEFLATE (\"zip\":\"DEF\").",
				  v == NULL ? "no zip" : "a zip other than \"DEF\"");
	return failed(c, "%s", c->err.detail);
}

/* stage 3 up to the JSON: base64url and the capped inflate into *inflated */
static bool
inflate_payload(shc_card *c, shc_buf *inflated)
{
	shc_buf		pb;
	shc_status	st;

	if (!shc_card_check_zip(c))
		return false;
	shc_buf_init(&pb, &shc_pg_allocator, 0);
	if (shc_b64url_decode(c->parts.payload, c->parts.payload_len, &pb, &c->err) != SHC_OK)
		return failed(c, "The payload segment is not valid base64url.");
	CHECK_FOR_INTERRUPTS();
	shc_buf_init(inflated, &shc_pg_allocator, 0);
	/* SHC-NOTES 4.1: bounded inflate (DEFLATE-bomb defense) */
	st = shc_inflate_raw((const uint8_t *) pb.data, pb.len, (size_t) shc_max_payload_size,
						 inflated, &c->err);
	shc_buf_free(&pb);
	if (st == SHC_ERR_INFLATE_TOO_LARGE)
	{
		c->hint = "A superuser can raise shc.max_payload_size.";
		return failed(c, "The payload inflates to more than %d bytes (shc.max_payload_size).",
					  shc_max_payload_size);
	}
	if (st != SHC_OK)
		return failed(c, "The payload cannot be inflated. %s", c->err.detail);
	CHECK_FOR_INTERRUPTS();
	return true;
}

bool
shc_card_read_payload(shc_card *c)
{
	shc_buf		inflated;

	if (!inflate_payload(c, &inflated))
		return false;
	c->payload = shc_jsonb_parse(inflated.data, inflated.len, &shc_json_card_limits, &c->err);
	shc_buf_free(&inflated);
	if (c->payload == NULL)
		return failed(c, "The payload is not valid JSON. %s", c->err.detail);
	return true;
}

bool
shc_card_read_claims(shc_card *c, shc_card_claims *claims)
{
	shc_buf		inflated;
	shc_status	st;

	if (!inflate_payload(c, &inflated))
		return false;
	st = shc_card_claims_read(inflated.data, inflated.len, &shc_pg_allocator, claims, &c->err);
	shc_buf_free(&inflated);
	if (st == SHC_ERR_NOMEM)
		shc_raise(&c->err);
	if (st != SHC_OK)
		return failed(c, "The payload is not valid JSON. %s", c->err.detail);
	return true;
}

/* the scan's handler: the string value of the top-level key "iss" */
typedef struct iss_scan
{
	bool		at_iss;
	char	   *iss;
} iss_scan;

static shc_status
scan_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	iss_scan   *sc = ctx;

	if (ev == SHC_JSON_KEY)
	{
		sc->at_iss = depth == 1 && n == 3 && memcmp(s, "iss", 3) == 0;
		return SHC_OK;
	}
	if (sc->at_iss && depth == 1)
	{
		if (ev == SHC_JSON_STRING && memchr(s, '\0', n) == NULL)
			sc->iss = pnstrdup(s, n);
		return SHC_STOPPED;
	}
	return SHC_OK;
}

char *
shc_card_scan_iss(const shc_card *c)
{
	size_t		b64 = c->parts.payload_len;
	shc_buf		pb,
				head;
	shc_error	err;
	iss_scan	sc;

	if (c->header == NULL)
		return NULL;
	/* a prefix of whole base64url quanta decodes on its own */
	if (b64 > SHC_CARD_SCAN_B64)
		b64 = SHC_CARD_SCAN_B64;
	shc_buf_init(&pb, &shc_pg_allocator, 0);
	if (shc_b64url_decode(c->parts.payload, b64 == c->parts.payload_len ? b64 : b64 & ~(size_t) 3,
						  &pb, &err) != SHC_OK)
		return NULL;
	shc_buf_init(&head, &shc_pg_allocator, 0);
	if (pb.len == 0 ||
		shc_inflate_prefix((const uint8_t *) pb.data, pb.len, SHC_CARD_SCAN_MAX, &head, &err) != SHC_OK)
		return NULL;
	memset(&sc, 0, sizeof(sc));
	/* a prefix ends mid-text: only what came before that counts */
	(void) shc_json_read(head.data, head.len, &shc_json_card_limits, scan_event, &sc,
						 &shc_pg_allocator, NULL, &err);
	shc_buf_free(&pb);
	shc_buf_free(&head);
	return sc.iss;
}

void
shc_card_raise(const shc_card *c)
{
	shc_error	e = c->err;

	/* the reason sentence names the part of the card that failed */
	if (c->why)
		strlcpy(e.detail, c->why, sizeof(e.detail));
	shc_raise_hint(&e, c->hint);
}

void
shc_card_identity(shc_card *c, char *out)
{
	out[shc_b64url_encode_to(card_digest(c), 32, out)] = '\0';
}
