/*
 * shc_shlink.c
 *		shlink:/ encode and decode with the payload rules of SMART Health
 *		Links (SHC-NOTES 15 and 11).
 *
 * Map: the rule checks (flag, label, url, viewer, the whole payload), the
 * encoder (compact JSON, base64url, prefix) and the decoder (prefix,
 * base64url, shc_json_members_read, member types, then the same checks).
 */
#include "shc_shlink.h"
#include "shc_b64url.h"
#include "shc_jsonr.h"
#include "shc_json.h"

#include <stdio.h>
#include <string.h>

shc_status
shc_shlink_flag_check(const char *flag, size_t n, shc_error *err)
{
	static const char order[] = "LPU";
	size_t		i;
	int			last = -1;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The \"flag\" member is empty; leave it out when there are no flags.");
	for (i = 0; i < n; i++)
	{
		const char *p = flag[i] ? strchr(order, flag[i]) : NULL;

		if (p == NULL)
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "Flags are the letters L, P and U; \"flag\" holds another character.");
		if ((int) (p - order) <= last)
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "Flags must appear once each, in alphabetical order.");
		last = (int) (p - order);
	}
	/* SHL: U (direct file fetch) cannot be protected by a passcode */
	if (memchr(flag, 'U', n) && memchr(flag, 'P', n))
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "Flag U (direct file access) cannot be combined with flag P (passcode).");
	return SHC_OK;
}

shc_status
shc_shlink_label_check(const char *label, size_t n, shc_error *err)
{
	size_t		i = 0,
				chars = 0;

	while (i < n)
	{
		/* the reader's UTF-8 check (RFC 3629), and no NUL */
		size_t		len = label[i] == '\0' ? 0 :
			shc_utf8_seq((const unsigned char *) label + i, n - i);

		if (len == 0)
			return shc_error_set(err, SHC_ERR_SHLINK, "The label is not valid UTF-8.");
		i += len;
		chars++;
	}
	if (chars > SHC_SHL_LABEL_MAX)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The label has %zu characters; the limit is %d.",
							 chars, SHC_SHL_LABEL_MAX);
	return SHC_OK;
}

static bool
printable_ascii(const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] > 0x7E)
			return false;
	return true;
}

shc_status
shc_shlink_check(const shc_shlink *link, shc_error *err)
{
	size_t		n = strnlen(link->url, sizeof(link->url));
	shc_status	st;

	if (n == 0 || n > SHC_SHL_URL_MAX)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The manifest URL must have 1 to %d characters.",
							 SHC_SHL_URL_MAX);
	if (!printable_ascii(link->url, n) ||
		(strncmp(link->url, "https://", 8) != 0 &&
		 strncmp(link->url, "http://", 7) != 0))
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The manifest URL must be an http or https URL of printable ASCII characters.");
	if (link->has_exp && (link->exp < 0 || link->exp > SHC_SHL_EXP_MAX))
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "\"exp\" must be a non-negative integer number of seconds.");
	if (link->flag[0] &&
		(st = shc_shlink_flag_check(link->flag, strnlen(link->flag, sizeof(link->flag)), err)) != SHC_OK)
		return st;
	if (link->has_label &&
		(st = shc_shlink_label_check(link->label, strnlen(link->label, sizeof(link->label)), err)) != SHC_OK)
		return st;
	if (link->v != 0 && link->v != 1)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "Only version 1 of the SMART Health Link payload is supported.");
	if (link->viewer_len > 0)
	{
		if (link->viewer_len > SHC_SHL_VIEWER_MAX ||
			!printable_ascii(link->viewer, link->viewer_len) ||
			link->viewer[link->viewer_len - 1] != '#' ||
			memchr(link->viewer, '#', link->viewer_len - 1) != NULL)
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "A viewer prefix is a URL of at most %d printable ASCII characters whose only '#' is its last character.",
								 SHC_SHL_VIEWER_MAX);
	}
	return SHC_OK;
}

