/*
 * shc_json.c
 *		Compact JSON writer (SHC-NOTES section 4.1, RFC 8259).
 */
#include "shc_json.h"
#include "shc_jsonr.h"

#include <string.h>

static const char hexdig[] = "0123456789abcdef";

/*
 * Write s[0..n) quoted, followed by tail (0 for none), straight into the
 * buffer when no byte needs an escape (the common case: one reserve, one
 * copy).  Returns false, having written nothing, when one does.
 */
static bool
write_plain(shc_buf *out, const char *s, size_t n, char tail)
{
	char	   *d;

	if (shc_json_plain_len((const unsigned char *) s, n, false) != n)
		return false;
	if (!shc_buf_reserve(out, n + 2 + (tail != 0)))
		return true;			/* the buffer is failed: nothing to write */
	d = out->data + out->len;
	d[0] = '"';
	memcpy(d + 1, s, n);
	d[n + 1] = '"';
	out->len += n + 2;
	if (tail)
		out->data[out->len++] = tail;
	out->data[out->len] = '\0';
	return true;
}

void
shc_json_string(shc_buf *out, const char *s, size_t n)
{
	size_t		i;
	size_t		run = 0;		/* start of the pending run of plain bytes */

	if (write_plain(out, s, n, 0))
		return;
	if (!shc_buf_reserve(out, n + 2))
		return;
	shc_buf_append_char(out, '"');
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[6];
		size_t		elen = 0;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		switch (c)
		{
			case '"':
				esc[0] = '\\', esc[1] = '"', elen = 2;
				break;
			case '\\':
				esc[0] = '\\', esc[1] = '\\', elen = 2;
				break;
			case '\b':
				esc[0] = '\\', esc[1] = 'b', elen = 2;
				break;
			case '\f':
				esc[0] = '\\', esc[1] = 'f', elen = 2;
				break;
			case '\n':
				esc[0] = '\\', esc[1] = 'n', elen = 2;
				break;
			case '\r':
				esc[0] = '\\', esc[1] = 'r', elen = 2;
				break;
			case '\t':
				esc[0] = '\\', esc[1] = 't', elen = 2;
				break;
			default:
				esc[0] = '\\', esc[1] = 'u', esc[2] = '0', esc[3] = '0';
				esc[4] = hexdig[c >> 4];
				esc[5] = hexdig[c & 15];
				elen = 6;
				break;
		}
		shc_buf_append(out, s + run, i - run);
		shc_buf_append(out, esc, elen);
		run = i + 1;
	}
	shc_buf_append(out, s + run, n - run);
	shc_buf_append_char(out, '"');
}

void
shc_json_key(shc_buf *out, const char *s, size_t n)
{
	if (write_plain(out, s, n, ':'))
		return;
	shc_json_string(out, s, n);
	shc_buf_append_char(out, ':');
}

shc_status
shc_json_number(shc_buf *out, const char *s, size_t n, shc_error *err)
{
	/* the reader's grammar (RFC 8259 section 6), not a second copy */
	if (!shc_json_number_ok(s, n))
		goto bad;
	shc_buf_append(out, s, n);
	return SHC_OK;

bad:
	return shc_error_set(err, SHC_ERR_JSON,
						 "\"%.*s\" is not a JSON number.", (int) (n > 40 ? 40 : n), s);
}
