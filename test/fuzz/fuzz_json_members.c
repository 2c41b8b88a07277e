/*
 * fuzz_json_members.c
 *		The object-members consumer of the JSON reader
 *		(shc_json_members_read), which reads JOSE headers and SMART Health
 *		Link payloads, on arbitrary bytes.  Properties: no crash, overread
 *		or leak (the counting allocator is back to zero); it accepts a text
 *		exactly when the reader accepts it under the same limits and the
 *		text is one object with at most SHC_JSON_MEMBERS_MAX distinct member
 *		names; its members are the reader's depth-1 events, in order; and
 *		the members written back as compact JSON read again to the same
 *		members.  The seeds are JOSE headers, link payloads and JWKs.
 */
#include "fuzz.h"
#include "shc_json.h"
#include "shc_jsonr.h"

/* the reader's own view of the top level, for comparison */
typedef struct top
{
	bool		object;			/* the text is an object */
	bool		duplicate;		/* some member name appears twice */
	int			count;			/* top-level members */
	shc_buf		names;			/* each name as (size_t len, bytes) */
	shc_buf		trace;			/* depth-1 keys and scalar values */
} top;

static shc_status
on_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	top		   *t = ctx;

	if (depth == 0 && ev == SHC_JSON_OBJECT_START)
		t->object = true;
	if (depth != 1)
		return SHC_OK;
	if (ev == SHC_JSON_KEY)
	{
		size_t		i = 0;

		while (i < t->names.len)
		{
			size_t		len;

			memcpy(&len, t->names.data + i, sizeof(len));
			i += sizeof(len);
			if (len == n && memcmp(t->names.data + i, s, n) == 0)
				t->duplicate = true;
			i += len;
		}
		shc_buf_append(&t->names, &n, sizeof(n));
		shc_buf_append(&t->names, s, n);
		t->count++;
	}
	if (ev == SHC_JSON_OBJECT_END || ev == SHC_JSON_ARRAY_END)
		return SHC_OK;
	shc_buf_append_char(&t->trace, (char) ('A' + (int) ev));
	if (ev == SHC_JSON_KEY || ev == SHC_JSON_STRING || ev == SHC_JSON_NUMBER)
	{
		shc_buf_append(&t->trace, &n, sizeof(n));
		shc_buf_append(&t->trace, s, n);
	}
	return SHC_OK;
}

/* the members as the trace on_event would make of them */
static void
members_trace(const shc_json_members *o, shc_buf *b)
{
	int			k;

	for (k = 0; k < o->count; k++)
	{
		const shc_json_member *m = &o->m[k];

		shc_buf_append_char(b, (char) ('A' + (int) SHC_JSON_KEY));
		shc_buf_append(b, &m->name_len, sizeof(m->name_len));
		shc_buf_append(b, m->name, m->name_len);
		shc_buf_append_char(b, (char) ('A' + (int) m->type));
		if (m->type == SHC_JSON_STRING || m->type == SHC_JSON_NUMBER)
		{
			FUZZ_ASSERT(m->value != NULL && m->value[m->value_len] == '\0');
			shc_buf_append(b, &m->value_len, sizeof(m->value_len));
			shc_buf_append(b, m->value, m->value_len);
		}
		else
			FUZZ_ASSERT(m->value == NULL);
		FUZZ_ASSERT(m->name[m->name_len] == '\0' && strlen(m->name) == m->name_len);
		FUZZ_ASSERT(shc_json_members_get(o, m->name) == m);
	}
}

/* the members written back as compact JSON */
static void
members_write(const shc_json_members *o, shc_buf *b)
{
	shc_error	err;
	int			k;

	shc_buf_append_char(b, '{');
	for (k = 0; k < o->count; k++)
	{
		const shc_json_member *m = &o->m[k];

		if (k > 0)
			shc_buf_append_char(b, ',');
		shc_json_key(b, m->name, m->name_len);
		switch (m->type)
		{
			case SHC_JSON_STRING:
				shc_json_string(b, m->value, m->value_len);
				break;
			case SHC_JSON_NUMBER:
				FUZZ_ASSERT(shc_json_number(b, m->value, m->value_len, &err) == SHC_OK);
				break;
			case SHC_JSON_TRUE:
				shc_buf_append_str(b, "true");
				break;
			case SHC_JSON_FALSE:
				shc_buf_append_str(b, "false");
				break;
			case SHC_JSON_NULL:
				shc_buf_append_str(b, "null");
				break;
			case SHC_JSON_OBJECT_START:
				shc_buf_append_str(b, "{}");
				break;
			case SHC_JSON_ARRAY_START:
				shc_buf_append_str(b, "[]");
				break;
			default:
				FUZZ_ASSERT(!"a member of an unexpected type");
		}
	}
	shc_buf_append_char(b, '}');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	fuzz_counter cnt;
	shc_allocator a = fuzz_counting_allocator(&cnt);
	shc_json_limits lim = shc_json_card_limits;
	shc_json_members o,
				o2;
	shc_error	err,
				err2;
	shc_status	st,
				st_reader;
	top			t;
	shc_buf		mine,
				back,
				mine2;

	memset(&t, 0, sizeof(t));
	shc_buf_init(&t.names, NULL, 0);
	shc_buf_init(&t.trace, NULL, 0);
	lim.max_depth = SHC_JSON_MEMBERS_MAX_DEPTH;
	lim.max_string_len = SHC_JSON_MEMBERS_MAX_STRING;
	st_reader = shc_json_read(in, size, &lim, on_event, &t, NULL, NULL, &err2);

	st = shc_json_members_read(in, size, &a, &o, &err);
	FUZZ_ASSERT(st == SHC_OK || st == SHC_ERR_JSON || st == SHC_ERR_LIMIT);
	if (st != SHC_OK)
		FUZZ_ASSERT(err.detail[0] != '\0');
	if (st_reader != SHC_OK)
		FUZZ_ASSERT(st != SHC_OK);	/* it may stop earlier, at a member */
	else
		FUZZ_ASSERT((st == SHC_OK) ==
					(t.object && !t.duplicate && t.count <= SHC_JSON_MEMBERS_MAX));
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(o.count == t.count);
		shc_buf_init(&mine, NULL, 0);
		members_trace(&o, &mine);
		FUZZ_ASSERT(mine.len == t.trace.len &&
					(mine.len == 0 || memcmp(mine.data, t.trace.data, mine.len) == 0));
		/* written back and read again: the same members */
		shc_buf_init(&back, NULL, 0);
		members_write(&o, &back);
		FUZZ_ASSERT(shc_json_members_read(back.data, back.len, NULL, &o2, &err) == SHC_OK);
		shc_buf_init(&mine2, NULL, 0);
		members_trace(&o2, &mine2);
		FUZZ_ASSERT(mine2.len == mine.len &&
					(mine.len == 0 || memcmp(mine.data, mine2.data, mine.len) == 0));
		shc_json_members_free(&o2);
		shc_buf_free(&mine2);
		shc_buf_free(&back);
		shc_buf_free(&mine);
	}
	shc_json_members_free(&o);
	FUZZ_ASSERT(cnt.live == 0);
	shc_buf_free(&t.names);
	shc_buf_free(&t.trace);
	free(in);
	return 0;
}
