/*
 * shc_minimize.c
 *		QR minimization of a FHIR Bundle (SHC-NOTES section 7):
 *
 *		- no Resource.id (except on contained resources, the target of their
 *		  "#id" local references)
 *		- no Resource.meta, except meta.security, which is kept alone
 *		- no DomainResource.text (narrative)
 *		- no CodeableConcept.text, no Coding.display
 *		- Bundle.entry[i].fullUrl = "resource:i", and every
 *		  Reference.reference rewritten to the matching "resource:N"; a
 *		  reference that matches no entry is an error naming it
 *
 * FHIR JSON carries no types, so elements are recognized by shape, the way
 * the spec's example generator does it:
 *		resource         an object with a string "resourceType"
 *		CodeableConcept  an object with a "coding" array
 *		Coding           an element of a "coding" array, or an object with
 *		                 both "system" and "code"
 *		Reference        an object with a string "reference"
 * A reference matches an entry by its fullUrl, by "ResourceType/id" of the
 * entry's resource, or by the last two segments of an absolute fullUrl
 * ("https://example.org/fhir/Patient/1" -> "Patient/1").  References that
 * start with "#" point into "contained" and are left alone.
 *
 * The result is a fixed point: minimizing it again changes nothing.
 *
 * Method: recursion over jsonb containers with a skip-nested iterator, so
 * an object's sibling keys can be looked up (getKeyJsonValueFromContainer)
 * before its members are copied.  The rules are applied once, in one walk,
 * whose output is either a new jsonb (pushJsonbValue, for shc_minimize) or
 * compact JSON text through the core writer (shc_minimize_write, for
 * shc_issue: no intermediate jsonb to build and walk again).  The text is
 * byte for byte what shc_jsonb_write writes for the jsonb: jsonb's key
 * order is kept (the input's keys are already in it, and the one key we add,
 * an entry's "fullUrl", is emitted at its place in that order), and scalars
 * are written by the same function.
 */
#include "shc_glue.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "core/shc_json.h"
#include "core/shc_rules.h"
#include "shc_minimize.h"

/* context of the object or array being copied */
#define CTX_ROOT		0x01	/* the Bundle itself */
#define CTX_ENTRY		0x02	/* an element of Bundle.entry */
#define CTX_CODING		0x04	/* an element of a "coding" array */
#define CTX_CONTAINED	0x08	/* an element of a "contained" array */
#define CTX_ENTRIES		0x10	/* the Bundle.entry array */

/* longest reference quoted in an error */
#define REF_QUOTE_MAX 100

typedef struct ref_key
{
	const char *s;
	int			len;
	int			index;			/* entry index */
} ref_key;

typedef struct min_state
{
	ref_key    *keys;
	int			nkeys;
	int			maxkeys;
	int			entry;			/* index of the entry being copied, or -1 */
	JsonbParseState *ps;		/* the jsonb being built, when out is NULL */
	shc_buf    *out;			/* compact JSON text output, or NULL */
	bool		need_comma;		/* text: a value was just completed */
	shc_rule_walk *rules;		/* text: the rulebook's walk, fed each event */
} min_state;

static JsonbValue *copy_container(min_state *st, JsonbContainer *jc, int ctx);


static bool
is_string(JsonbValue *v)
{
	return v != NULL && v->type == jbvString;
}

static bool
is_array(JsonbValue *v)
{
	return v != NULL && v->type == jbvBinary &&
		JsonContainerIsArray(v->val.binary.data) &&
		!JsonContainerIsScalar(v->val.binary.data);
}

static bool
is_object(JsonbValue *v)
{
	return v != NULL && v->type == jbvBinary &&
		JsonContainerIsObject(v->val.binary.data);
}

static const char *
jsonb_type_name(Jsonb *jb)
{
	JsonbValue	v;

	if (JB_ROOT_IS_OBJECT(jb))
		return "object";
	if (!JB_ROOT_IS_SCALAR(jb))
		return "array";
	if (!JsonbExtractScalar(&jb->root, &v))
		return "value";
	switch (v.type)
	{
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		case jbvNull:
			return "null";
		default:
			return "value";
	}
}

