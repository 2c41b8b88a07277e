/*
 * test_json.c: the compact JSON writer's escaping and number grammar.
 */
#include "unit.h"
#include "shc_json.h"

static void
str_is(const char *in, size_t n, const char *want)
{
	shc_buf		b;

	shc_buf_init(&b, NULL, 0);
	shc_json_string(&b, in, n);
	CHECK(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
		  "string %s", want);
	shc_buf_free(&b);
}

static void
num(const char *in, int ok)
{
	shc_buf		b;
	shc_error	e;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	st = shc_json_number(&b, in, strlen(in), &e);
	CHECK((st == SHC_OK) == ok && (!ok || strcmp(b.data, in) == 0),
		  "number \"%s\" %s", in, ok ? "accepted" : "rejected");
	shc_buf_free(&b);
}

void
test_json(void)
{
	shc_buf		b;

	str_is("", 0, "\"\"");
	str_is("abc", 3, "\"abc\"");
	str_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	str_is("http://x/y", 10, "\"http://x/y\"");	/* '/' is not escaped */
	str_is("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	str_is("\x01\x1f", 2, "\"\\u0001\\u001f\"");
	str_is("\x7f", 1, "\"\x7f\"");	/* DEL is not a control character in JSON */
	str_is("caf\xc3\xa9 \xe2\x80\xa8", 9, "\"caf\xc3\xa9 \xe2\x80\xa8\"");	/* UTF-8 kept */
	str_is("a\0b", 3, "\"a\\u0000b\"");

	shc_buf_init(&b, NULL, 0);
	shc_json_key(&b, "iss", 3);
	CHECK(strcmp(b.data, "\"iss\":") == 0, "key with colon");
	shc_buf_free(&b);

	num("0", 1);
	num("-0", 1);
	num("1687450764.656", 1);
	num("1e10", 1);
	num("-1.5E-3", 1);
	num("01", 0);
	num("1.", 0);
	num(".5", 0);
	num("+1", 0);
	num("NaN", 0);
	num("Infinity", 0);
	num("1e", 0);
	num("", 0);
}
