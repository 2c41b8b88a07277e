/*
 * shc_rules.c
 *		The rulebook (see shc_rules.h): NumericDate ranges, and the FHIR
 *		checks of the official SMART Health Cards validator over a bundle's
 *		text, in one pass of the JSON reader.
 */
#include "shc_rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
shc_rule_numericdate_ok(double t)
{
	return isfinite(t) && t >= 0 && t < SHC_NUMERICDATE_MS_THRESHOLD;
}

static shc_status
one_time(const char *name, double t, shc_error *err)
{
	if (shc_rule_numericdate_ok(t))
		return SHC_OK;
	if (isfinite(t) && t >= SHC_NUMERICDATE_MS_THRESHOLD)
		return shc_error_set(err, SHC_ERR_TIME,
							 "The %s claim would be %.0f seconds since 1970, after the year 5000; a verifier takes that for milliseconds.",
							 name, t);
	return shc_error_set(err, SHC_ERR_TIME,
						 "The %s claim would be before 1970; a NumericDate counts seconds from 1970-01-01.",
						 name);
}

shc_status
shc_rule_times(double nbf, bool has_exp, double exp, shc_error *err)
{
	if (one_time("nbf", nbf, err) != SHC_OK)
		return SHC_ERR_TIME;
	if (has_exp)
	{
		if (one_time("exp", exp, err) != SHC_OK)
			return SHC_ERR_TIME;
		/* the official validator calls exp <= nbf an error */
		if (exp <= nbf)
			return shc_error_set(err, SHC_ERR_TIME,
								 "The exp claim (%.0f) is not after the nbf claim (%.0f).",
								 exp, nbf);
	}
	return SHC_OK;
}

/* ---------------------------------------------------------------------
 * FHIR date and dateTime (FHIR R4, datatypes: date, dateTime)
 * --------------------------------------------------------------------- */

static bool
digits(const char *s, size_t n, size_t at, size_t k, int lo, int hi, int *out)
{
	int			v = 0;
	size_t		i;

	if (at + k > n)
		return false;
	for (i = 0; i < k; i++)
	{
		if (s[at + i] < '0' || s[at + i] > '9')
			return false;
		v = v * 10 + (s[at + i] - '0');
	}
	if (v < lo || v > hi)
		return false;
	if (out)
		*out = v;
	return true;
}