void
shc_bundle_check(Jsonb *jb)
{
	JsonbValue	buf;
	JsonbValue *rt;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bundle must be a JSON object"),
				 errdetail("The value given is a JSON %s.", jsonb_type_name(jb))));
	rt = shc_jsonb_member(&jb->root, "resourceType", &buf);
	if (!is_string(rt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bundle is not a FHIR Bundle"),
				 errdetail("The object has no string member \"resourceType\".")));
	if (rt->val.string.len != 6 || memcmp(rt->val.string.val, "Bundle", 6) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bundle is not a FHIR Bundle"),
				 errdetail("Its resourceType is \"%.*s\"; a card holds a resource of type \"Bundle\".",
						   Min(rt->val.string.len, 64), rt->val.string.val),
				 errhint("Wrap the resources in a Bundle of type \"collection\".")));
}

static void
add_key(min_state *st, const char *s, int len, int index)
{
	if (st->nkeys == st->maxkeys)
	{
		st->maxkeys = st->maxkeys ? st->maxkeys * 2 : 64;
		st->keys = st->keys ? repalloc(st->keys, sizeof(ref_key) * st->maxkeys)
			: palloc(sizeof(ref_key) * st->maxkeys);
	}
	st->keys[st->nkeys].s = s;
	st->keys[st->nkeys].len = len;
	st->keys[st->nkeys].index = index;
	st->nkeys++;
}

static int
ref_key_cmp(const void *a, const void *b)
{
	const ref_key *ka = a;
	const ref_key *kb = b;
	int			c;

	if (ka->len != kb->len)
		return ka->len < kb->len ? -1 : 1;
	c = memcmp(ka->s, kb->s, ka->len);
	if (c != 0)
		return c;
	return ka->index - kb->index;
}

/*
 * Collect every way an entry can be referenced, then sort for bsearch.  Two
 * entries known by the same key make references to it ambiguous: error.
 */
static void
collect_keys(min_state *st, Jsonb *jb)
{
	JsonbValue	ebuf;
	JsonbValue *entries = shc_jsonb_member(&jb->root, "entry", &ebuf);
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	v;
	int			i = 0;
	int			n;

	if (entries == NULL)
		return;
	if (!is_array(entries))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Bundle.entry must be an array")));
	it = JsonbIteratorInit(entries->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue	b1,
					b2,
					b3;
		JsonbValue *url,
				   *res,
				   *rt = NULL,
				   *id = NULL;
		JsonbContainer *ec;

		if (tok != WJB_ELEM)
			continue;
		if (!is_object(&v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bundle entry %d is not a JSON object", i)));
		ec = v.val.binary.data;
		url = shc_jsonb_member(ec, "fullUrl", &b1);
		res = shc_jsonb_member(ec, "resource", &b2);
		if (is_object(res))
		{
			JsonbValue	b4;

			rt = shc_jsonb_member(res->val.binary.data, "resourceType", &b3);
			id = shc_jsonb_member(res->val.binary.data, "id", &b4);
			if (is_string(rt) && is_string(id))
			{
				/* "ResourceType/id", in its own palloc'd string */
				int			rlen = rt->val.string.len;
				int			ilen = id->val.string.len;
				char	   *s = palloc(rlen + 1 + ilen);

				memcpy(s, rt->val.string.val, rlen);
				s[rlen] = '/';
				memcpy(s + rlen + 1, id->val.string.val, ilen);
				add_key(st, s, rlen + 1 + ilen, i);
			}
		}
		if (is_string(url))
		{
			const char *s = url->val.string.val;
			int			len = url->val.string.len;

			add_key(st, s, len, i);
			/* an absolute URL: its last two segments, "Type/id" */
			if (memchr(s, ':', len) != NULL)
			{
				int			slashes = 0;
				int			p;

				for (p = len - 1; p >= 0; p--)
					if (s[p] == '/' && ++slashes == 2)
						break;
				if (p > 0 && p < len - 3)
					add_key(st, s + p + 1, len - p - 1, i);
			}
		}
		i++;
	}
	if (st->nkeys == 0)
		return;
	qsort(st->keys, st->nkeys, sizeof(ref_key), ref_key_cmp);
	/* drop exact repeats for one entry, refuse one key for two entries */
	n = 1;
	for (i = 1; i < st->nkeys; i++)
	{
		ref_key    *prev = &st->keys[n - 1];
		ref_key    *cur = &st->keys[i];

		if (prev->len == cur->len && memcmp(prev->s, cur->s, cur->len) == 0)
		{
			if (prev->index != cur->index)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("bundle entries %d and %d are both identified by \"%.*s\"",
								prev->index, cur->index,
								Min(cur->len, REF_QUOTE_MAX), cur->s),
						 errdetail("A reference to it would be ambiguous.")));
			continue;
		}
		st->keys[n++] = *cur;
	}
	st->nkeys = n;
}

