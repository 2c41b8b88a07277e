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

/*
 * The number grammar of shc (RFC 8259 section 6), for the reader and for
 * shc_json_number_ok:  -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 * Scans the number at s[*pi..n).  Returns NULL when it is well formed, with
 * *pi past it and *expo its exponent's magnitude (capped); otherwise what is
 * wrong, with *pi at the offending byte.
 */
static const char *
scan_number(const unsigned char *s, size_t n, size_t *pi, long *expo)
{
	size_t		i = *pi;
	const char *bad = NULL;

	*expo = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && IS_DIGIT(s[i]))
		while (i < n && IS_DIGIT(s[i]))
			i++;
	else
	{
		bad = "a number without digits";
		goto out;
	}
	if (i < n && s[i] == '.')
	{
		i++;
		if (i >= n || !IS_DIGIT(s[i]))
		{
			bad = "a number without digits after its decimal point";
			goto out;
		}
		while (i < n && IS_DIGIT(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !IS_DIGIT(s[i]))
		{
			bad = "a number without digits in its exponent";
			goto out;
		}
		while (i < n && IS_DIGIT(s[i]))
		{
			if (*expo <= 1000000000L)
				*expo = *expo * 10 + (s[i] - '0');
			i++;
		}
	}
out:
	*pi = i;
	return bad;
}

bool
shc_json_number_ok(const char *s, size_t n)
{
	size_t		i = 0;
	long		expo;

	return scan_number((const unsigned char *) s, n, &i, &expo) == NULL && i == n;
}

static shc_status
read_number(reader *r)
{
	size_t		start = r->i;
	long		expo;
	const char *bad;
	shc_status	st;

	if ((bad = scan_number(r->s, r->n, &r->i, &expo)) != NULL)
		return syntax(r, bad);
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

/* ---------------------------------------------------------------------
 * The object-members consumer (shc_json_members_read)
 * ---------------------------------------------------------------------
 */

/* copy s[0..n) and a NUL into obj->strings; *out points at the copy */
static shc_status
members_keep(shc_json_members *obj, const char *s, size_t n, const char **out)
{
	/* cannot happen: decoded text is never longer than its JSON form */
	if (obj->cap - obj->used < n + 1)
		return shc_error_set(obj->err, SHC_ERR_JSON,
							 "The JSON object's members do not fit its text.");
	memcpy(obj->strings + obj->used, s, n);
	obj->strings[obj->used + n] = '\0';
	*out = obj->strings + obj->used;
	obj->used += n + 1;
	return SHC_OK;
}

static shc_status
members_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	shc_json_members *obj = ctx;
	shc_json_member *m;
	int			k;

	if (depth == 0)
	{
		/* the text itself: only an object's start and end */
		if (ev == SHC_JSON_OBJECT_START || ev == SHC_JSON_OBJECT_END)
			return SHC_OK;
		return shc_error_set(obj->err, SHC_ERR_JSON, "The JSON text is not an object.");
	}
	if (depth > 1)
		return SHC_OK;			/* inside a member's value */
	if (ev == SHC_JSON_KEY)
	{
		if (obj->count >= SHC_JSON_MEMBERS_MAX)
			return shc_error_set(obj->err, SHC_ERR_JSON,
								 "The JSON object has more than %d members.",
								 SHC_JSON_MEMBERS_MAX);
		for (k = 0; k < obj->count; k++)
			if (obj->m[k].name_len == n && memcmp(obj->m[k].name, s, n) == 0)
				return shc_error_set(obj->err, SHC_ERR_JSON,
									 "The JSON object has the member \"%.40s\" twice.",
									 obj->m[k].name);
		m = &obj->m[obj->count];
		memset(m, 0, sizeof(*m));
		m->name_len = n;
		return members_keep(obj, s, n, &m->name);
	}
	if (ev == SHC_JSON_OBJECT_END || ev == SHC_JSON_ARRAY_END)
		return SHC_OK;			/* the end of a nested member value */
	/* the value of the member whose key came last */
	m = &obj->m[obj->count++];
	m->type = ev;
	if (ev == SHC_JSON_STRING || ev == SHC_JSON_NUMBER)
	{
		m->value_len = n;
		return members_keep(obj, s, n, &m->value);
	}
	return SHC_OK;
}

shc_status
shc_json_members_read(const char *s, size_t n, const shc_allocator *a,
					  shc_json_members *obj, shc_error *err)
{
	shc_json_limits lim = shc_json_card_limits;

	memset(obj, 0, sizeof(*obj));
	obj->a = a ? a : &shc_default_allocator;
	obj->err = err;
	/* every name and value, with its NUL, fits in the text that held it */
	obj->cap = n + 1;
	obj->strings = obj->a->alloc(obj->cap, obj->a->ctx);
	if (obj->strings == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	lim.max_depth = SHC_JSON_MEMBERS_MAX_DEPTH;
	lim.max_string_len = SHC_JSON_MEMBERS_MAX_STRING;
	return shc_json_read(s, n, &lim, members_event, obj, obj->a, NULL, err);
}

void
shc_json_members_free(shc_json_members *obj)
{
	if (obj->strings)
	{
		/* a link payload's key passed through here */
		shc_memzero(obj->strings, obj->cap);
		obj->a->free(obj->strings, obj->a->ctx);
	}
	obj->strings = NULL;
	obj->count = 0;
}

const shc_json_member *
shc_json_members_get(const shc_json_members *obj, const char *name)
{
	size_t		len = strlen(name);
	int			k;

	for (k = 0; k < obj->count; k++)
		if (obj->m[k].name_len == len && memcmp(obj->m[k].name, name, len) == 0)
			return &obj->m[k];
	return NULL;
}
