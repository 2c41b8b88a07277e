/*
 * test_jsonr.c: the JSON reader (events, strict UTF-8, escapes, limits)
 * and the rulebook's time and FHIR rules.
 */
#include "unit.h"
#include "shc_jsonr.h"
#include "shc_rules.h"

/* events written back as a compact trace: {k:s,n,[t f n]} */
static shc_status
trace(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	shc_buf    *b = ctx;

	switch (ev)
	{
		case SHC_JSON_OBJECT_START: shc_buf_append_char(b, '{'); break;
		case SHC_JSON_OBJECT_END: shc_buf_append_char(b, '}'); break;
		case SHC_JSON_ARRAY_START: shc_buf_append_char(b, '['); break;
		case SHC_JSON_ARRAY_END: shc_buf_append_char(b, ']'); break;
		case SHC_JSON_KEY: shc_buf_append_char(b, 'K'); shc_buf_append(b, s, n); shc_buf_append_char(b, ':'); break;
		case SHC_JSON_STRING: shc_buf_append_char(b, 'S'); shc_buf_append(b, s, n); shc_buf_append_char(b, ';'); break;
		case SHC_JSON_NUMBER: shc_buf_append_char(b, 'N'); shc_buf_append(b, s, n); shc_buf_append_char(b, ';'); break;
		case SHC_JSON_TRUE: shc_buf_append_char(b, 't'); break;
		case SHC_JSON_FALSE: shc_buf_append_char(b, 'f'); break;
		case SHC_JSON_NULL: shc_buf_append_char(b, 'n'); break;
	}
	return SHC_OK;
}

static void
reads(const char *in, size_t n, const char *want)
{
	shc_buf		b;
	shc_error	e;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	e.detail[0] = '\0';
	st = shc_json_read(in, n, NULL, trace, &b, NULL, NULL, &e);
	CHECK(st == SHC_OK && b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
		  "reads %.40s -> %s (%s)", in, want, st == SHC_OK ? b.data : e.detail);
	shc_buf_free(&b);
}

static void
refuses(const char *in, size_t n, const shc_json_limits *lim, shc_status want)
{
	shc_error	e;

	e.detail[0] = '\0';
	CHECK_STATUS(shc_json_read(in, n, lim, NULL, NULL, NULL, NULL, &e), want,
				 "refuses %.40s (%s)", in, e.detail);
}

#define R(s, w) reads(s, sizeof(s) - 1, w)
#define X(s) refuses(s, sizeof(s) - 1, NULL, SHC_ERR_JSON)

/* the reader's events into the rulebook's walk, as the minimizer feeds it */
static shc_status
feed_walk(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	(void) depth;
	shc_rule_fhir_event(ctx, ev, s, n);
	return SHC_OK;
}

static void
fhir(const char *bundle, shc_status want, const char *detail_part)
{
	shc_error	e,
				e2;
	shc_status	st,
				st2;
	shc_rule_walk *w;

	e.detail[0] = '\0';
	st = shc_rule_fhir_bundle(bundle, strlen(bundle), NULL, &e);
	CHECK(st == want && (detail_part == NULL || strstr(e.detail, detail_part) != NULL),
		  "fhir %.60s -> %d (%s)", bundle, (int) st, e.detail);

	/* the walk fed by events gives the same verdict and sentence */
	e2.detail[0] = '\0';
	w = shc_rule_fhir_begin(NULL);
	(void) shc_json_read(bundle, strlen(bundle), NULL, feed_walk, w, NULL, NULL, &e2);
	st2 = shc_rule_fhir_end(w, bundle, strlen(bundle), &e2);
	CHECK(st2 == st && (st == SHC_OK || strcmp(e.detail, e2.detail) == 0),
		  "fhir by events %.60s -> %d (%s)", bundle, (int) st2, e2.detail);
}

#define IMM(extra) "{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"1951-01-20\"}}," \
	"{\"fullUrl\":\"resource:1\",\"resource\":{\"resourceType\":\"Immunization\"," extra "}}]}"
#define OKIMM "\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"code\":\"207\"}]},\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\""

