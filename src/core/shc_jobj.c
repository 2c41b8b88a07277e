/*
 * shc_jobj.c
 *		Strict reader of one small JSON object (RFC 8259) for JOSE headers
 *		(RFC 7516 section 4) and SMART Health Link payloads (SHC-NOTES 15).
 *
 * Map: a cursor over the input (skip white space, expect a byte), a string
 * reader that decodes into the result's buffer and checks UTF-8, a number
 * checker (RFC 8259 section 6 grammar), a bounded-depth skipper for nested
 * values, and shc_jobj_parse that ties them together.
 */
#include "shc_jobj.h"

#include <string.h>

typedef struct cur
{
	const char *s;
	size_t		n;
	size_t		i;
	char	   *out;			/* next free byte of the strings buffer */
	shc_error  *err;
} cur;

static void
skip_ws(cur *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
						   c->s[c->i] == '\n' || c->s[c->i] == '\r'))
		c->i++;
}

static shc_status
fail(cur *c, const char *what)
{
	return shc_error_set(c->err, SHC_ERR_JSON,
						 "The JSON object has %s at offset %zu.", what, c->i);
}

static bool
read_u4(cur *c, uint32_t *u)
{
	int			k;

	if (c->n - c->i < 4)
		return false;
	*u = 0;
	for (k = 0; k < 4; k++)
	{
		int			h = shc_hex_value((unsigned char) c->s[c->i + k]);

		if (h < 0)
			return false;
		*u = (*u << 4) | (uint32_t) h;
	}
	c->i += 4;
	return true;
}