bool
shc_rule_fhir_date(const char *s, size_t n, bool date_only)
{
	size_t		i;
	int			hh,
				mm;

	/* YYYY: four digits, not 0000 (no 5-digit years, no year 0) */
	if (!digits(s, n, 0, 4, 1, 9999, NULL))
		return false;
	if (n == 4)
		return true;
	if (s[4] != '-' || !digits(s, n, 5, 2, 1, 12, NULL))
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !digits(s, n, 8, 2, 1, 31, NULL))
		return false;
	if (n == 10)
		return true;
	if (date_only)
		return false;
	/* Thh:mm:ss(.f+)?(Z|(+|-)hh:mm), the zone required with a time */
	if (s[10] != 'T' || !digits(s, n, 11, 2, 0, 23, NULL) || n < 14 ||
		s[13] != ':' || !digits(s, n, 14, 2, 0, 59, NULL) || n < 17 ||
		s[16] != ':' || !digits(s, n, 17, 2, 0, 60, NULL))
		return false;
	i = 19;
	if (i < n && s[i] == '.')
	{
		size_t		f = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f)
			return false;
	}
	if (i < n && s[i] == 'Z')
		return i + 1 == n;
	if (i < n && (s[i] == '+' || s[i] == '-'))
	{
		if (i + 6 != n || s[i + 3] != ':' ||
			!digits(s, n, i + 1, 2, 0, 14, &hh) ||
			!digits(s, n, i + 4, 2, 0, 59, &mm))
			return false;
		return hh < 14 || mm == 0;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * the bundle walk
 * --------------------------------------------------------------------- */

typedef enum role
{
	R_OTHER,
	R_BUNDLE,					/* the top object */
	R_ENTRIES,					/* Bundle.entry */
	R_ENTRY,					/* Bundle.entry[i] */
	R_RESOURCE,					/* Bundle.entry[i].resource */
	R_META,						/* meta of the Bundle or of a resource */
	R_SECURITY,					/* meta.security */
	R_CODING,					/* meta.security[j] */
	R_VACCINECODE,				/* Immunization.vaccineCode */
	R_VACCINECODINGS			/* Immunization.vaccineCode.coding */
} role;

#define KEY_KEEP 48				/* key bytes kept for paths and matching */

typedef struct frame
{
	char		kind;			/* '{' or '[' */
	role		role;
	size_t		count;			/* members or elements so far */
	long		index;			/* index in the parent array, or -1 */
	char		key[KEY_KEEP];	/* key in the parent object */
	size_t		keylen;			/* its full length */
} frame;

typedef struct shc_rule_walk
{
	frame	   *f;				/* frames; f[0] is outside the top value */
	int			top;
	int			nframes;		/* allocated; grown as the walk goes deeper */
	char		key[KEY_KEEP];	/* pending key in the current object */
	size_t		keylen;
	shc_error  *err;
	/* the resource being read */
	bool		is_imm;
	int			status;			/* 0 absent, 1 completed, 2 other */
	int			n_occ;
	long		vaccine_codings;	/* -1: no vaccineCode.coding */
	bool		has_vaccinecode;
	char		rtype[64];
	size_t		rtypelen;
	char		rid[128];
	size_t		ridlen;
	long		entries;
	/* references and what they can point to: [u32 len][bytes]... */
	shc_buf		refs;			/* [len][ref], in document order */
	shc_buf		targets;
	/*
	 * The path of a reference is needed only to name one that does not
	 * resolve: a second walk stops at reference number path_of (0-based;
	 * -1 on the first walk) and writes its path into where.
	 */
	long		nrefs;
	long		path_of;
	char		where[160];
	/* fed by events: the allocator, and whether the text must be read */
	const shc_allocator *a;
	bool		reread;
	bool		started;		/* the bundle's object began */
	shc_error	own_err;
} walk;

/* k[0..klen) is the string literal want (its length known at compile time) */
#define key_is(k, klen, want) \
	((klen) == sizeof(want) - 1 && memcmp((k), (want), sizeof(want) - 1) == 0)

#define PENDING_IS(w, s) key_is((w)->key, (w)->keylen, s)

/* the path of the current position, plus the pending key or index */
static void
path(walk *w, char *out, size_t outlen, bool with_pending)
{
	size_t		o = 0;
	int			i;

	out[0] = '\0';
	for (i = 2; i <= w->top + (with_pending ? 1 : 0); i++)
	{
		const char *k;
		size_t		kl;
		long		idx;
		int			r;

		if (i <= w->top)
		{
			idx = w->f[i].index;
			k = w->f[i].key;
			kl = w->f[i].keylen;
		}
		else if (w->f[w->top].kind == '[')
		{
			idx = (long) w->f[w->top].count - 1;
			k = NULL;
			kl = 0;
		}
		else
		{
			idx = -1;
			k = w->key;
			kl = w->keylen;
		}
		if (idx >= 0)
			r = snprintf(out + o, outlen - o, "[%ld]", idx);
		else
			r = snprintf(out + o, outlen - o, "%s%.*s%s", o ? "." : "",
						 (int) (kl < KEY_KEEP ? kl : KEY_KEEP - 1), k,
						 kl < KEY_KEEP ? "" : "...");
		if (r < 0 || (size_t) r >= outlen - o)
			break;
		o += (size_t) r;
	}
	if (o == 0)
		snprintf(out, outlen, "the bundle");
}

static shc_status
fail(walk *w, bool with_pending, const char *fmt, const char *what)
{
	char		p[160];

	path(w, p, sizeof(p), with_pending);
	return shc_error_set(w->err, SHC_ERR_FHIR, fmt, p, what);
}

static void
put_rec(shc_buf *b, const char *s, size_t n)
{
	uint32_t	len = (uint32_t) n;

	shc_buf_append(b, &len, sizeof(len));
	shc_buf_append(b, s, n);
}

/* role of a container value at the current position */
static role
child_role(walk *w, char kind)
{
	frame	   *p = &w->f[w->top];

	switch (p->role)
	{
		case R_BUNDLE:
			if (kind == '[' && PENDING_IS(w, "entry"))
				return R_ENTRIES;
			if (PENDING_IS(w, "meta"))
				return R_META;
			return R_OTHER;
		case R_ENTRIES:
			return kind == '{' ? R_ENTRY : R_OTHER;
		case R_ENTRY:
			return kind == '{' && PENDING_IS(w, "resource") ? R_RESOURCE : R_OTHER;
		case R_RESOURCE:
			if (PENDING_IS(w, "meta"))
				return R_META;
			if (kind == '{' && PENDING_IS(w, "vaccineCode"))
				return R_VACCINECODE;
			return R_OTHER;
		case R_META:
			return R_SECURITY;
		case R_SECURITY:
			return R_CODING;
		case R_VACCINECODE:
			return kind == '[' && PENDING_IS(w, "coding") ? R_VACCINECODINGS : R_OTHER;
		case R_CODING:
		case R_VACCINECODINGS:
		case R_OTHER:
			break;
	}
	return R_OTHER;
}

/* type rules that hold for any value at the current position */
static shc_status
check_value_type(walk *w, shc_json_event ev)
{
	frame	   *p = &w->f[w->top];

	if (p->role == R_META && ev != SHC_JSON_ARRAY_START)
		return fail(w, true, "Element %s is not an array of Codings%s.", "");
	if (p->role == R_SECURITY && ev != SHC_JSON_OBJECT_START)
		return fail(w, true, "Element %s is not a Coding%s.", "");
	if ((p->role == R_RESOURCE || p->role == R_BUNDLE) &&
		PENDING_IS(w, "meta") && ev != SHC_JSON_OBJECT_START)
		return fail(w, true, "Element %s is not an object%s.", "");
	if (p->role == R_CODING)
	{
		bool		want_bool = PENDING_IS(w, "userSelected");

		if (want_bool ? (ev != SHC_JSON_TRUE && ev != SHC_JSON_FALSE) : ev != SHC_JSON_STRING)
			return fail(w, true, "Element %s of a Coding is not a %s.",
						want_bool ? "boolean" : "string");
	}
	return SHC_OK;
}

static void
resource_start(walk *w)
{
	w->is_imm = false;
	w->status = 0;
	w->n_occ = 0;
	w->vaccine_codings = -1;
	w->has_vaccinecode = false;
	w->rtypelen = 0;
	w->ridlen = 0;
}

static shc_status
resource_end(walk *w)
{
	/* Type/id of the resource is a reference target */
	if (w->rtypelen > 0 && w->ridlen > 0 &&
		w->rtypelen < sizeof(w->rtype) && w->ridlen < sizeof(w->rid))
	{
		uint32_t	len = (uint32_t) (w->rtypelen + 1 + w->ridlen);

		shc_buf_append(&w->targets, &len, sizeof(len));
		shc_buf_append(&w->targets, w->rtype, w->rtypelen);
		shc_buf_append_char(&w->targets, '/');
		shc_buf_append(&w->targets, w->rid, w->ridlen);
	}
	if (!w->is_imm)
		return SHC_OK;
	if (w->status != 1)
		return fail(w, false, "Element %s.status is %s; an Immunization in a SMART Health Card has status \"completed\".",
					w->status == 0 ? "missing" : "not \"completed\"");
	if (w->n_occ != 1)
		return fail(w, false, "Element %s has %s; an Immunization has exactly one of occurrenceDateTime and occurrenceString.",
					w->n_occ == 0 ? "neither occurrenceDateTime nor occurrenceString" : "both occurrenceDateTime and occurrenceString");
	if (w->vaccine_codings < 1)
		return fail(w, false, "Element %s.vaccineCode %s; a vaccineCode has at least one coding.",
					w->has_vaccinecode ? "has no coding" : "is missing");
	return SHC_OK;
}

/* date-valued elements and which grammar they follow (1 date, 2 dateTime) */
static int
date_kind(walk *w)
{
#define DK(name, kind) {name, sizeof(name) - 1, kind}
	static const struct
	{
		const char *name;
		size_t		len;
		int			kind;
	}			dates[] = {
		DK("birthDate", 1), DK("expirationDate", 1),
		DK("occurrenceDateTime", 2), DK("effectiveDateTime", 2), DK("issued", 2),
		DK("recorded", 2), DK("deceasedDateTime", 2), DK("onsetDateTime", 2),
		DK("abatementDateTime", 2), DK("authoredOn", 2), DK("effectiveInstant", 2),
		DK("start", 2), DK("end", 2)
	};
#undef DK
	size_t		i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (w->keylen == dates[i].len && memcmp(w->key, dates[i].name, dates[i].len) == 0)
			return dates[i].kind;
	return 0;
}

static shc_status
scalar(walk *w, shc_json_event ev, const char *s, size_t n)
{
	frame	   *p = &w->f[w->top];
	shc_status	st;
	int			dk;

	p->count++;
	if ((st = check_value_type(w, ev)) != SHC_OK)
		return st;
	if (ev != SHC_JSON_STRING)
	{
		if (p->role == R_RESOURCE && PENDING_IS(w, "status"))
			w->status = 2;
		if (p->role == R_RESOURCE &&
			(PENDING_IS(w, "occurrenceDateTime") || PENDING_IS(w, "occurrenceString")))
			w->n_occ++;
		return SHC_OK;
	}
	if (n == 0)
		return fail(w, true, "Element %s is an empty string%s; FHIR has no empty values.", "");
	if (p->kind != '{')
		return SHC_OK;
	if (p->role == R_RESOURCE)
	{
		if (PENDING_IS(w, "resourceType"))
		{
			w->is_imm = key_is(s, n, "Immunization");
			w->rtypelen = n;
			if (n < sizeof(w->rtype))
				memcpy(w->rtype, s, n);
		}
		else if (PENDING_IS(w, "id"))
		{
			w->ridlen = n;
			if (n < sizeof(w->rid))
				memcpy(w->rid, s, n);
		}
		else if (PENDING_IS(w, "status"))
			w->status = key_is(s, n, "completed") ? 1 : 2;
		else if (PENDING_IS(w, "occurrenceDateTime") || PENDING_IS(w, "occurrenceString"))
			w->n_occ++;
	}
	else if (p->role == R_ENTRY && PENDING_IS(w, "fullUrl"))
	{
		const char *slash = NULL;
		size_t		i;
		int			seen = 0;

		put_rec(&w->targets, s, n);
		/* a RESTful fullUrl .../Type/id also answers to Type/id */
		for (i = n; i > 0; i--)
			if (s[i - 1] == '/' && ++seen == 2)
			{
				slash = s + i;
				break;
			}
		if (slash)
			put_rec(&w->targets, slash, n - (size_t) (slash - s));
	}
	if (PENDING_IS(w, "reference"))
	{
		if (w->nrefs++ == w->path_of)
		{
			path(w, w->where, sizeof(w->where), true);
			return SHC_STOPPED;
		}
		put_rec(&w->refs, s, n);
	}
	if ((dk = date_kind(w)) != 0 && !shc_rule_fhir_date(s, n, dk == 1))
		return fail(w, true, "Element %s is not a FHIR %s (YYYY, YYYY-MM, YYYY-MM-DD, or a date and time with a zone; the year has four digits and is not 0000).",
					dk == 1 ? "date" : "dateTime");
	return SHC_OK;
}

static bool frames_grow(walk *w);

static shc_status
on_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	walk	   *w = ctx;
	frame	   *p;
	frame	   *c;
	shc_status	st;

	if ((ev == SHC_JSON_OBJECT_START || ev == SHC_JSON_ARRAY_START) &&
		w->top + 1 >= w->nframes && !frames_grow(w))
		return shc_error_set(w->err, SHC_ERR_NOMEM, NULL);
	p = &w->f[w->top];

	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
		case SHC_JSON_ARRAY_START:
			{
				char		kind = ev == SHC_JSON_OBJECT_START ? '{' : '[';
				role		r;

				if (w->top == 0)
				{
					if (kind != '{')
						return shc_error_set(w->err, SHC_ERR_FHIR,
											 "A FHIR Bundle is a JSON object.");
					r = R_BUNDLE;
				}
				else
				{
					p->count++;
					if ((st = check_value_type(w, ev)) != SHC_OK)
						return st;
					r = child_role(w, kind);
				}
				c = &w->f[++w->top];
				c->kind = kind;
				c->role = r;
				c->count = 0;
				c->index = p->kind == '[' ? (long) p->count - 1 : -1;
				c->keylen = p->kind == '{' ? w->keylen : 0;
				if (p->kind == '{')
					memcpy(c->key, w->key, sizeof(c->key));
				if (r == R_RESOURCE)
					resource_start(w);
				if (r == R_VACCINECODE)
					w->has_vaccinecode = true;
				return SHC_OK;
			}
		case SHC_JSON_OBJECT_END:
		case SHC_JSON_ARRAY_END:
			if (p->count == 0)
			{
				w->top--;
				/* name the element itself */
				if (p->index >= 0)
					w->key[0] = '\0', w->keylen = 0;
				else
				{
					memcpy(w->key, p->key, sizeof(w->key));
					w->keylen = p->keylen;
				}
				st = fail(w, true,
						  "Element %s is an empty %s; FHIR has no empty values.",
						  ev == SHC_JSON_OBJECT_END ? "object" : "array");
				return st;
			}
			if (p->role == R_RESOURCE && (st = resource_end(w)) != SHC_OK)
				return st;
			if (p->role == R_VACCINECODINGS)
				w->vaccine_codings = (long) p->count;
			if (p->role == R_ENTRY)
				w->entries++;
			w->top--;
			return SHC_OK;
		case SHC_JSON_KEY:
			w->keylen = n;
			memcpy(w->key, s, n < KEY_KEEP ? n : KEY_KEEP);
			if (n < KEY_KEEP)
				w->key[n] = '\0';
			if (p->role == R_META && !key_is(s, n, "security"))
				return fail(w, true, "Element %s is not allowed%s; in a SMART Health Card, meta holds only security.", "");
			if (p->role == R_CODING &&
				!key_is(s, n, "system") && !key_is(s, n, "version") &&
				!key_is(s, n, "code") && !key_is(s, n, "display") &&
				!key_is(s, n, "userSelected"))
				return fail(w, true, "Element %s is not an element of a Coding%s.", "");
			return SHC_OK;
		case SHC_JSON_STRING:
		case SHC_JSON_NUMBER:
		case SHC_JSON_TRUE:
		case SHC_JSON_FALSE:
		case SHC_JSON_NULL:
			if (w->top == 0)
				return shc_error_set(w->err, SHC_ERR_FHIR,
									 "A FHIR Bundle is a JSON object.");
			return scalar(w, ev, s, n);
	}
	(void) depth;
	return SHC_OK;
}