shc_status
shc_shlink_encode(const shc_shlink *link, shc_buf *out, shc_error *err)
{
	shc_buf		json;
	char		key[SHC_SHL_KEY_B64_LEN + 1];
	char		num[32];
	shc_status	st;

	if ((st = shc_shlink_check(link, err)) != SHC_OK)
		return st;
	shc_buf_init(&json, out->a, 0);
	shc_buf_append_str(&json, "{\"url\":");
	shc_json_string(&json, link->url, strlen(link->url));
	shc_buf_append_str(&json, ",\"key\":\"");
	shc_b64url_encode_to(link->key, SHC_SHL_KEY_LEN, key);
	shc_buf_append(&json, key, SHC_SHL_KEY_B64_LEN);
	shc_buf_append_char(&json, '"');
	if (link->has_exp)
	{
		snprintf(num, sizeof(num), ",\"exp\":%lld", (long long) link->exp);
		shc_buf_append_str(&json, num);
	}
	if (link->flag[0])
	{
		shc_buf_append_str(&json, ",\"flag\":");
		shc_json_string(&json, link->flag, strlen(link->flag));
	}
	if (link->has_label)
	{
		shc_buf_append_str(&json, ",\"label\":");
		shc_json_string(&json, link->label, strlen(link->label));
	}
	if (link->v)
	{
		snprintf(num, sizeof(num), ",\"v\":%d", link->v);
		shc_buf_append_str(&json, num);
	}
	shc_buf_append_char(&json, '}');
	if ((st = shc_buf_status(&json, err)) == SHC_OK)
	{
		if (link->viewer_len)
			shc_buf_append(out, link->viewer, link->viewer_len);
		shc_buf_append_str(out, SHC_SHLINK_PREFIX);
		st = shc_b64url_encode((const uint8_t *) json.data, json.len, out, err);
		if (st == SHC_OK)
			st = shc_buf_status(out, err);
	}
	shc_memzero(key, sizeof(key));
	if (json.data)
		shc_memzero(json.data, json.len);
	shc_buf_free(&json);
	return st;
}

/* A JSON number token that is a plain non-negative integer. */
static bool
plain_integer(const char *s, size_t n, int64_t *v)
{
	size_t		i;
	int64_t		x = 0;

	if (n == 0 || n > 16 || (s[0] == '0' && n > 1))
		return false;
	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/*
 * The payload of a link s[0..n): after "shlink:/", itself at the start or
 * after a viewer URL ending in '#' (link->viewer).  *p, *plen: the payload.
 */
static shc_status
shlink_payload(const char *s, size_t n, shc_shlink *link, const char **p,
			   size_t *plen, shc_error *err)
{
	if (n >= SHC_SHLINK_PREFIX_LEN && memcmp(s, SHC_SHLINK_PREFIX, SHC_SHLINK_PREFIX_LEN) == 0)
		*p = s;
	else
	{
		/* a viewer prefix ends in '#', the first '#' of the text */
		const char *h = memchr(s, '#', n);

		if (h == NULL || (size_t) (s + n - (h + 1)) < SHC_SHLINK_PREFIX_LEN ||
			memcmp(h + 1, SHC_SHLINK_PREFIX, SHC_SHLINK_PREFIX_LEN) != 0)
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "A SMART Health Link starts with \"shlink:/\", or with a viewer URL ending in '#' followed by \"shlink:/\".");
		link->viewer = s;
		link->viewer_len = (size_t) (h + 1 - s);
		*p = h + 1;
	}
	*p += SHC_SHLINK_PREFIX_LEN;
	*plen = (size_t) (s + n - *p);
	if (*plen == 0)
		return shc_error_set(err, SHC_ERR_SHLINK, "The link has no payload after \"shlink:/\".");
	return SHC_OK;
}

/* the required "url" and "key" of a payload object into link */
static shc_status
shlink_url_key(const shc_json_members *obj, shc_shlink *link, shc_error *err)
{
	const shc_json_member *m;
	size_t		klen;

	m = shc_json_members_get(obj, "url");
	if (m == NULL || m->type != SHC_JSON_STRING)
		return shc_error_set(err, SHC_ERR_SHLINK, "The payload has no \"url\" string.");
	if (m->value_len == 0 || m->value_len > SHC_SHL_URL_MAX)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The manifest URL must have 1 to %d characters.",
							 SHC_SHL_URL_MAX);
	memcpy(link->url, m->value, m->value_len + 1);

	m = shc_json_members_get(obj, "key");
	if (m == NULL || m->type != SHC_JSON_STRING)
		return shc_error_set(err, SHC_ERR_SHLINK, "The payload has no \"key\" string.");
	if (m->value_len != SHC_SHL_KEY_B64_LEN ||
		shc_b64url_decode_to(m->value, m->value_len, link->key, &klen, NULL) != SHC_OK ||
		klen != SHC_SHL_KEY_LEN)
		return shc_error_set(err, SHC_ERR_SHLINK,
							 "The key must be %d base64url characters (%d bytes).",
							 SHC_SHL_KEY_B64_LEN, SHC_SHL_KEY_LEN);
	return SHC_OK;
}