void
test_jsonr(void)
{
	shc_json_limits lim;
	shc_error	e;
	int			i;
	char		deep[600];

	R("{}", "{}");
	R(" [ ] ", "[]");
	R("{\"a\":[1,-0.5e+3,true,false,null,\"x\"]}", "{Ka:[N1;N-0.5e+3;tfnSx;]}");
	R("\"\\u00e9\\ud83d\\ude00\\n\\/\"", "S\xc3\xa9\xf0\x9f\x98\x80\n/;");
	R("\"\xc3\xa9\xef\xbf\xbf\"", "S\xc3\xa9\xef\xbf\xbf;");
	R("12", "N12;");
	R("{\"a\":{\"b\":{}},\"c\":[[],{}]}", "{Ka:{Kb:{}}Kc:[[]{}]}");
	X("");
	X(" ");
	X("{");
	X("[1,]");
	X("{\"a\":1,}");
	X("{\"a\" 1}");
	X("{1:2}");
	X("[1 2]");
	X("01");
	X("1.");
	X(".5");
	X("-");
	X("1e");
	X("+1");
	X("NaN");
	X("tru");
	X("truex");
	X("1x");
	X("[1]]");
	X("{} {}");
	X("\"a\tb\"");
	X("\"\\x\"");
	X("\"\\u12\"");
	X("\"\\u0000\"");
	X("\"\\udc00\"");
	X("\"\\ud800\"");
	X("\"\\ud800\\u0041\"");
	X("\"\xc0\xaf\"");			/* overlong */
	X("\"\xed\xa0\x80\"");		/* surrogate */
	X("\"\xf4\x90\x80\x80\"");	/* above U+10FFFF */
	X("\"\x80\"");
	X("\"\xe2\x82\"");
	X("\xef\xbb\xbf{}");		/* BOM */
	X("[\"abc");
	X("{\"a\":1");
	refuses("[1]\0", 4, NULL, SHC_ERR_JSON);

	/* limits */
	memset(&lim, 0, sizeof(lim));
	lim.max_depth = 3;
	refuses("[[[1]]]", 7, &lim, SHC_OK);
	refuses("[[[[1]]]]", 9, &lim, SHC_ERR_LIMIT);
	lim.max_depth = 0;
	lim.max_tokens = 3;
	refuses("[1,2]", 5, &lim, SHC_OK);
	refuses("[1,2,3]", 7, &lim, SHC_ERR_LIMIT);
	lim.max_tokens = 0;
	lim.max_number_len = 3;
	refuses("[123]", 5, &lim, SHC_OK);
	refuses("[1234]", 6, &lim, SHC_ERR_LIMIT);
	lim.max_number_len = 0;
	lim.max_exponent = 10;
	refuses("1e10", 4, &lim, SHC_OK);
	refuses("1e-11", 5, &lim, SHC_ERR_LIMIT);
	refuses("1e99999999999999999999", 22, &lim, SHC_ERR_LIMIT);
	lim.max_exponent = 0;
	lim.max_string_len = 2;
	refuses("\"ab\"", 4, &lim, SHC_OK);
	refuses("{\"abc\":1}", 9, &lim, SHC_ERR_LIMIT);
	refuses("\"\\u00e9x\"", 9, &lim, SHC_ERR_LIMIT);
	for (i = 0; i < 300; i++)
		deep[i] = '[', deep[599 - i] = ']';
	refuses(deep, 600, &shc_json_card_limits, SHC_ERR_LIMIT);
	refuses(deep + 44, 512, &shc_json_card_limits, SHC_OK);
	refuses(deep, 600, NULL, SHC_OK);

	/* the rulebook: times */
	CHECK_STATUS(shc_rule_times(0, false, 0, &e), SHC_OK, "nbf 0");
	CHECK_STATUS(shc_rule_times(-1, false, 0, &e), SHC_ERR_TIME, "nbf before 1970");
	CHECK_STATUS(shc_rule_times(1e9, true, 1739496673998.0, &e), SHC_ERR_TIME, "exp in milliseconds");
	CHECK(strstr(e.detail, "milliseconds") != NULL, "the exp detail says milliseconds: %s", e.detail);
	CHECK_STATUS(shc_rule_times(1e9, true, 1e9, &e), SHC_ERR_TIME, "exp = nbf");
	CHECK_STATUS(shc_rule_times(1e9, true, 1e9 + 1, &e), SHC_OK, "exp after nbf");

	/* FHIR dates */
	CHECK(shc_rule_fhir_date("2021", 4, true), "date 2021");
	CHECK(shc_rule_fhir_date("2021-05-01", 10, true), "date 2021-05-01");
	CHECK(!shc_rule_fhir_date("20210-05-01", 11, true), "no 5-digit year");
	CHECK(!shc_rule_fhir_date("0000-05-01", 10, true), "no year 0");
	CHECK(!shc_rule_fhir_date("2021-13-01", 10, true), "no month 13");
	CHECK(!shc_rule_fhir_date("2021-05-01T10:00:00Z", 20, true), "a date has no time");
	CHECK(shc_rule_fhir_date("2021-05-01T10:00:00Z", 20, false), "dateTime Z");
	CHECK(shc_rule_fhir_date("2021-05-01T10:00:00.123+14:00", 29, false), "dateTime +14:00");
	CHECK(!shc_rule_fhir_date("2021-05-01T10:00:00+14:30", 25, false), "no +14:30");
	CHECK(!shc_rule_fhir_date("2021-05-01T10:00:00", 19, false), "a time needs a zone");
	CHECK(!shc_rule_fhir_date("2021-05-01T10:00Z", 17, false), "a time has seconds");

	/* FHIR bundle checks */
	fhir(IMM(OKIMM), SHC_OK, NULL);
	fhir("{\"resourceType\":\"Bundle\"}", SHC_OK, NULL);
	fhir(IMM(OKIMM ",\"lotNumber\":\"\""), SHC_ERR_FHIR, "entry[1].resource.lotNumber is an empty string");
	fhir(IMM(OKIMM ",\"performer\":[{\"actor\":{}}]"), SHC_ERR_FHIR, "entry[1].resource.performer[0].actor is an empty object");
	fhir(IMM("\"status\":\"completed\",\"vaccineCode\":{\"coding\":[]},\"occurrenceDateTime\":\"2021\""), SHC_ERR_FHIR, "vaccineCode.coding is an empty array");
	fhir(IMM("\"status\":\"completed\",\"vaccineCode\":{\"text\":\"x\"},\"occurrenceDateTime\":\"2021\""), SHC_ERR_FHIR, "vaccineCode has no coding");
	fhir(IMM("\"status\":\"completed\",\"occurrenceDateTime\":\"2021\""), SHC_ERR_FHIR, "vaccineCode is missing");
	fhir(IMM("\"status\":\"not-done\",\"vaccineCode\":{\"coding\":[{\"code\":\"1\"}]},\"occurrenceDateTime\":\"2021\""), SHC_ERR_FHIR, "entry[1].resource.status is not \"completed\"");
	fhir(IMM("\"vaccineCode\":{\"coding\":[{\"code\":\"1\"}]},\"occurrenceDateTime\":\"2021\""), SHC_ERR_FHIR, "status is missing");
	fhir(IMM(OKIMM ",\"occurrenceString\":\"May\""), SHC_ERR_FHIR, "both occurrenceDateTime and occurrenceString");
	fhir(IMM("\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"code\":\"1\"}]}"), SHC_ERR_FHIR, "neither");
	fhir(IMM("\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"code\":\"1\"}]},\"occurrenceDateTime\":\"20210-05-01\""), SHC_ERR_FHIR, "occurrenceDateTime is not a FHIR dateTime");
	fhir(IMM(OKIMM ",\"meta\":{\"security\":[{\"code\":\"IAL1.2\"}]}"), SHC_OK, NULL);
	fhir(IMM(OKIMM ",\"meta\":{\"versionId\":\"1\"}"), SHC_ERR_FHIR, "meta.versionId is not allowed");
	fhir(IMM(OKIMM ",\"meta\":{\"security\":[\"IAL1.2\"]}"), SHC_ERR_FHIR, "meta.security[0] is not a Coding");
	fhir(IMM(OKIMM ",\"meta\":{\"security\":[{\"foo\":\"x\"}]}"), SHC_ERR_FHIR, "meta.security[0].foo is not an element of a Coding");
	fhir(IMM(OKIMM ",\"meta\":{\"security\":{\"code\":\"x\"}}"), SHC_ERR_FHIR, "meta.security is not an array of Codings");
	fhir(IMM(OKIMM ",\"location\":{\"reference\":\"resource:2\"}"), SHC_ERR_FHIR, "reference \"resource:2\", matches no entry");
	fhir(IMM(OKIMM ",\"location\":{\"reference\":\"Patient/p\"}"), SHC_ERR_FHIR, "entry[1].resource.location.reference");
	fhir("{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"urn:uuid:1\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\"}},"
		 "{\"resource\":{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p\"},\"performer\":[{\"reference\":\"urn:uuid:1\"}]}}]}",
		 SHC_OK, NULL);
	fhir("{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"https://x.org/fhir/Patient/p\",\"resource\":{\"resourceType\":\"Patient\"}},"
		 "{\"resource\":{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p\"}}}]}",
		 SHC_OK, NULL);
	fhir("[]", SHC_ERR_FHIR, "is a JSON object");
	fhir("{\"resourceType\":\"Bundle\",\"x\":1e5000}", SHC_ERR_LIMIT, NULL);

	/*
	 * Deeper than the walk's first frames (it grows them): the verdict, and
	 * the path of an empty array 40 levels down, are those of the text walk,
	 * and the path names every level.
	 */
	{
		char		b[256],
					b2[256];
		int			d;
		size_t		o;

		o = (size_t) snprintf(b, sizeof(b), "{\"resourceType\":\"Bundle\",\"x\":");
		for (d = 0; d < 40; d++)
			b[o++] = '[';
		b[o++] = '1';
		for (d = 0; d < 40; d++)
			b[o++] = ']';
		memcpy(b + o, "}", 2);
		fhir(b, SHC_OK, NULL);
		memcpy(b2, b, sizeof(b));
		b2[strchr(b2, '1') - b2] = ' ';
		fhir(b2, SHC_ERR_FHIR, "x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0] is an empty array");
	}
}
