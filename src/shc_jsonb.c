/*
 * shc_jsonb.c
 *		Walk a jsonb value and write it as compact JSON through the core
 *		writer (SHC-NOTES 4.1: jsonb::text is not minified).
 *
 * jsonb stores object keys sorted (shorter first, then bytewise) and without
 * duplicates, so that is the order written; JSON consumers must not depend
 * on key order.  Numbers are written as numeric_out prints them.
 */
#include "shc_glue.h"

#include "core/shc_json.h"
#include "core/shc_jsonr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"


void
shc_jsonb_write_scalar(shc_buf *out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			shc_buf_append(out, "null", 4);
			break;
		case jbvBool:
			if (v->val.boolean)
				shc_buf_append(out, "true", 4);
			else
				shc_buf_append(out, "false", 5);
			break;
		case jbvString:
			shc_json_string(out, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			{
				char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
																	NumericGetDatum(v->val.numeric)));
				shc_error	err;

				if (shc_json_number(out, s, strlen(s), &err) != SHC_OK)
					shc_raise(&err);	/* jsonb cannot hold NaN: can't happen */
				pfree(s);
				break;
			}
		default:
			elog(ERROR, "unexpected jsonb scalar type %d", (int) v->type);
	}
}

JsonbValue *
shc_jsonb_member(JsonbContainer *jc, const char *key, JsonbValue *buf)
{
	if (!JsonContainerIsObject(jc))
		return NULL;
	return getKeyJsonValueFromContainer(jc, key, strlen(key), buf);
}

void
shc_jsonb_write(shc_buf *out, JsonbContainer *jc)
{
	JsonbIterator *it = JsonbIteratorInit(jc);
	JsonbIteratorToken tok;
	JsonbValue	v;
	bool		need_comma = false;
	bool		raw_scalar = false;
	uint32		n = 0;

	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if ((++n & 0xfff) == 0)
			CHECK_FOR_INTERRUPTS();
		switch (tok)
		{
			case WJB_BEGIN_OBJECT:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_buf_append_char(out, '{');
				need_comma = false;
				break;
			case WJB_BEGIN_ARRAY:
				if (v.val.array.rawScalar)
				{
					raw_scalar = true;
					break;
				}
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_buf_append_char(out, '[');
				need_comma = false;
				break;
			case WJB_END_OBJECT:
				shc_buf_append_char(out, '}');
				need_comma = true;
				break;
			case WJB_END_ARRAY:
				if (!raw_scalar)
					shc_buf_append_char(out, ']');
				need_comma = true;
				break;
			case WJB_KEY:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_json_key(out, v.val.string.val, v.val.string.len);
				need_comma = false;
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_jsonb_write_scalar(out, &v);
				need_comma = true;
				break;
			default:
				elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
		}
	}
}

/*
 * shc_json_compact(value jsonb) returns text
 *		The compact (minified) JSON text of a jsonb value.
 */
