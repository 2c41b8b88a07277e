/*
 * fuzz_json_read.c
 *		The core JSON reader (shc_json_read) and the FHIR rulebook walk
 *		(shc_rule_fhir_bundle) on arbitrary bytes.  Properties: no crash,
 *		overread or leak; a text the reader accepts consumes all its input,
 *		and its events written back as compact JSON read again to exactly
 *		the same events (the writer and the reader agree); the card limits
 *		only ever refuse more, never accept what no limits refuse; every
 *		refusal has a detail sentence; and the rulebook's walk fed by events
 *		(as shc_issue feeds it) gives the text walk's verdict and sentence.
 */
#include "fuzz.h"
#include "shc_json.h"
#include "shc_jsonr.h"
#include "shc_rules.h"

typedef struct echo
{
	shc_buf		out;			/* compact JSON */
	shc_buf		trace;			/* event kinds and bytes */
	bool		need_comma;
} echo;

static shc_status
on_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	echo	   *e = ctx;
	shc_error	err;
	char		k = (char) ('A' + (int) ev);

	shc_buf_append_char(&e->trace, k);
	shc_buf_append(&e->trace, &n, sizeof(n));
	shc_buf_append(&e->trace, s ? s : "", s ? n : 0);
	shc_buf_append(&e->trace, &depth, sizeof(depth));
	if (ev != SHC_JSON_OBJECT_END && ev != SHC_JSON_ARRAY_END && e->need_comma)
		shc_buf_append_char(&e->out, ',');
	e->need_comma = true;
	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
			shc_buf_append_char(&e->out, '{');
			e->need_comma = false;
			break;
		case SHC_JSON_ARRAY_START:
			shc_buf_append_char(&e->out, '[');
			e->need_comma = false;
			break;
		case SHC_JSON_OBJECT_END:
			shc_buf_append_char(&e->out, '}');
			break;
		case SHC_JSON_ARRAY_END:
			shc_buf_append_char(&e->out, ']');
			break;
		case SHC_JSON_KEY:
			shc_json_key(&e->out, s, n);
			e->need_comma = false;
			break;
		case SHC_JSON_STRING:
			shc_json_string(&e->out, s, n);
			break;
		case SHC_JSON_NUMBER:
			FUZZ_ASSERT(shc_json_number(&e->out, s, n, &err) == SHC_OK);
			break;
		case SHC_JSON_TRUE:
			shc_buf_append_str(&e->out, "true");
			break;
		case SHC_JSON_FALSE:
			shc_buf_append_str(&e->out, "false");
			break;
		case SHC_JSON_NULL:
			shc_buf_append_str(&e->out, "null");
			break;
	}
	return SHC_OK;
}

/* the reader's events into the rulebook's walk */
static shc_status
feed_walk(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	(void) depth;
	shc_rule_fhir_event(ctx, ev, s, n);
	return SHC_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	shc_json_limits none = {0, 0, 0, 0, 0};
	echo		a,
				b;
	shc_error	err;
	shc_status	st,
				st_card;
	size_t		consumed = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	shc_buf_init(&a.out, NULL, 0);
	shc_buf_init(&a.trace, NULL, 0);
	shc_buf_init(&b.out, NULL, 0);
	shc_buf_init(&b.trace, NULL, 0);

	/* deep texts are fine without limits: the reader does not recurse */
	st = shc_json_read(in, size, &none, on_event, &a, NULL, &consumed, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(consumed == size);
		FUZZ_ASSERT(a.out.failed == false);
		FUZZ_ASSERT(shc_json_read(a.out.data, a.out.len, &none, on_event, &b,
								  NULL, NULL, &err) == SHC_OK);
		FUZZ_ASSERT(a.trace.len == b.trace.len &&
					memcmp(a.trace.data, b.trace.data, a.trace.len) == 0);
		FUZZ_ASSERT(a.out.len == b.out.len &&
					memcmp(a.out.data, b.out.data, a.out.len) == 0);
	}
	else
		FUZZ_ASSERT((st == SHC_ERR_JSON || st == SHC_ERR_LIMIT) && err.detail[0] != '\0');

	st_card = shc_json_read(in, size, &shc_json_card_limits, NULL, NULL, NULL, NULL, &err);
	if (st != SHC_OK)			/* a limit may be met before the error */
		FUZZ_ASSERT(st_card == st || st_card == SHC_ERR_LIMIT);
	else
		FUZZ_ASSERT(st_card == SHC_OK || st_card == SHC_ERR_LIMIT);

	/* the rulebook's walk over the same text */
	st = shc_rule_fhir_bundle(in, size, NULL, &err);
	FUZZ_ASSERT(st == SHC_OK || st == SHC_ERR_FHIR || st == SHC_ERR_JSON ||
				st == SHC_ERR_LIMIT);
	if (st != SHC_OK)
		FUZZ_ASSERT(err.detail[0] != '\0');

	/*
	 * The walk fed by events (as shc_issue's minimizer feeds it) over a
	 * text the reader accepts, written compactly: the same verdict and
	 * sentence as the walk over that text.
	 */
	if (a.trace.len > 0 && shc_json_read(a.out.data, a.out.len, &none, NULL, NULL,
										 NULL, NULL, &err) == SHC_OK)
	{
		shc_rule_walk *w = shc_rule_fhir_begin(NULL);
		shc_error	e2;
		shc_status	st2;

		FUZZ_ASSERT(w != NULL);
		st = shc_rule_fhir_bundle(a.out.data, a.out.len, NULL, &err);
		(void) shc_json_read(a.out.data, a.out.len, &none, feed_walk, w, NULL,
							 NULL, &e2);
		st2 = shc_rule_fhir_end(w, a.out.data, a.out.len, &e2);
		FUZZ_ASSERT(st2 == st);
		if (st != SHC_OK)
			FUZZ_ASSERT(strcmp(err.detail, e2.detail) == 0);
	}

	shc_buf_free(&a.out);
	shc_buf_free(&a.trace);
	shc_buf_free(&b.out);
	shc_buf_free(&b.trace);
	free(in);
	return 0;
}