typedef struct span
{
	const char *s;
	uint32_t	n;
} span;

static int
span_cmp(const void *a, const void *b)
{
	const span *x = a,
			   *y = b;
	size_t		m = x->n < y->n ? x->n : y->n;
	int			r = memcmp(x->s, y->s, m);

	if (r)
		return r;
	return (x->n > y->n) - (x->n < y->n);
}

static size_t
spans(const shc_buf *b, span *out)
{
	size_t		o = 0,
				k = 0;

	while (o + sizeof(uint32_t) <= b->len)
	{
		uint32_t	len;

		memcpy(&len, b->data + o, sizeof(len));
		o += sizeof(len);
		if (out)
		{
			out[k].s = b->data + o;
			out[k].n = len;
		}
		k++;
		o += len;
	}
	return k;
}

static shc_status walk_bundle(walk *w, const char *bundle, size_t n,
							   const shc_allocator *a, shc_error *err);

/* every reference resolves (SHC-NOTES 7; validator: "unresolvable") */
static shc_status
check_refs(walk *w, const char *bundle, size_t n, const shc_allocator *a)
{
	size_t		nt = spans(&w->targets, NULL);
	size_t		nr = spans(&w->refs, NULL);
	span	   *t,
			   *r;
	size_t		i;
	shc_status	st = SHC_OK;

	if (nr == 0)
		return SHC_OK;
	t = a->alloc((nt + nr + 1) * sizeof(span), a->ctx);
	if (t == NULL)
		return shc_error_set(w->err, SHC_ERR_NOMEM, NULL);
	r = t + nt;
	spans(&w->targets, t);
	spans(&w->refs, r);
	qsort(t, nt, sizeof(span), span_cmp);
	for (i = 0; i < nr && st == SHC_OK; i++)
	{
		const span *ref = &r[i];
		bool		ok = false;

		if (ref->n > 0 && ref->s[0] == '#')
			ok = true;			/* a contained resource */
		else if (ref->n > 9 && memcmp(ref->s, "resource:", 9) == 0)
		{
			long		v = 0;
			uint32_t	k;

			ok = ref->n - 9 <= 9 && (ref->s[9] != '0' || ref->n == 10);
			for (k = 9; ok && k < ref->n; k++)
			{
				if (ref->s[k] < '0' || ref->s[k] > '9')
					ok = false;
				else
					v = v * 10 + (ref->s[k] - '0');
			}
			ok = ok && v < w->entries;
		}
		if (!ok && nt > 0)
			ok = bsearch(ref, t, nt, sizeof(span), span_cmp) != NULL;
		if (!ok)
		{
			walk		w2;
			shc_error	e2;

			/* the path of reference number i, by a second walk */
			memset(&w2, 0, sizeof(w2));
			w2.path_of = (long) i;
			if (walk_bundle(&w2, bundle, n, a, &e2) != SHC_STOPPED)
				snprintf(w2.where, sizeof(w2.where), "the bundle");
			st = shc_error_set(w->err, SHC_ERR_FHIR,
							   "Element %.*s, reference \"%.*s\", matches no entry of the bundle; every reference must resolve.",
							   120, w2.where,
							   (int) (ref->n > 60 ? 60 : ref->n), ref->s);
		}
	}
	a->free(t, a->ctx);
	return st;
}