static int
lookup_ref(min_state *st, const char *s, int len)
{
	int			lo = 0,
				hi = st->nkeys - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		ref_key    *k = &st->keys[mid];
		int			c;

		if (k->len != len)
			c = k->len < len ? -1 : 1;
		else
			c = memcmp(k->s, s, len);
		if (c == 0)
			return k->index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * The rulebook's event for a scalar just written at out->data + start: the
 * event re-reading that text would give (a number as the text written).
 */
static void
rule_scalar(min_state *st, JsonbValue *v, size_t start)
{
	shc_buf    *out = st->out;

	if (out->failed || out->overflow)
		return;					/* no verdict is asked for such a text */
	switch (v->type)
	{
		case jbvString:
			shc_rule_fhir_event(st->rules, SHC_JSON_STRING, v->val.string.val,
								v->val.string.len);
			break;
		case jbvNumeric:
			shc_rule_fhir_event(st->rules, SHC_JSON_NUMBER, out->data + start,
								out->len - start);
			break;
		case jbvBool:
			shc_rule_fhir_event(st->rules, v->val.boolean ? SHC_JSON_TRUE : SHC_JSON_FALSE,
								NULL, 0);
			break;
		default:
			shc_rule_fhir_event(st->rules, SHC_JSON_NULL, NULL, 0);
			break;
	}
}

/*
 * Emit one token, with pushJsonbValue's contract: into the jsonb being built
 * (returning what pushJsonbValue returns), or as compact JSON text (the same
 * separators as shc_jsonb_write; returns NULL).  A string value must stay
 * valid until the jsonb is finished: pushJsonbValue keeps the pointer.
 */
static JsonbValue *
emit(min_state *st, JsonbIteratorToken tok, JsonbValue *v)
{
	shc_buf    *out = st->out;

	if (out == NULL)
		return pushJsonbValue(&st->ps, tok, v);
	switch (tok)
	{
		case WJB_BEGIN_OBJECT:
		case WJB_BEGIN_ARRAY:
			if (st->need_comma)
				shc_buf_append_char(out, ',');
			shc_buf_append_char(out, tok == WJB_BEGIN_OBJECT ? '{' : '[');
			st->need_comma = false;
			if (st->rules)
				shc_rule_fhir_event(st->rules, tok == WJB_BEGIN_OBJECT ?
									SHC_JSON_OBJECT_START : SHC_JSON_ARRAY_START,
									NULL, 0);
			break;
		case WJB_END_OBJECT:
		case WJB_END_ARRAY:
			shc_buf_append_char(out, tok == WJB_END_OBJECT ? '}' : ']');
			st->need_comma = true;
			if (st->rules)
				shc_rule_fhir_event(st->rules, tok == WJB_END_OBJECT ?
									SHC_JSON_OBJECT_END : SHC_JSON_ARRAY_END,
									NULL, 0);
			break;
		case WJB_KEY:
			if (st->need_comma)
				shc_buf_append_char(out, ',');
			shc_json_key(out, v->val.string.val, v->val.string.len);
			st->need_comma = false;
			if (st->rules)
				shc_rule_fhir_event(st->rules, SHC_JSON_KEY,
									v->val.string.val, v->val.string.len);
			break;
		case WJB_VALUE:
		case WJB_ELEM:
			{
				size_t		start;

				if (st->need_comma)
					shc_buf_append_char(out, ',');
				start = out->len;
				shc_jsonb_write_scalar(out, v);
				st->need_comma = true;
				if (st->rules)
					rule_scalar(st, v, start);
				break;
			}
		default:
			elog(ERROR, "unexpected jsonb token %d", (int) tok);
	}
	return NULL;
}

static void
push_string(min_state *st, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = len;
	emit(st, tok, &v);
}

static void
push_resource_uri(min_state *st, int index)
{
	char		buf[32];
	int			len = snprintf(buf, sizeof(buf), "resource:%d", index);

	/* the jsonb builder keeps the pointer: give it its own copy */
	push_string(st, WJB_VALUE, st->out ? buf : pnstrdup(buf, len), len);
}

/* Bundle.entry[i].fullUrl = "resource:i" (SHC-NOTES 7) */
static void
push_full_url(min_state *st)
{
	push_string(st, WJB_KEY, "fullUrl", 7);
	push_resource_uri(st, st->entry);
}

/* Copy one value: a scalar as is, a container through copy_container. */
static void
copy_value(min_state *st, JsonbIteratorToken tok, JsonbValue *v, int ctx)
{
	if (v->type == jbvBinary)
		copy_container(st, v->val.binary.data, ctx);
	else
		emit(st, tok, v);
}

static void
rewrite_reference(min_state *st, JsonbValue *v)
{
	const char *s = v->val.string.val;
	int			len = v->val.string.len;
	int			index;

	/* "#id": a local reference into "contained", not to an entry */
	if (len > 0 && s[0] == '#')
	{
		emit(st, WJB_VALUE, v);
		return;
	}
	index = lookup_ref(st, s, len);
	if (index < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reference \"%.*s%s\" matches no bundle entry",
						Min(len, REF_QUOTE_MAX), s, len > REF_QUOTE_MAX ? "..." : ""),
				 st->entry >= 0 ?
				 errdetail("It is in entry %d. A minimized bundle refers to its entries as \"resource:N\", so every reference must name an entry by its fullUrl or ResourceType/id.", st->entry) :
				 errdetail("A minimized bundle refers to its entries as \"resource:N\", so every reference must name an entry by its fullUrl or ResourceType/id."),
				 errhint("Add the referenced resource to the bundle, remove the reference, or issue with minimize => false.")));
	push_resource_uri(st, index);
}

