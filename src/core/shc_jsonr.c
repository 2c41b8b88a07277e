/*
 * shc_jsonr.c
 *		The JSON reader: RFC 8259 in one pass, strict UTF-8 (RFC 3629),
 *		limits as arguments, events to a handler (see shc_jsonr.h).
 *
 * No recursion: the nesting is a byte stack ('{' or '['), so the C stack
 * does not grow with the input.  Strings without escapes are handed to the
 * handler in place; the others are unescaped into one scratch buffer.
 */
#include "shc_jsonr.h"
#include "shc_json.h"

#include <string.h>

const shc_json_limits shc_json_card_limits = {
	SHC_JSON_CARD_MAX_DEPTH,
	0,
	SHC_JSON_CARD_MAX_NUMBER_LEN,
	SHC_JSON_CARD_MAX_EXPONENT,
	0
};

typedef struct reader
{
	const unsigned char *s;
	size_t		n;
	size_t		i;
	const shc_json_limits *lim;
	shc_json_handler handler;
	void	   *ctx;
	shc_error  *err;
	size_t		tokens;
	shc_buf		scratch;
	shc_buf		stack;
} reader;

#define IS_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

size_t
shc_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	/* RFC 3629 section 4: the well-formed byte sequences */
	if (c >= 0xC2 && c <= 0xDF)
		return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF)
	{
		unsigned char lo = 0x80,
					hi = 0xBF;

		if (c == 0xE0)
			lo = 0xA0;			/* no overlong form */
		else if (c == 0xED)
			hi = 0x9F;			/* no UTF-16 surrogate */
		return (n >= 3 && s[1] >= lo && s[1] <= hi &&
				(s[2] & 0xC0) == 0x80) ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		unsigned char lo = 0x80,
					hi = 0xBF;

		if (c == 0xF0)
			lo = 0x90;			/* no overlong form */
		else if (c == 0xF4)
			hi = 0x8F;			/* nothing above U+10FFFF */
		return (n >= 4 && s[1] >= lo && s[1] <= hi &&
				(s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) ? 4 : 0;
	}
	return 0;
}

static shc_status
syntax(reader *r, const char *what)
{
	return shc_error_set(r->err, SHC_ERR_JSON, "The JSON text has %s at offset %zu.",
						 what, r->i);
}

static void
skip_ws(reader *r)
{
	while (r->i < r->n && IS_WS(r->s[r->i]))
		r->i++;
}

static shc_status
emit(reader *r, shc_json_event ev, const char *s, size_t n)
{
	if (r->handler == NULL)
		return SHC_OK;
	return r->handler(r->ctx, ev, s, n, (int) r->stack.len);
}

static inline shc_status
count_token(reader *r)
{
	if ((++r->tokens & 0xfff) == 0)
		SHC_INTERRUPT_POINT(r->scratch.a);
	if (r->lim->max_tokens && r->tokens > r->lim->max_tokens)
		return shc_error_set(r->err, SHC_ERR_LIMIT,
							 "The JSON text has more than %zu tokens (offset %zu).",
							 r->lim->max_tokens, r->i);
	return SHC_OK;
}