PG_FUNCTION_INFO_V1(shc_json_compact_sql);
Datum
shc_json_compact_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	shc_buf		out;
	shc_error	err;

	shc_buf_init(&out, &shc_pg_allocator, MaxAllocSize - VARHDRSZ - 1);
	shc_jsonb_write(&out, &jb->root);
	if (shc_buf_status(&out, &err) != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/* ---------------------------------------------------------------------
 * jsonb from the core reader's events
 *
 * The events are kept as a flat tree of nodes (an array, linked by index)
 * and the tree is then written straight in jsonb's binary format
 * (utils/jsonb.h), as convertToJsonb() writes a JsonbValue: every container
 * int-aligned with its count and flags, a JEntry per child (an end offset
 * every JB_OFFSET_STRIDE-th, a length otherwise), object keys first, in
 * jsonb's order (shorter first, then bytewise) with the last of duplicate
 * keys kept, numerics int-aligned.  Building the same value through
 * pushJsonbValue() and JsonbValueToJsonb() cost about as much as reading
 * the text; the differential tier "jsondiff" compares the result with
 * PostgreSQL's own jsonb input on 100,000 generated documents.
 * --------------------------------------------------------------------- */

typedef struct jnode
{
	char		type;			/* '{' '[' 's'tring 'n'umber 't' 'f' 'z' (null) */
	uint32		len;			/* string bytes */
	const char *str;			/* string or key */
	Numeric		num;
	int32		first;			/* containers: first child, or -1 */
	int32		last;			/* containers: last child, or -1 */
	int32		next;			/* next sibling, or -1 */
	uint32		count;			/* containers: children (objects: keys and values) */
} jnode;

typedef struct jsonb_events
{
	const char *text;			/* the input: strings in it are kept in place */
	size_t		len;
	jnode	   *nodes;
	int32		nnodes;
	int32		cap;
	int32	   *open;			/* the containers not yet closed */
	int32		nopen;
	int32		opencap;
	int32		root;
	bool		ascii_only;		/* a database encoding other than UTF8 */
	uint32		n;
	shc_error  *err;
} jsonb_events;

static bool
all_ascii(const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if ((unsigned char) s[i] >= 0x80)
			return false;
	return true;
}

/* a new node, linked as the last child of the innermost open container */
static jnode *
add_node(jsonb_events *je, char type)
{
	int32		idx;
	jnode	   *nd;

	if (je->nnodes == je->cap)
	{
		je->cap *= 2;
		je->nodes = repalloc(je->nodes, sizeof(jnode) * je->cap);
	}
	idx = je->nnodes++;
	nd = &je->nodes[idx];
	nd->type = type;
	nd->first = nd->last = nd->next = -1;
	nd->count = 0;
	if (je->nopen > 0)
	{
		jnode	   *parent = &je->nodes[je->open[je->nopen - 1]];

		if (parent->first < 0)
			parent->first = idx;
		else
			je->nodes[parent->last].next = idx;
		parent->last = idx;
		parent->count++;
	}
	else
		je->root = idx;
	return nd;
}

static shc_status
jsonb_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	jsonb_events *je = ctx;
	jnode	   *nd;

	if ((++je->n & 0xff) == 0)
		CHECK_FOR_INTERRUPTS();
	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
		case SHC_JSON_ARRAY_START:
			(void) add_node(je, ev == SHC_JSON_OBJECT_START ? '{' : '[');
			if (je->nopen == je->opencap)
			{
				je->opencap *= 2;
				je->open = repalloc(je->open, sizeof(int32) * je->opencap);
			}
			je->open[je->nopen++] = je->nnodes - 1;
			return SHC_OK;
		case SHC_JSON_OBJECT_END:
		case SHC_JSON_ARRAY_END:
			je->nopen--;
			return SHC_OK;
		case SHC_JSON_KEY:
		case SHC_JSON_STRING:
			if (je->ascii_only && !all_ascii(s, n))
				return shc_error_set(je->err, SHC_ERR_JSON,
									 "The JSON text holds non-ASCII text, which needs a UTF8 database.");
			nd = add_node(je, 's');
			nd->len = (uint32) n;
			/* the reader reuses its buffer of unescaped strings: copy those */
			if (s >= je->text && s + n <= je->text + je->len)
				nd->str = s;
			else
				nd->str = pnstrdup(s, n);
			return SHC_OK;
		case SHC_JSON_NUMBER:
			{
				char		tmp[128];
				char	   *tok = n < sizeof(tmp) ? tmp : palloc(n + 1);

				memcpy(tok, s, n);
				tok[n] = '\0';
				nd = add_node(je, 'n');
				nd->num = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															  CStringGetDatum(tok),
															  ObjectIdGetDatum(InvalidOid),
															  Int32GetDatum(-1)));
				return SHC_OK;
			}
		case SHC_JSON_TRUE:
			(void) add_node(je, 't');
			return SHC_OK;
		case SHC_JSON_FALSE:
			(void) add_node(je, 'f');
			return SHC_OK;
		case SHC_JSON_NULL:
			(void) add_node(je, 'z');
			return SHC_OK;
	}
	return SHC_OK;
}

/*
 * Room for n more bytes in buf.  The writer's buffer is reserved up front
 * for the whole value (shc_jsonb_parse), so this seldom calls out; the
 * binary value needs no terminating zero, unlike appendBinaryStringInfo's.
 */
static inline void
reserve(StringInfo buf, int n)
{
	if (unlikely((Size) buf->len + (Size) n >= (Size) buf->maxlen))
		enlargeStringInfo(buf, n);
}

static inline void
put_bytes(StringInfo buf, const void *p, int n)
{
	reserve(buf, n);
	memcpy(buf->data + buf->len, p, n);
	buf->len += n;
}