/*
 * Offset of child i's data from the start of a container's data, as
 * jsonb_util.c's getJsonbOffset computes it (jsonb.h: a JEntry holds either
 * the length of its child or, every JB_OFFSET_STRIDE children, the end
 * offset).
 */
static uint32
child_offset(const JsonbContainer *jc, int i)
{
	uint32		off = 0;

	while (--i >= 0)
	{
		off += JBE_OFFLENFLD(jc->children[i]);
		if (JBE_HAS_OFF(jc->children[i]))
			break;
	}
	return off;
}

/*
 * The children of a container read straight from its JEntry array, in
 * storage order, as JsonbIteratorNext(..., skipNested = true) returns them
 * (fillJsonbValue of utils/adt/jsonb_util.c): nested containers as
 * jbvBinary.  The iterator allocated a state per container and unpacked
 * every child through a state machine, about a twentieth of issuing a card.
 */
typedef struct child_cursor
{
	const JsonbContainer *jc;
	const char *base;			/* the children's data */
	uint32		n;				/* children: elements, or keys + values */
	uint32		next;			/* the next child */
	uint32		off;			/* its offset from base */
} child_cursor;

static void
cursor_init(child_cursor *c, const JsonbContainer *jc, uint32 first)
{
	uint32		count = JsonContainerSize(jc);

	c->jc = jc;
	c->n = JsonContainerIsObject(jc) ? count * 2 : count;
	c->base = (const char *) &jc->children[c->n];
	c->next = first;
	c->off = first ? child_offset(jc, (int) first) : 0;
}

/* the next child into v; false after the last */
static bool
cursor_next(child_cursor *c, JsonbValue *v)
{
	JEntry		e;
	uint32		end;

	if (c->next >= c->n)
		return false;
	e = c->jc->children[c->next++];
	end = JBE_HAS_OFF(e) ? JBE_OFFLENFLD(e) : c->off + JBE_OFFLENFLD(e);
	if (JBE_ISSTRING(e))
	{
		v->type = jbvString;
		v->val.string.val = (char *) c->base + c->off;
		v->val.string.len = (int) (end - c->off);
	}
	else if (JBE_ISNUMERIC(e))
	{
		v->type = jbvNumeric;
		v->val.numeric = (Numeric) (c->base + INTALIGN(c->off));
	}
	else if (JBE_ISBOOL_TRUE(e) || JBE_ISBOOL_FALSE(e))
	{
		v->type = jbvBool;
		v->val.boolean = JBE_ISBOOL_TRUE(e) != 0;
	}
	else if (JBE_ISNULL(e))
		v->type = jbvNull;
	else
	{
		v->type = jbvBinary;
		v->val.binary.data = (JsonbContainer *) (c->base + INTALIGN(c->off));
		v->val.binary.len = (int) (end - INTALIGN(c->off));
	}
	c->off = end;
	return true;
}