/*
 * Frames for the first levels, grown by doubling (a card nests about eight
 * deep; the reader allows SHC_JSON_CARD_MAX_DEPTH, and a frame is 88 bytes:
 * allocating all of them cost a 23 kB block per card).  false: no memory.
 */
#define FRAMES_FIRST 16

static bool
frames_init(walk *w, const shc_allocator *a)
{
	w->f = a->alloc(FRAMES_FIRST * sizeof(frame), a->ctx);
	if (w->f == NULL)
		return false;
	w->nframes = FRAMES_FIRST;
	memset(&w->f[0], 0, sizeof(frame));
	w->f[0].kind = '[';
	w->f[0].index = -1;
	return true;
}

static bool
frames_grow(walk *w)
{
	const shc_allocator *a = w->a;
	int			n = w->nframes * 2;
	frame	   *nf = a->alloc((size_t) n * sizeof(frame), a->ctx);

	if (nf == NULL)
		return false;
	memcpy(nf, w->f, (size_t) w->nframes * sizeof(frame));
	a->free(w->f, a->ctx);
	w->f = nf;
	w->nframes = n;
	return true;
}

/*
 * One walk of the bundle's text with the rules; w is zeroed by the caller
 * but for path_of.  SHC_STOPPED when it stopped at reference path_of.
 */