/* pad buf to a multiple of 4 bytes with zeros; the padding's length */
static inline int
pad_to_int(StringInfo buf)
{
	int			pad = INTALIGN(buf->len) - buf->len;

	if (pad > 0)
	{
		reserve(buf, pad);
		memset(buf->data + buf->len, 0, pad);
		buf->len += pad;
	}
	return pad;
}

static void
check_total(uint32 total)
{
	if (total > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("total size of jsonb value exceeds the maximum of %d bytes",
						JENTRY_OFFLENMASK)));
}

/* an object member while its keys are ordered */
typedef struct jpair
{
	const jnode *key;
	int32		value;
	int32		order;
} jpair;

/* jsonb's key order; of equal keys the later one first (it is kept) */
static int
jpair_cmp(const void *a, const void *b)
{
	const jpair *x = a;
	const jpair *y = b;

	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	{
		int			r = memcmp(x->key->str, y->key->str, x->key->len);

		if (r != 0)
			return r;
	}
	return x->order > y->order ? -1 : 1;
}

/* object members in jsonb's key order */
static void
sort_pairs(jpair *pairs, int n)
{
	int			i,
				k;

	if (n > 16)
	{
		qsort(pairs, n, sizeof(jpair), jpair_cmp);
		return;
	}
	/* insertion sort: objects of a card have a few members */
	for (i = 1; i < n; i++)
	{
		jpair		p = pairs[i];

		for (k = i; k > 0 && jpair_cmp(&pairs[k - 1], &p) > 0; k--)
			pairs[k] = pairs[k - 1];
		pairs[k] = p;
	}
}

static void write_node(StringInfo buf, jsonb_events *je, int32 idx,
					   JEntry *meta, bool raw_scalar);

/* a container's JEntry slot at offset jo: an end offset every stride */
static void
put_jentry(StringInfo buf, int jo, int i, JEntry m, uint32 *total)
{
	*total += JBE_OFFLENFLD(m);
	check_total(*total);
	if (i % JB_OFFSET_STRIDE == 0)
		m = (m & JENTRY_TYPEMASK) | *total | JENTRY_HAS_OFF;
	memcpy(buf->data + jo, &m, sizeof(JEntry));
}

static void
write_object(StringInfo buf, jsonb_events *je, const jnode *nd, JEntry *meta)
{
	int			base = buf->len;
	int			npairs = (int) nd->count / 2;
	jpair		small[16];
	jpair	   *pairs = npairs <= lengthof(small) ? small : palloc(sizeof(jpair) * npairs);
	int32		c;
	int			i,
				k,
				jo;
	uint32		header,
				total = 0;

	/* containers recurse (the reader bounds the depth; this is a backstop) */
	check_stack_depth();
	for (i = 0, c = nd->first; c >= 0; i++, c = je->nodes[je->nodes[c].next].next)
	{
		if ((i & 0xfff) == 0xfff)
			CHECK_FOR_INTERRUPTS();
		pairs[i].key = &je->nodes[c];
		pairs[i].value = je->nodes[c].next;
		pairs[i].order = i;
	}
	if (npairs > 1)
	{
		bool		dups = false;

		sort_pairs(pairs, npairs);
		for (i = 1; i < npairs && !dups; i++)
			dups = pairs[i].key->len == pairs[i - 1].key->len &&
				memcmp(pairs[i].key->str, pairs[i - 1].key->str, pairs[i].key->len) == 0;
		if (dups)
		{
			/* keep the first of each run of equal keys: the last written */
			for (i = 1, k = 0; i < npairs; i++)
				if (pairs[i].key->len != pairs[k].key->len ||
					memcmp(pairs[i].key->str, pairs[k].key->str, pairs[i].key->len) != 0)
					pairs[++k] = pairs[i];
			npairs = k + 1;
		}
	}
	if ((uint32) npairs > JB_CMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("number of jsonb object pairs exceeds the maximum allowed (%d)",
						JB_CMASK)));

	pad_to_int(buf);
	header = (uint32) npairs | JB_FOBJECT;
	put_bytes(buf, (char *) &header, sizeof(uint32));
	jo = buf->len;
	reserve(buf, sizeof(JEntry) * npairs * 2);
	buf->len += sizeof(JEntry) * npairs * 2;
	for (i = 0; i < npairs; i++)
	{
		JEntry		m;

		write_node(buf, je, (int32) (pairs[i].key - je->nodes), &m, false);
		put_jentry(buf, jo + sizeof(JEntry) * i, i, m, &total);
	}
	for (i = 0; i < npairs; i++)
	{
		JEntry		m;

		if ((i & 0xfff) == 0xfff)
			CHECK_FOR_INTERRUPTS();
		write_node(buf, je, pairs[i].value, &m, false);
		put_jentry(buf, jo + sizeof(JEntry) * (npairs + i), npairs + i, m, &total);
	}
	if (pairs != small)
		pfree(pairs);
	total = buf->len - base;
	check_total(total);
	*meta = JENTRY_ISCONTAINER | total;
}