/* what copy_object needs to know about an object's members */
typedef struct obj_shape
{
	bool		is_resource;	/* "resourceType" is a string */
	bool		is_cc;			/* "coding" is an array */
	bool		has_system_code;	/* "system" and "code" are present */
	bool		is_ref;			/* "reference" is a string */
} obj_shape;

/*
 * Classify an object in one pass over its keys, reading the JEntry array
 * (jsonb.h) instead of one binary search per key; the same answers as
 * is_string(shc_jsonb_member(jc, "resourceType", ...)) and so on.  The keys of a
 * jsonb object are stored first, then the values in the same order.
 */
static void
object_shape(const JsonbContainer *jc, obj_shape *sh)
{
	int			n = JsonContainerSize(jc);
	const char *base = (const char *) &jc->children[n * 2];
	uint32		off = 0;
	bool		has_system = false,
				has_code = false;
	int			i;

	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < n; i++)
	{
		JEntry		e = jc->children[i];
		uint32		end = JBE_HAS_OFF(e) ? JBE_OFFLENFLD(e) : off + JBE_OFFLENFLD(e);
		const char *key = base + off;
		uint32		klen = end - off;
		JEntry		ve = jc->children[n + i];

		off = end;
#define KEY_IS(lit) (klen == sizeof(lit) - 1 && memcmp(key, lit, klen) == 0)
		if (KEY_IS("resourceType"))
			sh->is_resource = JBE_ISSTRING(ve);
		else if (KEY_IS("reference"))
			sh->is_ref = JBE_ISSTRING(ve);
		else if (KEY_IS("system"))
			has_system = true;
		else if (KEY_IS("code"))
			has_code = true;
		else if (KEY_IS("coding") && JBE_ISCONTAINER(ve))
		{
			const JsonbContainer *c = (const JsonbContainer *)
			(base + INTALIGN(child_offset(jc, n + i)));

			sh->is_cc = JsonContainerIsArray(c) && !JsonContainerIsScalar(c);
		}
#undef KEY_IS
	}
	sh->has_system_code = has_system && has_code;
}

static JsonbValue *
copy_object(min_state *st, JsonbContainer *jc, int ctx)
{
	obj_shape	sh;
	bool		is_resource;
	bool		is_cc;
	bool		is_coding;
	bool		is_ref;
	bool		url_pending = (ctx & CTX_ENTRY) != 0;
	child_cursor keys,
				vals;
	JsonbValue	k,
				v;

	object_shape(jc, &sh);
	is_resource = sh.is_resource;
	is_cc = sh.is_cc;
	is_coding = (ctx & CTX_CODING) || sh.has_system_code;
	is_ref = sh.is_ref;
	/* keys are children 0..n-1, their values n..2n-1 */
	cursor_init(&keys, jc, 0);
	cursor_init(&vals, jc, JsonContainerSize(jc));
	emit(st, WJB_BEGIN_OBJECT, NULL);
	while (keys.next < JsonContainerSize(jc) && cursor_next(&keys, &k) &&
		   cursor_next(&vals, &v))
	{
		const char *key;
		int			klen;
		int			child = 0;

		key = k.val.string.val;
		klen = k.val.string.len;
#define KEY_IS(lit) (klen == (int) sizeof(lit) - 1 && memcmp(key, lit, klen) == 0)

		/*
		 * An entry's new fullUrl goes where jsonb's key order (shorter
		 * first, then bytewise) puts it: before the first key after it.
		 */
		if (url_pending &&
			(klen > 7 || (klen == 7 && memcmp(key, "fullUrl", 7) > 0)))
		{
			push_full_url(st);
			url_pending = false;
		}
		if (is_resource)
		{
			/* SHC-NOTES 7: no Resource.id (contained ones keep theirs) */
			if (KEY_IS("id") && !(ctx & CTX_CONTAINED))
				continue;
			/* SHC-NOTES 7: no DomainResource.text (narrative) */
			if (KEY_IS("text"))
				continue;
			/* SHC-NOTES 7: no Resource.meta, except meta.security */
			if (KEY_IS("meta"))
			{
				JsonbValue	sbuf;
				JsonbValue *sec = is_object(&v) ?
					shc_jsonb_member(v.val.binary.data, "security", &sbuf) : NULL;

				if (sec == NULL)
					continue;
				emit(st, WJB_KEY, &k);
				emit(st, WJB_BEGIN_OBJECT, NULL);
				push_string(st, WJB_KEY, "security", 8);
				copy_value(st, WJB_VALUE, sec, 0);
				emit(st, WJB_END_OBJECT, NULL);
				continue;
			}
		}
		/* SHC-NOTES 7: no CodeableConcept.text, no Coding.display */
		if (is_cc && KEY_IS("text"))
			continue;
		if (is_coding && KEY_IS("display"))
			continue;
		/* written as resource:N (push_full_url) */
		if ((ctx & CTX_ENTRY) && KEY_IS("fullUrl"))
			continue;

		emit(st, WJB_KEY, &k);
		if (is_ref && KEY_IS("reference"))
		{
			rewrite_reference(st, &v);
			continue;
		}
		if ((ctx & CTX_ROOT) && KEY_IS("entry"))
			child = CTX_ENTRIES;
		else if (KEY_IS("coding"))
			child = CTX_CODING;
		else if (is_resource && KEY_IS("contained"))
			child = CTX_CONTAINED;
		copy_value(st, WJB_VALUE, &v, child);
#undef KEY_IS
	}
	if (url_pending)
		push_full_url(st);
	return emit(st, WJB_END_OBJECT, NULL);
}