static shc_status
walk_bundle(walk *w, const char *bundle, size_t n, const shc_allocator *a,
			shc_error *err)
{
	shc_json_limits lim;
	shc_status	st;

	w->err = err;
	w->a = a;
	if (!frames_init(w, a))
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	shc_buf_init(&w->refs, a, 0);
	shc_buf_init(&w->targets, a, 0);
	/* the payload nests the bundle in {vc:{credentialSubject:{fhirBundle */
	lim = shc_json_card_limits;
	lim.max_depth -= SHC_BUNDLE_NESTING;
	st = shc_json_read(bundle, n, &lim, on_event, w, a, NULL, err);
	if (st == SHC_OK && (st = shc_buf_status(&w->refs, err)) == SHC_OK &&
		(st = shc_buf_status(&w->targets, err)) == SHC_OK && w->path_of < 0)
		st = check_refs(w, bundle, n, a);
	shc_buf_free(&w->refs);
	shc_buf_free(&w->targets);
	a->free(w->f, a->ctx);
	return st;
}

shc_status
shc_rule_fhir_bundle(const char *bundle, size_t n, const shc_allocator *a,
					 shc_error *err)
{
	walk		w;

	if (a == NULL)
		a = &shc_default_allocator;
	memset(&w, 0, sizeof(w));
	w.path_of = -1;
	return walk_bundle(&w, bundle, n, a, err);
}

