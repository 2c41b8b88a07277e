/*
 * shc_claims.c
 *		Reading the verifier's claims out of a payload with the JSON reader's
 *		events, building nothing else (see shc_claims.h).
 *
 * The handler keeps, for each open container up to MAX_TRACKED levels
 * deep, what it is (the payload, vc, credentialSubject, fhirBundle,
 * vc.type, or anything else) and, in an object, which claim the pending key
 * names.  Deeper containers are never claims.
 */
#include "shc_claims.h"
#include "shc_rules.h"

#include <string.h>

#define MAX_TRACKED 8

typedef enum node
{
	N_OTHER = 0,
	N_ROOT,
	N_VC,
	N_CS,
	N_BUNDLE,
	N_TYPES
} node;

typedef enum claim_key
{
	K_NONE = 0,
	K_ISS,
	K_NBF,
	K_EXP,
	K_VC,
	K_TYPE,
	K_CS,
	K_RID,
	K_FHIR_VERSION,
	K_FHIR_BUNDLE,
	K_RESOURCE_TYPE
} claim_key;

typedef struct claims_state
{
	shc_card_claims *c;
	const shc_allocator *a;
	shc_error  *err;
	node		nodes[MAX_TRACKED + 1]; /* the container at each depth */
	claim_key	keys[MAX_TRACKED + 1];	/* its pending key */
} claims_state;

static bool
key_is(const char *s, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(s, want, n) == 0;
}

static claim_key
classify(node where, const char *s, size_t n)
{
	switch (where)
	{
		case N_ROOT:
			if (key_is(s, n, "iss"))
				return K_ISS;
			if (key_is(s, n, "nbf"))
				return K_NBF;
			if (key_is(s, n, "exp"))
				return K_EXP;
			if (key_is(s, n, "vc"))
				return K_VC;
			break;
		case N_VC:
			if (key_is(s, n, "type"))
				return K_TYPE;
			if (key_is(s, n, "credentialSubject"))
				return K_CS;
			if (key_is(s, n, "rid"))
				return K_RID;
			break;
		case N_CS:
			if (key_is(s, n, "fhirVersion"))
				return K_FHIR_VERSION;
			if (key_is(s, n, "fhirBundle"))
				return K_FHIR_BUNDLE;
			break;
		case N_BUNDLE:
			if (key_is(s, n, "resourceType"))
				return K_RESOURCE_TYPE;
			break;
		default:
			break;
	}
	return K_NONE;
}

static void
claim_clear(claims_state *st, shc_claim *cl)
{
	if (cl->s != NULL)
		st->a->free(cl->s, st->a->ctx);
	memset(cl, 0, sizeof(*cl));
}

/* what a value event makes of a claim (strings and numbers copied) */
static shc_status
claim_set(claims_state *st, shc_claim *cl, shc_json_event ev, const char *s,
		  size_t n)
{
	claim_clear(st, cl);
	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
			cl->kind = SHC_CLAIM_OBJECT;
			return SHC_OK;
		case SHC_JSON_ARRAY_START:
			cl->kind = SHC_CLAIM_ARRAY;
			return SHC_OK;
		case SHC_JSON_STRING:
			cl->kind = SHC_CLAIM_STRING;
			break;
		case SHC_JSON_NUMBER:
			cl->kind = SHC_CLAIM_NUMBER;
			break;
		default:
			cl->kind = SHC_CLAIM_OTHER;
			return SHC_OK;
	}
	cl->s = st->a->alloc(n + 1, st->a->ctx);
	if (cl->s == NULL)
		return shc_error_set(st->err, SHC_ERR_NOMEM, NULL);
	memcpy(cl->s, s, n);
	cl->s[n] = '\0';
	cl->n = n;
	return SHC_OK;
}

/* a new value of vc, credentialSubject or fhirBundle: forget the old one's */
static void
forget_bundle(claims_state *st)
{
	claim_clear(st, &st->c->resource_type);
}

static void
forget_cs(claims_state *st)
{
	claim_clear(st, &st->c->fhir_version);
	claim_clear(st, &st->c->bundle);
	forget_bundle(st);
}

static void
forget_types(claims_state *st)
{
	st->c->ntypes = 0;
	st->c->first_bad_type = 0;
	st->c->health_card = false;
}