static void
write_array(StringInfo buf, jsonb_events *je, int32 first, uint32 count,
			bool raw_scalar, JEntry *meta)
{
	int			base = buf->len;
	int			i,
				jo;
	int32		c;
	uint32		header,
				total = 0;

	check_stack_depth();
	if (count > JB_CMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("number of jsonb array elements exceeds the maximum allowed (%d)",
						JB_CMASK)));
	pad_to_int(buf);
	header = count | JB_FARRAY | (raw_scalar ? JB_FSCALAR : 0);
	put_bytes(buf, (char *) &header, sizeof(uint32));
	jo = buf->len;
	reserve(buf, sizeof(JEntry) * count);
	buf->len += sizeof(JEntry) * count;
	for (i = 0, c = first; c >= 0; i++, c = raw_scalar ? -1 : je->nodes[c].next)
	{
		JEntry		m;

		if ((i & 0xfff) == 0xfff)
			CHECK_FOR_INTERRUPTS();

		write_node(buf, je, c, &m, false);
		put_jentry(buf, jo + sizeof(JEntry) * i, i, m, &total);
	}
	total = buf->len - base;
	check_total(total);
	*meta = JENTRY_ISCONTAINER | total;
}

static void
write_node(StringInfo buf, jsonb_events *je, int32 idx, JEntry *meta,
		   bool raw_scalar)
{
	const jnode *nd = &je->nodes[idx];

	if (raw_scalar)
	{
		/* a scalar document: a one-element raw-scalar array, as jsonb_in */
		write_array(buf, je, idx, 1, true, meta);
		return;
	}
	switch (nd->type)
	{
		case '{':
			write_object(buf, je, nd, meta);
			break;
		case '[':
			write_array(buf, je, nd->first, nd->count, false, meta);
			break;
		case 's':
			check_total(nd->len);
			put_bytes(buf, nd->str, (int) nd->len);
			*meta = JENTRY_ISSTRING | nd->len;
			break;
		case 'n':
			{
				int			numlen = VARSIZE_ANY(nd->num);
				int			pad = pad_to_int(buf);

				put_bytes(buf, (char *) nd->num, numlen);
				*meta = JENTRY_ISNUMERIC | (pad + numlen);
				break;
			}
		case 't':
			*meta = JENTRY_ISBOOL_TRUE;
			break;
		case 'f':
			*meta = JENTRY_ISBOOL_FALSE;
			break;
		default:
			*meta = JENTRY_ISNULL;
			break;
	}
}

Jsonb *
shc_jsonb_parse(const char *s, size_t n, const shc_json_limits *lim,
				shc_error *err)
{
	jsonb_events je;
	shc_json_limits l = *lim;
	StringInfoData buf;
	JEntry		meta;
	Jsonb	   *res;

	/* jsonb's own limit on one string (utils/jsonb.h) */
	if (l.max_string_len == 0 || l.max_string_len > JENTRY_OFFLENMASK)
		l.max_string_len = JENTRY_OFFLENMASK;
	memset(&je, 0, sizeof(je));
	je.text = s;
	je.len = n;
	/* a card has about one node per ten bytes: one allocation, no regrowth */
	je.cap = (int32) Max(64, Min(n / 8, 8192));
	je.nodes = palloc(sizeof(jnode) * je.cap);
	je.opencap = 16;
	je.open = palloc(sizeof(int32) * je.opencap);
	je.root = -1;
	je.ascii_only = GetDatabaseEncoding() != PG_UTF8;
	je.err = err;
	if (shc_json_read(s, n, &l, jsonb_event, &je, &shc_pg_allocator, NULL,
					  err) != SHC_OK)
		return NULL;
	if (je.root < 0)			/* the reader accepts no empty text */
		elog(ERROR, "JSON text without a value");

	/* room for the whole value at once: the text's bytes, 8 per node */
	buf.maxlen = (int) Min(n + 8 * (size_t) je.nnodes + VARHDRSZ + 1, MaxAllocSize / 2);
	buf.data = palloc(buf.maxlen);
	buf.cursor = 0;
	buf.len = VARHDRSZ;
	write_node(&buf, &je, je.root, &meta, je.nodes[je.root].type != '{' &&
			   je.nodes[je.root].type != '[');
	res = (Jsonb *) buf.data;
	SET_VARSIZE(res, buf.len);
	pfree(je.nodes);
	pfree(je.open);
	return res;
}