static void
put_utf8(char **o, uint32_t u)
{
	char	   *p = *o;

	if (u < 0x80)
		*p++ = (char) u;
	else if (u < 0x800)
	{
		*p++ = (char) (0xC0 | (u >> 6));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	else if (u < 0x10000)
	{
		*p++ = (char) (0xE0 | (u >> 12));
		*p++ = (char) (0x80 | ((u >> 6) & 0x3F));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	else
	{
		*p++ = (char) (0xF0 | (u >> 18));
		*p++ = (char) (0x80 | ((u >> 12) & 0x3F));
		*p++ = (char) (0x80 | ((u >> 6) & 0x3F));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	*o = p;
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t	u;
	size_t		len,
				k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, u = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, u = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, u = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++)
	{
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		u = (u << 6) | (s[k] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && u < 0x800) || (len == 4 && u < 0x10000) ||
		(u >= 0xD800 && u <= 0xDFFF) || u > 0x10FFFF)
		return 0;
	return len;
}

/*
 * Read a string at c->i (which is at '"').  When decode is set, the
 * decoded bytes and a NUL go to c->out, described by start and len.
 */
static shc_status
read_string(cur *c, bool decode, const char **start, size_t *len)
{
	char	   *o = c->out;

	c->i++;						/* the opening quote */
	for (;;)
	{
		unsigned char ch;

		if (c->i >= c->n)
			return fail(c, "an unterminated string");
		ch = (unsigned char) c->s[c->i];
		if (ch == '"')
		{
			c->i++;
			break;
		}
		if (ch < 0x20)
			return fail(c, "a control character in a string");
		if (ch == '\\')
		{
			uint32_t	u;

			if (c->i + 1 >= c->n)
				return fail(c, "an unterminated string");
			c->i++;
			switch (c->s[c->i++])
			{
				case '"':
					u = '"';
					break;
				case '\\':
					u = '\\';
					break;
				case '/':
					u = '/';
					break;
				case 'b':
					u = '\b';
					break;
				case 'f':
					u = '\f';
					break;
				case 'n':
					u = '\n';
					break;
				case 'r':
					u = '\r';
					break;
				case 't':
					u = '\t';
					break;
				case 'u':
					if (!read_u4(c, &u))
						return fail(c, "an invalid \\u escape");
					if (u >= 0xDC00 && u <= 0xDFFF)
						return fail(c, "a lone low surrogate");
					if (u >= 0xD800 && u <= 0xDBFF)
					{
						uint32_t	lo;

						if (c->n - c->i < 2 || c->s[c->i] != '\\' ||
							c->s[c->i + 1] != 'u')
							return fail(c, "a lone high surrogate");
						c->i += 2;
						if (!read_u4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
							return fail(c, "a lone high surrogate");
						u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					}
					if (u == 0)
						return fail(c, "an escaped NUL character");
					break;
				default:
					c->i--;
					return fail(c, "an invalid escape");
			}
			if (decode)
				put_utf8(&o, u);
			continue;
		}
		else
		{
			size_t		k = utf8_len((const unsigned char *) c->s + c->i,
									 c->n - c->i);

			if (k == 0)
				return fail(c, "invalid UTF-8");
			if (decode)
			{
				memcpy(o, c->s + c->i, k);
				o += k;
			}
			c->i += k;
		}
	}
	if (decode)
	{
		*start = c->out;
		*len = (size_t) (o - c->out);
		*o++ = '\0';
		c->out = o;
	}
	return SHC_OK;
}

/* RFC 8259 section 6: minus? int frac? exp? */
static shc_status
read_number(cur *c)
{
	const char *s = c->s;
	size_t		n = c->n;

	if (c->i < n && s[c->i] == '-')
		c->i++;
	if (c->i >= n || s[c->i] < '0' || s[c->i] > '9')
		return fail(c, "an invalid number");
	if (s[c->i] == '0')
		c->i++;
	else
		while (c->i < n && s[c->i] >= '0' && s[c->i] <= '9')
			c->i++;
	if (c->i < n && s[c->i] == '.')
	{
		c->i++;
		if (c->i >= n || s[c->i] < '0' || s[c->i] > '9')
			return fail(c, "an invalid number");
		while (c->i < n && s[c->i] >= '0' && s[c->i] <= '9')
			c->i++;
	}
	if (c->i < n && (s[c->i] == 'e' || s[c->i] == 'E'))
	{
		c->i++;
		if (c->i < n && (s[c->i] == '+' || s[c->i] == '-'))
			c->i++;
		if (c->i >= n || s[c->i] < '0' || s[c->i] > '9')
			return fail(c, "an invalid number");
		while (c->i < n && s[c->i] >= '0' && s[c->i] <= '9')
			c->i++;
	}
	return SHC_OK;
}

static bool
literal(cur *c, const char *w)
{
	size_t		k = strlen(w);

	if (c->n - c->i < k || memcmp(c->s + c->i, w, k) != 0)
		return false;
	c->i += k;
	return true;
}

/* Check one value at c->i (after white space) without decoding it. */
static shc_status
skip_value(cur *c, int depth)
{
	shc_status	st;
	char		close;

	if (c->i >= c->n)
		return fail(c, "a missing value");
	switch (c->s[c->i])
	{
		case '"':
			return read_string(c, false, NULL, NULL);
		case 't':
			return literal(c, "true") ? SHC_OK : fail(c, "an invalid literal");
		case 'f':
			return literal(c, "false") ? SHC_OK : fail(c, "an invalid literal");
		case 'n':
			return literal(c, "null") ? SHC_OK : fail(c, "an invalid literal");
		case '{':
		case '[':
			break;
		default:
			return read_number(c);
	}
	if (depth >= SHC_JOBJ_MAX_DEPTH)
		return fail(c, "nesting that is too deep");
	close = c->s[c->i] == '{' ? '}' : ']';
	c->i++;
	skip_ws(c);
	if (c->i < c->n && c->s[c->i] == close)
	{
		c->i++;
		return SHC_OK;
	}
	for (;;)
	{
		if (close == '}')
		{
			if (c->i >= c->n || c->s[c->i] != '"')
				return fail(c, "a missing member name");
			if ((st = read_string(c, false, NULL, NULL)) != SHC_OK)
				return st;
			skip_ws(c);
			if (c->i >= c->n || c->s[c->i] != ':')
				return fail(c, "a missing colon");
			c->i++;
			skip_ws(c);
		}
		if ((st = skip_value(c, depth + 1)) != SHC_OK)
			return st;
		skip_ws(c);
		if (c->i < c->n && c->s[c->i] == ',')
		{
			c->i++;
			skip_ws(c);
			continue;
		}
		if (c->i < c->n && c->s[c->i] == close)
		{
			c->i++;
			return SHC_OK;
		}
		return fail(c, "a missing comma or closing bracket");
	}
}

shc_status
shc_jobj_parse(const char *s, size_t n, const shc_allocator *a,
			   shc_jobj *obj, shc_error *err)
{
	cur			c;
	shc_status	st;
	size_t		cap;
	int			k;

	memset(obj, 0, sizeof(*obj));
	obj->a = a ? a : &shc_default_allocator;
	c.s = s;
	c.n = n;
	c.i = 0;
	c.err = err;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return fail(&c, "a byte order mark");
	/* decoded strings never grow; one NUL per name and per value */
	cap = n + 2 * SHC_JOBJ_MAX_MEMBERS + 1;
	obj->strings = obj->a->alloc(cap, obj->a->ctx);
	if (obj->strings == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	c.out = obj->strings;

	skip_ws(&c);
	if (c.i >= n || s[c.i] != '{')
		return fail(&c, "no opening brace");
	c.i++;
	skip_ws(&c);
	if (c.i < n && s[c.i] == '}')
		c.i++;
	else
		for (;;)
		{
			shc_jmember *m;
			size_t		vstart;

			if (obj->count >= SHC_JOBJ_MAX_MEMBERS)
				return shc_error_set(err, SHC_ERR_JSON,
									 "The JSON object has more than %d members.",
									 SHC_JOBJ_MAX_MEMBERS);
			m = &obj->m[obj->count];
			if (c.i >= n || s[c.i] != '"')
				return fail(&c, "a missing member name");
			if ((st = read_string(&c, true, &m->name, &m->name_len)) != SHC_OK)
				return st;
			if (strlen(m->name) != m->name_len)
				return fail(&c, "a NUL character in a member name");
			for (k = 0; k < obj->count; k++)
				if (obj->m[k].name_len == m->name_len &&
					memcmp(obj->m[k].name, m->name, m->name_len) == 0)
					return shc_error_set(err, SHC_ERR_JSON,
										 "The JSON object has the member \"%.40s\" twice.",
										 m->name);
			skip_ws(&c);
			if (c.i >= n || s[c.i] != ':')
				return fail(&c, "a missing colon");
			c.i++;
			skip_ws(&c);
			if (c.i >= n)
				return fail(&c, "a missing value");
			vstart = c.i;
			switch (s[c.i])
			{
				case '"':
					m->type = SHC_J_STRING;
					st = read_string(&c, true, &m->value, &m->value_len);
					break;
				case '{':
				case '[':
					m->type = SHC_J_NESTED;
					st = skip_value(&c, 1);
					break;
				case 't':
					m->type = SHC_J_TRUE;
					st = skip_value(&c, 1);
					break;
				case 'f':
					m->type = SHC_J_FALSE;
					st = skip_value(&c, 1);
					break;
				case 'n':
					m->type = SHC_J_NULL;
					st = skip_value(&c, 1);
					break;
				default:
					m->type = SHC_J_NUMBER;
					st = read_number(&c);
					break;
			}
			if (st != SHC_OK)
				return st;
			if (m->type != SHC_J_STRING)
			{
				m->value = s + vstart;
				m->value_len = c.i - vstart;
			}
			obj->count++;
			skip_ws(&c);
			if (c.i < n && s[c.i] == ',')
			{
				c.i++;
				skip_ws(&c);
				continue;
			}
			if (c.i < n && s[c.i] == '}')
			{
				c.i++;
				break;
			}
			return fail(&c, "a missing comma or closing brace");
		}
	skip_ws(&c);
	if (c.i != n)
		return fail(&c, "text after the object");
	return SHC_OK;
}

void
shc_jobj_free(shc_jobj *obj)
{
	if (obj->strings)
		obj->a->free(obj->strings, obj->a->ctx);
	obj->strings = NULL;
	obj->count = 0;
}

const shc_jmember *
shc_jobj_get(const shc_jobj *obj, const char *name)
{
	int			k;
	size_t		len = strlen(name);

	for (k = 0; k < obj->count; k++)
		if (obj->m[k].name_len == len && memcmp(obj->m[k].name, name, len) == 0)
			return &obj->m[k];
	return NULL;
}