/* four hex digits at s[i..i+4), or -1 */
static long
hex4(reader *r, size_t i)
{
	long		v = 0;
	int			k;

	if (r->n - i < 4)
		return -1;
	for (k = 0; k < 4; k++)
	{
		int			h = shc_hex_value(r->s[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void
put_utf8(shc_buf *b, unsigned long cp)
{
	char		u[4];
	size_t		len;

	if (cp < 0x80)
		u[0] = (char) cp, len = 1;
	else if (cp < 0x800)
	{
		u[0] = (char) (0xC0 | (cp >> 6));
		u[1] = (char) (0x80 | (cp & 0x3F));
		len = 2;
	}
	else if (cp < 0x10000)
	{
		u[0] = (char) (0xE0 | (cp >> 12));
		u[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char) (0x80 | (cp & 0x3F));
		len = 3;
	}
	else
	{
		u[0] = (char) (0xF0 | (cp >> 18));
		u[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char) (0x80 | (cp & 0x3F));
		len = 4;
	}
	shc_buf_append(b, u, len);
}

/* the string whose opening quote is at r->i; emits ev */
static shc_status
read_string(reader *r, shc_json_event ev)
{
	size_t		start = ++r->i;
	size_t		run = start;
	bool		escaped = false;
	const char *val;
	size_t		len;
	shc_status	st;

	for (;;)
	{
		unsigned char c;

		/* the common bytes, quickly */
		r->i += shc_json_plain_len(r->s + r->i, r->n - r->i, true);
		if (r->i >= r->n)
			return shc_error_set(r->err, SHC_ERR_JSON,
								 "The JSON text ends inside a string that starts at offset %zu.",
								 start - 1);
		c = r->s[r->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return syntax(r, "an unescaped control character in a string");
		if (c >= 0x80)
		{
			size_t		k = shc_utf8_seq(r->s + r->i, r->n - r->i);

			if (k == 0)
				return syntax(r, "a byte that is not valid UTF-8");
			r->i += k;
			continue;
		}
		/* a backslash */
		if (!escaped)
		{
			r->scratch.len = 0;
			escaped = true;
		}
		shc_buf_append(&r->scratch, r->s + run, r->i - run);
		if (r->i + 1 >= r->n)
			return syntax(r, "a string that ends in a backslash");
		switch (r->s[r->i + 1])
		{
			case '"':
			case '\\':
			case '/':
				shc_buf_append_char(&r->scratch, (char) r->s[r->i + 1]);
				r->i += 2;
				break;
			case 'b':
				shc_buf_append_char(&r->scratch, '\b');
				r->i += 2;
				break;
			case 'f':
				shc_buf_append_char(&r->scratch, '\f');
				r->i += 2;
				break;
			case 'n':
				shc_buf_append_char(&r->scratch, '\n');
				r->i += 2;
				break;
			case 'r':
				shc_buf_append_char(&r->scratch, '\r');
				r->i += 2;
				break;
			case 't':
				shc_buf_append_char(&r->scratch, '\t');
				r->i += 2;
				break;
			case 'u':
				{
					long		cp = hex4(r, r->i + 2);

					if (cp < 0)
						return syntax(r, "a \\u escape without four hex digits");
					if (cp == 0)
						return syntax(r, "\\u0000, which jsonb cannot hold,");
					if (cp >= 0xDC00 && cp <= 0xDFFF)
						return syntax(r, "a low surrogate \\u escape without a high one before it");
					r->i += 6;
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						long		lo;

						if (r->n - r->i < 2 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u' ||
							(lo = hex4(r, r->i + 2)) < 0xDC00 || lo > 0xDFFF)
							return syntax(r, "a high surrogate \\u escape without a low one after it");
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						r->i += 6;
					}
					put_utf8(&r->scratch, (unsigned long) cp);
					break;
				}
			default:
				return syntax(r, "an invalid escape in a string");
		}
		run = r->i;
	}
	if (escaped)
	{
		shc_buf_append(&r->scratch, r->s + run, r->i - run);
		if ((st = shc_buf_status(&r->scratch, r->err)) != SHC_OK)
			return st;
		val = r->scratch.data;
		len = r->scratch.len;
	}
	else
	{
		val = (const char *) r->s + start;
		len = r->i - start;
	}
	r->i++;						/* the closing quote */
	if (r->lim->max_string_len && len > r->lim->max_string_len)
		return shc_error_set(r->err, SHC_ERR_LIMIT,
							 "The string at offset %zu is longer than %zu bytes.",
							 start - 1, r->lim->max_string_len);
	if ((st = count_token(r)) != SHC_OK)
		return st;
	return emit(r, ev, val, len);
}

/* what may end a number or a literal: PostgreSQL rejects "1x", "truex" */
static bool
at_delimiter(reader *r)
{
	unsigned char c;

	if (r->i >= r->n)
		return true;
	c = r->s[r->i];
	return IS_WS(c) || c == ',' || c == ']' || c == '}' || c == ':';
}

static shc_status
read_number(reader *r)
{
	size_t		start = r->i;
	long		expo = 0;
	shc_status	st;

	/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
	if (r->s[r->i] == '-')
		r->i++;
	if (r->i < r->n && r->s[r->i] == '0')
		r->i++;
	else if (r->i < r->n && IS_DIGIT(r->s[r->i]))
		while (r->i < r->n && IS_DIGIT(r->s[r->i]))
			r->i++;
	else
		return syntax(r, "a number without digits");
	if (r->i < r->n && r->s[r->i] == '.')
	{
		r->i++;
		if (r->i >= r->n || !IS_DIGIT(r->s[r->i]))
			return syntax(r, "a number without digits after its decimal point");
		while (r->i < r->n && IS_DIGIT(r->s[r->i]))
			r->i++;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E'))
	{
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (r->i >= r->n || !IS_DIGIT(r->s[r->i]))
			return syntax(r, "a number without digits in its exponent");
		while (r->i < r->n && IS_DIGIT(r->s[r->i]))
		{
			if (expo <= 1000000000L)
				expo = expo * 10 + (r->s[r->i] - '0');
			r->i++;
		}
	}
	if (!at_delimiter(r))
		return syntax(r, "a number followed by a character that cannot follow it");
	if (r->lim->max_number_len && r->i - start > r->lim->max_number_len)
		return shc_error_set(r->err, SHC_ERR_LIMIT,
							 "The number at offset %zu has more than %zu characters.",
							 start, r->lim->max_number_len);
	if (r->lim->max_exponent && expo > r->lim->max_exponent)
		return shc_error_set(r->err, SHC_ERR_LIMIT,
							 "The number at offset %zu has an exponent beyond %d.",
							 start, r->lim->max_exponent);
	if ((st = count_token(r)) != SHC_OK)
		return st;
	return emit(r, SHC_JSON_NUMBER, (const char *) r->s + start, r->i - start);
}

static shc_status
read_literal(reader *r, const char *word, size_t len, shc_json_event ev)
{
	shc_status	st;

	if (r->n - r->i < len || memcmp(r->s + r->i, word, len) != 0)
		return syntax(r, "an invalid token");
	r->i += len;
	if (!at_delimiter(r))
		return syntax(r, "an invalid token");
	if ((st = count_token(r)) != SHC_OK)
		return st;
	return emit(r, ev, NULL, 0);
}

/*
 * The main loop.  States: expecting a value (after '[', ',' in an array,
 * ':' or at the start), expecting a key (after '{' or ',' in an object),
 * or after a value (expecting ',' or the container's close).
 */
static shc_status
read_text(reader *r)
{
	shc_status	st;
	bool		want_value = true;	/* else: after a value */
	bool		first = false;	/* just after '{' or '[': a close is allowed */

	skip_ws(r);
	if (r->n >= 3 && r->s[0] == 0xEF && r->s[1] == 0xBB && r->s[2] == 0xBF)
		return shc_error_set(r->err, SHC_ERR_JSON,
							 "The JSON text starts with a UTF-8 byte order mark.");
	for (;;)
	{
		unsigned char c;
		char		top;

		skip_ws(r);
		top = r->stack.len ? r->stack.data[r->stack.len - 1] : 0;
		if (want_value)
		{
			if (r->i >= r->n)
				return syntax(r, "no value where one is expected (the text ends)");
			c = r->s[r->i];
			if (first && top == '[' && c == ']')
				goto close;
			switch (c)
			{
				case '{':
				case '[':
					if (r->lim->max_depth && (int) r->stack.len >= r->lim->max_depth)
						return shc_error_set(r->err, SHC_ERR_LIMIT,
											 "The JSON text nests deeper than %d levels (offset %zu).",
											 r->lim->max_depth, r->i);
					if ((st = count_token(r)) != SHC_OK)
						return st;
					if ((st = emit(r, c == '{' ? SHC_JSON_OBJECT_START : SHC_JSON_ARRAY_START,
								   NULL, 0)) != SHC_OK)
						return st;
					shc_buf_append_char(&r->stack, (char) c);
					if ((st = shc_buf_status(&r->stack, r->err)) != SHC_OK)
						return st;
					r->i++;
					first = true;
					if (c == '{')
						goto key;
					continue;
				case '"':
					st = read_string(r, SHC_JSON_STRING);
					break;
				case 't':
					st = read_literal(r, "true", 4, SHC_JSON_TRUE);
					break;
				case 'f':
					st = read_literal(r, "false", 5, SHC_JSON_FALSE);
					break;
				case 'n':
					st = read_literal(r, "null", 4, SHC_JSON_NULL);
					break;
				default:
					if (c == '-' || IS_DIGIT(c))
						st = read_number(r);
					else if (c >= 0x80 && shc_utf8_seq(r->s + r->i, r->n - r->i) == 0)
						st = syntax(r, "a byte that is not valid UTF-8");
					else
						st = syntax(r, "an invalid token");
					break;
			}
			if (st != SHC_OK)
				return st;
			want_value = false;
			first = false;
			continue;
		}
		/* after a value */
		if (top == 0)
		{
			if (r->i < r->n)
				return syntax(r, "more after the end of the top-level value");
			return SHC_OK;
		}
		if (r->i >= r->n)
			return syntax(r, "an unclosed object or array (the text ends)");
		c = r->s[r->i];
		if (c == ',')
		{
			r->i++;
			first = false;
			if (top == '{')
				goto key;
			want_value = true;
			continue;
		}
		if ((top == '[' && c == ']') || (top == '{' && c == '}'))
			goto close;
		return syntax(r, top == '[' ? "no comma or \"]\" after an array element"
					  : "no comma or \"}\" after an object member");

close:
		r->i++;
		r->stack.len--;
		if ((st = emit(r, top == '{' ? SHC_JSON_OBJECT_END : SHC_JSON_ARRAY_END,
					   NULL, 0)) != SHC_OK)
			return st;
		want_value = false;
		first = false;
		continue;

key:
		skip_ws(r);
		if (r->i < r->n && first && r->s[r->i] == '}')
		{
			top = '{';
			goto close;
		}
		if (r->i >= r->n || r->s[r->i] != '"')
			return syntax(r, r->i >= r->n ? "an unclosed object (the text ends)"
						  : "no string where an object key is expected");
		if ((st = read_string(r, SHC_JSON_KEY)) != SHC_OK)
			return st;
		skip_ws(r);
		if (r->i >= r->n || r->s[r->i] != ':')
			return syntax(r, "no colon after an object key");
		r->i++;
		want_value = true;
		first = false;
	}
}

shc_status
shc_json_read(const char *s, size_t n, const shc_json_limits *lim,
			  shc_json_handler handler, void *ctx, const shc_allocator *a,
			  size_t *consumed, shc_error *err)
{
	static const shc_json_limits none = {0, 0, 0, 0, 0};
	reader		r;
	shc_status	st;

	memset(&r, 0, sizeof(r));
	r.s = (const unsigned char *) s;
	r.n = n;
	r.lim = lim ? lim : &none;
	r.handler = handler;
	r.ctx = ctx;
	r.err = err;
	shc_buf_init(&r.scratch, a, 0);
	shc_buf_init(&r.stack, a, 0);
	st = read_text(&r);
	if (consumed)
		*consumed = r.i;
	shc_buf_free(&r.scratch);
	shc_buf_free(&r.stack);
	return st;
}