/*
 * An object of n named jsonb values, written in jsonb's format with each
 * value's bytes copied as they are (pushJsonbValue would unpack every
 * container into a tree and JsonbValueToJsonb pack it again: seconds,
 * uninterruptible, for a payload of many small objects).  keys must be
 * distinct; they are put in jsonb's order here.
 */
Jsonb *
shc_jsonb_object_of(int n, const char *const *keys, Jsonb *const *vals)
{
	StringInfoData buf;
	jpair	   *pairs = palloc(sizeof(jpair) * Max(n, 1));
	jnode	   *knodes = palloc(sizeof(jnode) * Max(n, 1));
	jsonb_events je;
	uint32		header,
				total = 0;
	int			i,
				jo;
	Jsonb	   *res;

	memset(&je, 0, sizeof(je));
	je.nodes = knodes;
	for (i = 0; i < n; i++)
	{
		memset(&knodes[i], 0, sizeof(jnode));
		knodes[i].type = 's';
		knodes[i].str = keys[i];
		knodes[i].len = strlen(keys[i]);
		pairs[i].key = &knodes[i];
		pairs[i].value = i;
		pairs[i].order = i;
	}
	sort_pairs(pairs, n);
	initStringInfo(&buf);
	buf.len = VARHDRSZ;
	header = (uint32) n | JB_FOBJECT;
	put_bytes(&buf, (char *) &header, sizeof(uint32));
	jo = buf.len;
	reserve(&buf, sizeof(JEntry) * n * 2);
	buf.len += sizeof(JEntry) * n * 2;
	for (i = 0; i < n; i++)
	{
		JEntry		m;

		write_node(&buf, &je, (int32) (pairs[i].key - knodes), &m, false);
		put_jentry(&buf, jo + sizeof(JEntry) * i, i, m, &total);
	}
	for (i = 0; i < n; i++)
	{
		Jsonb	   *v = vals[pairs[i].value];
		JEntry		m;

		if (JB_ROOT_IS_SCALAR(v))
		{
			/* a raw scalar is written as the scalar, not its wrapper */
			JsonbValue	sv;
			jnode		sn;

			memset(&sn, 0, sizeof(sn));
			JsonbExtractScalar(&v->root, &sv);
			switch (sv.type)
			{
				case jbvString:
					sn.type = 's';
					sn.str = sv.val.string.val;
					sn.len = sv.val.string.len;
					break;
				case jbvNumeric:
					sn.type = 'n';
					sn.num = sv.val.numeric;
					break;
				case jbvBool:
					sn.type = sv.val.boolean ? 't' : 'f';
					break;
				default:
					sn.type = 'z';
					break;
			}
			je.nodes = &sn;
			write_node(&buf, &je, 0, &m, false);
			je.nodes = knodes;
		}
		else
		{
			/* a container: its bytes, int-aligned, as they are */
			int			base = buf.len;
			int			pad = pad_to_int(&buf);

			put_bytes(&buf, (char *) &v->root, VARSIZE(v) - VARHDRSZ);
			check_total(buf.len - base);
			m = JENTRY_ISCONTAINER | (uint32) (pad + VARSIZE(v) - VARHDRSZ);
		}
		put_jentry(&buf, jo + sizeof(JEntry) * (n + i), n + i, m, &total);
	}
	res = (Jsonb *) buf.data;
	SET_VARSIZE(res, buf.len);
	pfree(pairs);
	pfree(knodes);
	return res;
}

/*
 * shc_json_parse(json text) returns jsonb
 *		The card reader's jsonb of a JSON text, with the card limits.
 */
PG_FUNCTION_INFO_V1(shc_json_parse_sql);
Datum
shc_json_parse_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	shc_error	err;
	Jsonb	   *jb;

	jb = shc_jsonb_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
						 &shc_json_card_limits, &err);
	if (jb == NULL)
		shc_raise(&err);
	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_JSONB_P(jb);
}