/* the optional "exp", "flag", "label" and "v" of a payload object */
static shc_status
shlink_optional(const shc_json_members *obj, shc_shlink *link, shc_error *err)
{
	const shc_json_member *m;

	m = shc_json_members_get(obj, "exp");
	if (m != NULL)
	{
		if (m->type != SHC_JSON_NUMBER || !plain_integer(m->value, m->value_len, &link->exp))
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "\"exp\" must be a non-negative integer number of seconds.");
		link->has_exp = true;
	}
	m = shc_json_members_get(obj, "flag");
	if (m != NULL)
	{
		if (m->type != SHC_JSON_STRING)
			return shc_error_set(err, SHC_ERR_SHLINK, "\"flag\" must be a string.");
		if (shc_shlink_flag_check(m->value, m->value_len, err) != SHC_OK)
			return SHC_ERR_SHLINK;
		memcpy(link->flag, m->value, m->value_len + 1);
	}
	m = shc_json_members_get(obj, "label");
	if (m != NULL)
	{
		if (m->type != SHC_JSON_STRING)
			return shc_error_set(err, SHC_ERR_SHLINK, "\"label\" must be a string.");
		if (m->value_len >= sizeof(link->label) ||
			strlen(m->value) != m->value_len)
			return shc_error_set(err, SHC_ERR_SHLINK, "The label has more than %d characters.",
								 SHC_SHL_LABEL_MAX);
		if (shc_shlink_label_check(m->value, m->value_len, err) != SHC_OK)
			return SHC_ERR_SHLINK;
		memcpy(link->label, m->value, m->value_len + 1);
		link->has_label = true;
	}
	m = shc_json_members_get(obj, "v");
	if (m != NULL)
	{
		int64_t		v;

		if (m->type != SHC_JSON_NUMBER || !plain_integer(m->value, m->value_len, &v) || v != 1)
			return shc_error_set(err, SHC_ERR_SHLINK,
								 "Only version 1 of the SMART Health Link payload is supported.");
		link->v = 1;
	}
	return SHC_OK;
}

shc_status
shc_shlink_decode(const char *s, size_t n, size_t max_len,
				  const shc_allocator *a, shc_shlink *link, shc_error *err)
{
	const char *p = NULL;
	size_t		plen = 0;
	shc_buf		json;
	shc_json_members obj;
	shc_status	st;

	memset(link, 0, sizeof(*link));
	memset(&obj, 0, sizeof(obj));
	if (max_len == 0)
		max_len = SHC_SHL_MAX_LEN;
	if (n > max_len)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The link has %zu characters, above the limit of %zu.",
							 n, max_len);
	if ((st = shlink_payload(s, n, link, &p, &plen, err)) != SHC_OK)
		return st;

	shc_buf_init(&json, a, 0);
	if (shc_b64url_decode(p, plen, &json, err) != SHC_OK)
	{
		st = shc_error_set(err, SHC_ERR_SHLINK, "The payload is not base64url.");
		goto done;
	}
	if ((st = shc_buf_status(&json, err)) != SHC_OK)
		goto done;
	if ((st = shc_json_members_read(json.data, json.len, a, &obj, err)) != SHC_OK)
	{
		char		why[SHC_ERROR_DETAIL_LEN];

		snprintf(why, sizeof(why), "%s", err ? err->detail : "");
		st = shc_error_set(err, st == SHC_ERR_NOMEM ? st : SHC_ERR_SHLINK,
						   "The payload is not a JSON object. %s", why);
		goto done;
	}
	if ((st = shlink_url_key(&obj, link, err)) == SHC_OK &&
		(st = shlink_optional(&obj, link, err)) == SHC_OK)
		st = shc_shlink_check(link, err);
done:
	if (st != SHC_OK)
		shc_memzero(link->key, sizeof(link->key));
	shc_json_members_free(&obj);
	if (json.data)
		shc_memzero(json.data, json.len);
	shc_buf_free(&json);
	return st;
}

bool
shc_shlink_expired(const shc_shlink *link, int64_t now)
{
	return link->has_exp && link->exp <= now;
}