static void
forget_vc(claims_state *st)
{
	claim_clear(st, &st->c->type);
	forget_types(st);
	claim_clear(st, &st->c->cs);
	forget_cs(st);
	claim_clear(st, &st->c->rid);
}

static shc_status
on_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	claims_state *st = ctx;
	shc_card_claims *c = st->c;
	node		parent,
				child = N_OTHER;
	shc_claim  *cl = NULL;
	shc_status	rc = SHC_OK;

	if (ev == SHC_JSON_OBJECT_END || ev == SHC_JSON_ARRAY_END)
		return SHC_OK;
	if (ev == SHC_JSON_KEY)
	{
		if (depth <= MAX_TRACKED)
			st->keys[depth] = classify(st->nodes[depth], s, n);
		return SHC_OK;
	}

	/* a value: the payload itself, an array element or an object member */
	if (depth == 0)
	{
		c->top = ev == SHC_JSON_OBJECT_START ? SHC_CLAIM_OBJECT :
			ev == SHC_JSON_ARRAY_START ? SHC_CLAIM_ARRAY :
			ev == SHC_JSON_STRING ? SHC_CLAIM_STRING :
			ev == SHC_JSON_NUMBER ? SHC_CLAIM_NUMBER : SHC_CLAIM_OTHER;
		if (ev == SHC_JSON_OBJECT_START)
			st->nodes[1] = N_ROOT;
		return SHC_OK;
	}
	if (depth > MAX_TRACKED)
		return SHC_OK;
	parent = st->nodes[depth];
	if (parent == N_TYPES)
	{
		c->ntypes++;
		if (ev != SHC_JSON_STRING)
		{
			if (c->first_bad_type == 0)
				c->first_bad_type = c->ntypes;
		}
		else if (key_is(s, n, SHC_HEALTH_CARD_TYPE))
			c->health_card = true;
	}
	else if (parent != N_OTHER)
	{
		switch (st->keys[depth])
		{
			case K_ISS:
				cl = &c->iss;
				break;
			case K_NBF:
				cl = &c->nbf;
				break;
			case K_EXP:
				cl = &c->exp;
				break;
			case K_VC:
				forget_vc(st);
				cl = &c->vc;
				child = N_VC;
				break;
			case K_TYPE:
				forget_types(st);
				cl = &c->type;
				child = N_TYPES;
				break;
			case K_CS:
				forget_cs(st);
				cl = &c->cs;
				child = N_CS;
				break;
			case K_RID:
				cl = &c->rid;
				break;
			case K_FHIR_VERSION:
				cl = &c->fhir_version;
				break;
			case K_FHIR_BUNDLE:
				forget_bundle(st);
				cl = &c->bundle;
				child = N_BUNDLE;
				break;
			case K_RESOURCE_TYPE:
				cl = &c->resource_type;
				break;
			case K_NONE:
				break;
		}
		if (cl != NULL)
			rc = claim_set(st, cl, ev, s, n);
	}
	if ((ev == SHC_JSON_OBJECT_START || ev == SHC_JSON_ARRAY_START) &&
		depth + 1 <= MAX_TRACKED)
	{
		/* vc.type is an array; the others are objects */
		if ((child == N_TYPES) != (ev == SHC_JSON_ARRAY_START))
			child = N_OTHER;
		st->nodes[depth + 1] = child;
		st->keys[depth + 1] = K_NONE;
	}
	return rc;
}

shc_status
shc_card_claims_read(const char *s, size_t n, const shc_allocator *a,
					 shc_card_claims *c, shc_error *err)
{
	claims_state st;
	shc_status	rc;

	if (a == NULL)
		a = &shc_default_allocator;
	memset(c, 0, sizeof(*c));
	memset(&st, 0, sizeof(st));
	st.c = c;
	st.a = a;
	st.err = err;
	rc = shc_json_read(s, n, &shc_json_card_limits, on_event, &st, a, NULL, err);
	return rc;
}

void
shc_card_claims_free(shc_card_claims *c, const shc_allocator *a)
{
	shc_claim  *all[] = {&c->iss, &c->nbf, &c->exp, &c->vc, &c->type, &c->cs,
	&c->fhir_version, &c->bundle, &c->resource_type, &c->rid};
	size_t		i;

	if (a == NULL)
		a = &shc_default_allocator;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->s != NULL)
		{
			a->free(all[i]->s, a->ctx);
			all[i]->s = NULL;
		}
}