/* ---------------------------------------------------------------------
 * the walk fed by events (see shc_rules.h)
 * --------------------------------------------------------------------- */

shc_rule_walk *
shc_rule_fhir_begin(const shc_allocator *a)
{
	walk	   *w;

	if (a == NULL)
		a = &shc_default_allocator;
	w = a->alloc(sizeof(walk), a->ctx);
	if (w == NULL)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->a = a;
	w->path_of = -1;
	w->err = &w->own_err;
	if (!frames_init(w, a))
	{
		a->free(w, a->ctx);
		return NULL;
	}
	shc_buf_init(&w->refs, a, 0);
	shc_buf_init(&w->targets, a, 0);
	return w;
}

/* is s[0..n) well-formed UTF-8, as the reader requires of a string? */
static bool
utf8_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;

	/* ASCII eight bytes at a time: most of a card's text */
	while (n - i >= 8)
	{
		uint64_t	w;

		memcpy(&w, u + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		i += 8;
	}
	while (i < n)
	{
		size_t		k;

		if (u[i] < 0x80)
		{
			i++;
			continue;
		}
		if ((k = shc_utf8_seq(u + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

void
shc_rule_fhir_event(shc_rule_walk *w, shc_json_event ev, const char *s,
					size_t n)
{
	if (w->reread)
		return;
	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
		case SHC_JSON_ARRAY_START:
			if (w->top == 0)
				w->started = true;
			/* near the reader's depth limit: let the reader decide */
			if (w->top + 2 >= SHC_JSON_CARD_MAX_DEPTH - SHC_BUNDLE_NESTING)
			{
				w->reread = true;
				return;
			}
			break;
		case SHC_JSON_KEY:
		case SHC_JSON_STRING:
			if (!utf8_ok(s, n))
			{
				w->reread = true;
				return;
			}
			break;
		case SHC_JSON_NUMBER:
			/* long, or with an exponent (numeric_out writes none) */
			if (n == 0 || n >= SHC_JSON_CARD_MAX_NUMBER_LEN ||
				memchr(s, 'e', n) != NULL || memchr(s, 'E', n) != NULL)
			{
				w->reread = true;
				return;
			}
			break;
		default:
			break;
	}
	if (on_event(w, ev, s, n, w->top) != SHC_OK)
		w->reread = true;
}

void
shc_rule_fhir_free(shc_rule_walk *w)
{
	const shc_allocator *a;

	if (w == NULL)
		return;
	a = w->a;
	shc_buf_free(&w->refs);
	shc_buf_free(&w->targets);
	a->free(w->f, a->ctx);
	a->free(w, a->ctx);
}

shc_status
shc_rule_fhir_end(shc_rule_walk *w, const char *bundle, size_t n,
				  shc_error *err)
{
	const shc_allocator *a = w->a;
	shc_status	st;

	/* a walk that did not end where it started saw an incomplete text */
	if (w->top != 0 || !w->started)
		w->reread = true;
	if (!w->reread && (shc_buf_status(&w->refs, err) != SHC_OK ||
					   shc_buf_status(&w->targets, err) != SHC_OK))
		w->reread = true;
	if (w->reread)
	{
		shc_rule_fhir_free(w);
		return shc_rule_fhir_bundle(bundle, n, a, err);
	}
	w->err = err;
	st = check_refs(w, bundle, n, a);
	shc_rule_fhir_free(w);
	return st;
}