static JsonbValue *
copy_array(min_state *st, JsonbContainer *jc, int ctx)
{
	child_cursor cur;
	JsonbValue	v;
	int			i = 0;

	cursor_init(&cur, jc, 0);
	emit(st, WJB_BEGIN_ARRAY, NULL);
	while (cursor_next(&cur, &v))
	{
		if (ctx & CTX_ENTRIES)
		{
			st->entry = i;
			copy_value(st, WJB_ELEM, &v, CTX_ENTRY);
			st->entry = -1;
		}
		else
			copy_value(st, WJB_ELEM, &v,
					   ctx & (CTX_CODING | CTX_CONTAINED));
		i++;
	}
	return emit(st, WJB_END_ARRAY, NULL);
}

/*
 * Copy a container; returns what the closing pushJsonbValue returns (the
 * finished value when this was the outermost container).
 */
static JsonbValue *
copy_container(min_state *st, JsonbContainer *jc, int ctx)
{
	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	if (JsonContainerIsObject(jc))
		return copy_object(st, jc, ctx);
	return copy_array(st, jc, ctx);
}

Jsonb *
shc_minimize_bundle(Jsonb *jb)
{
	min_state	st;
	JsonbValue *res;

	shc_bundle_check(jb);
	memset(&st, 0, sizeof(st));
	st.entry = -1;
	collect_keys(&st, jb);
	res = copy_container(&st, &jb->root, CTX_ROOT);
	return JsonbValueToJsonb(res);
}

void
shc_minimize_write(shc_buf *out, Jsonb *jb, shc_rule_walk *rules)
{
	min_state	st;

	shc_bundle_check(jb);
	memset(&st, 0, sizeof(st));
	st.entry = -1;
	st.out = out;
	st.rules = rules;
	collect_keys(&st, jb);
	copy_container(&st, &jb->root, CTX_ROOT);
}

/*
 * shc_minimize(bundle jsonb) returns jsonb
 *		The bundle minimized for a QR code (SHC-NOTES section 7).
 */
PG_FUNCTION_INFO_V1(shc_minimize_sql);
Datum
shc_minimize_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);

	PG_RETURN_JSONB_P(shc_minimize_bundle(jb));
}

/*
 * A test hook, not part of the extension's SQL: the regression tests bind
 * it as a function of their own to compare it with
 * shc_json_compact(shc_minimize(bundle)) byte for byte.
 *		shc_minimize_compact(bundle jsonb) returns text
 */
PG_FUNCTION_INFO_V1(shc_minimize_compact_sql);
Datum
shc_minimize_compact_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	shc_buf		out;
	shc_error	err;

	shc_buf_init(&out, &shc_pg_allocator, MaxAllocSize - VARHDRSZ - 1);
	shc_minimize_write(&out, jb, NULL);
	if (shc_buf_status(&out, &err) != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}
