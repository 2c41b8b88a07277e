/*
 * test_shl.c: SMART Health Links in the core: the JSON object reader, JWE
 * (known answers made with Node's crypto from the same key, IV and header,
 * and every rejection path), shlink:/ encode/decode (a payload encoded by
 * Node's Buffer base64url, and every rule), and scrypt passcode hashes.
 */
#include "unit.h"
#include "shc_b64url.h"
#include "shc_jsonr.h"
#include "shc_jwe.h"
#include "shc_passcode.h"
#include "shc_qrimg.h"
#include "shc_shlink.h"

/* key = bytes 0..31, IV = a0..ab (Node: createCipheriv aes-256-gcm) */
#define JWE_PLAIN \
	"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9" \
	"..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ"
/* the same with zip DEF over {"resourceType":"Patient"} */
#define JWE_ZIP \
	"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiYXBwbGljYXRpb24vZmhp" \
	"citqc29uIiwiemlwIjoiREVGIn0..oKGio6Slpqeoqaqr.TU5WZ2gFLZIoK4p6KzKVbCKm" \
	"ETxb-49HzaQjhg.6wJurcIRKNxsE5QeE_fBoQ"

/* Node: "shlink:/" + Buffer.from(JSON.stringify(payload)).toString("base64url") */
#define SHLINK_SPEC \
	"shlink:/eyJ1cmwiOiJodHRwczovL2Voci5leGFtcGxlLm9yZy9xci9ZOXh3a1VkdG1OOXd3" \
	"b0pvTjNmZkpJaFgyVUd2Q0wxSm5sUFZOTDNrRFdNL20iLCJrZXkiOiJyeFRnWWxPYUtKUEZ0" \
	"Y0VkMHFjY2VOOHdFVTRwOTRTcUF3SVdRZTZ1WDdRIiwiZXhwIjoxNzAwMDAwMDAwLCJmbGFn" \
	"IjoiTFAiLCJsYWJlbCI6IkJhY2sgdG8gc2Nob29sIGltbXVuaXphdGlvbnMiLCJ2IjoxfQ"
#define SHLINK_VIEWER \
	"https://viewer.example/#shlink:/eyJ1cmwiOiJodHRwczovL3guZXhhbXBsZS9tIiwi" \
	"a2V5IjoicnhUZ1lsT2FLSlBGdGNFZDBxY2NlTjh3RVU0cDk0U3FBd0lXUWU2dVg3USIsImxh" \
	"YmVsIjoiQ2Fmw6kg4pyTIn0"
#define KEY_B64 "rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q"

static uint8_t key0[32];
static const uint8_t iv0[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
0xa7, 0xa8, 0xa9, 0xaa, 0xab};

static shc_status
decrypt(const char *jwe, const uint8_t *key, size_t keylen, size_t max_out,
		shc_buf *out, shc_jwe_info *info, shc_error *e)
{
	shc_buf_init(out, NULL, 0);
	memset(e, 0, sizeof(*e));
	return shc_jwe_decrypt(jwe, strlen(jwe), 0, key, keylen, max_out, out,
						   info, e);
}

static void
jwe_rejects(const char *jwe, shc_status want, const char *needle,
			const char *what)
{
	shc_buf		out;
	shc_jwe_info info;
	shc_error	e = {0};
	shc_status	st = decrypt(jwe, key0, 32, 1 << 20, &out, &info, &e);

	CHECK(st == want && strstr(e.detail, needle) != NULL && out.len == 0,
		  "JWE rejects %s (%s)", what, e.detail);
	shc_buf_free(&out);
}

/* A JWE with the given header JSON, encrypted under key0 by hand. */
static char *
jwe_with_header(const char *hdr)
{
	shc_buf		b;
	shc_error	e = {0};
	char	   *good;
	const char *dot;

	/* encrypt with a normal header, then splice: the tag will not match,
	 * which is fine for header checks that come before decryption */
	shc_buf_init(&b, NULL, 0);
	shc_b64url_encode((const uint8_t *) hdr, strlen(hdr), &b, &e);
	good = strdup(JWE_PLAIN);
	dot = strchr(good, '.');
	shc_buf_append_str(&b, dot);
	free(good);
	return shc_buf_release(&b, NULL);
}

/* {"d":[[...1...]]} with levels containers in all, into buf */
static size_t
nested_object(char *buf, int levels)
{
	size_t		len = 0;
	int			k;

	len += (size_t) sprintf(buf, "{\"d\":");
	for (k = 1; k < levels; k++)
		buf[len++] = '[';
	buf[len++] = '1';
	for (k = 1; k < levels; k++)
		buf[len++] = ']';
	buf[len++] = '}';
	return len;
}

/* the object-members consumer of the JSON reader (shc_json_members_read) */
static void
test_json_members(void)
{
	shc_json_members o;
	shc_error	e = {0};
	const char *ok = " {\"a\" : \"x\\u00e9\\ud83d\\ude00\\n\", \"n\":-1.5e3, "
		"\"t\":true,\"f\":false,\"z\":null,\"o\":{\"k\":[1,2,{\"q\":\"\\\"\"}]},"
		"\"l\":[\"x\",{}],\"\\u0062\":\"\"} ";
	const char *bad[] = {
		"", "[]", "\"s\"", "1", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1}x",
		"{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "{\"a\":01}", "{\"a\":1.}",
		"{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\u0000\"}",
		"{\"a\":\"\x01\"}", "{\"a\":\"\xc3\x28\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xe0\x80\xaf\"}", "{\"a\":tru}", "\xEF\xBB\xBF{}", "{\"a\":\"\\x\"}",
		"{\"a\":1}{}", "{\"a\":[}", "{\"a\":1e}",
	};
	char		many[512],
				deep[64];
	size_t		i,
				len;
	shc_status	st;

	CHECK(shc_json_members_read(ok, strlen(ok), NULL, &o, &e) == SHC_OK && o.count == 8,
		  "members: a mixed object is read (%s)", e.detail);
	CHECK(shc_json_members_get(&o, "a") && shc_json_members_get(&o, "a")->type == SHC_JSON_STRING &&
		  strcmp(shc_json_members_get(&o, "a")->value, "x\xc3\xa9\xf0\x9f\x98\x80\n") == 0 &&
		  shc_json_members_get(&o, "a")->value_len == 8,
		  "members: escapes and surrogate pairs are decoded to UTF-8");
	CHECK(shc_json_members_get(&o, "n")->type == SHC_JSON_NUMBER &&
		  shc_json_members_get(&o, "n")->value_len == 6 &&
		  strcmp(shc_json_members_get(&o, "n")->value, "-1.5e3") == 0,
		  "members: a number is given as its token");
	CHECK(shc_json_members_get(&o, "o")->type == SHC_JSON_OBJECT_START &&
		  shc_json_members_get(&o, "o")->value == NULL &&
		  shc_json_members_get(&o, "l")->type == SHC_JSON_ARRAY_START &&
		  shc_json_members_get(&o, "t")->type == SHC_JSON_TRUE &&
		  shc_json_members_get(&o, "f")->type == SHC_JSON_FALSE &&
		  shc_json_members_get(&o, "z")->type == SHC_JSON_NULL &&
		  shc_json_members_get(&o, "q") == NULL &&
		  shc_json_members_get(&o, "missing") == NULL,
		  "members: literals and nested values by type; nested members are not top-level");
	CHECK(shc_json_members_get(&o, "b") && shc_json_members_get(&o, "b")->value_len == 0 &&
		  o.m[7].name == shc_json_members_get(&o, "b")->name,
		  "members: an escaped name is decoded, members keep their order");
	shc_json_members_free(&o);
	CHECK(shc_json_members_read("{}", 2, NULL, &o, &e) == SHC_OK && o.count == 0,
		  "members: the empty object");
	shc_json_members_free(&o);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		st = shc_json_members_read(bad[i], strlen(bad[i]), NULL, &o, &e);
		CHECK(st == SHC_ERR_JSON, "members: bad input %zu is refused (%s)", i, e.detail);
		shc_json_members_free(&o);
	}
	CHECK(shc_json_members_read("{\"a\":1,\"a\":2}", 13, NULL, &o, &e) == SHC_ERR_JSON &&
		  strstr(e.detail, "\"a\" twice") != NULL,
		  "members: a duplicate member is named (%s)", e.detail);
	shc_json_members_free(&o);
	CHECK(shc_json_members_read("[1]", 3, NULL, &o, &e) == SHC_ERR_JSON &&
		  strstr(e.detail, "not an object") != NULL,
		  "members: an array is not an object (%s)", e.detail);
	shc_json_members_free(&o);

	/* SHC_JSON_MEMBERS_MAX members pass, one more does not */
	for (len = 0, i = 0; i <= SHC_JSON_MEMBERS_MAX; i++)
		len += (size_t) snprintf(many + len, sizeof(many) - len, "%s\"m%zu\":%zu",
								 i ? "," : "{", i, i);
	many[len++] = '}';
	st = shc_json_members_read(many, len, NULL, &o, &e);
	CHECK(st == SHC_ERR_JSON && strstr(e.detail, "more than 32 members"),
		  "members: %d members are refused (%s)", SHC_JSON_MEMBERS_MAX + 1, e.detail);
	shc_json_members_free(&o);
	len = (size_t) (strrchr(many, ',') - many);
	many[len++] = '}';
	CHECK(shc_json_members_read(many, len, NULL, &o, &e) == SHC_OK &&
		  o.count == SHC_JSON_MEMBERS_MAX &&
		  strcmp(shc_json_members_get(&o, "m31")->value, "31") == 0,
		  "members: %d members are read (%s)", SHC_JSON_MEMBERS_MAX, e.detail);
	shc_json_members_free(&o);

	/* nesting: the object and 15 levels inside it pass, 16 do not */
	len = nested_object(deep, 16);
	CHECK(shc_json_members_read(deep, len, NULL, &o, &e) == SHC_OK,
		  "members: 16 levels of nesting are read (%s)", e.detail);
	shc_json_members_free(&o);
	len = nested_object(deep, 17);
	st = shc_json_members_read(deep, len, NULL, &o, &e);
	CHECK(st == SHC_ERR_LIMIT && strstr(e.detail, "deeper than 16"),
		  "members: 17 levels are refused (%s)", e.detail);
	shc_json_members_free(&o);
}

static void
test_jwe_known(void)
{
	shc_buf		out;
	shc_jwe_info info;
	shc_error	e = {0};
	int			i;
	uint8_t		big[4000];

	for (i = 0; i < 32; i++)
		key0[i] = (uint8_t) i;

	/* encrypt with the vector's IV: byte for byte Node's result */
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_jwe_encrypt_iv(key0, iv0, "text/plain",
							 (const uint8_t *) "SMART Health Links", 18, false,
							 &out, &e) == SHC_OK &&
		  strcmp(out.data, JWE_PLAIN) == 0,
		  "JWE encrypt matches the known answer");
	shc_buf_free(&out);

	CHECK(decrypt(JWE_PLAIN, key0, 32, 100, &out, &info, &e) == SHC_OK &&
		  out.len == 18 && memcmp(out.data, "SMART Health Links", 18) == 0 &&
		  info.has_cty && strcmp(info.cty, "text/plain") == 0 && !info.zip,
		  "JWE decrypt of the known answer (%s)", e.detail);
	shc_buf_free(&out);

	CHECK(decrypt(JWE_ZIP, key0, 32, 100, &out, &info, &e) == SHC_OK &&
		  strcmp(out.data, "{\"resourceType\":\"Patient\"}") == 0 && info.zip &&
		  strcmp(info.cty, "application/fhir+json") == 0,
		  "JWE decrypt with zip DEF (%s)", e.detail);
	shc_buf_free(&out);
	CHECK(decrypt(JWE_ZIP, key0, 32, 10, &out, &info, &e) == SHC_ERR_INFLATE_TOO_LARGE,
		  "JWE zip output is capped (%s)", e.detail);
	shc_buf_free(&out);
	CHECK(decrypt(JWE_PLAIN, key0, 32, 10, &out, &info, &e) == SHC_ERR_LIMIT,
		  "JWE output is capped without zip (%s)", e.detail);
	shc_buf_free(&out);

	/* round trips with random IVs: two encryptions differ */
	for (i = 0; i < (int) sizeof(big); i++)
		big[i] = (uint8_t) ("abcabcabd"[i % 9]);
	{
		shc_buf		a,
					b;

		shc_buf_init(&a, NULL, 0);
		shc_buf_init(&b, NULL, 0);
		CHECK(shc_jwe_encrypt(key0, "application/smart-health-card", big,
							  sizeof(big), true, &a, &e) == SHC_OK &&
			  shc_jwe_encrypt(key0, "application/smart-health-card", big,
							  sizeof(big), true, &b, &e) == SHC_OK &&
			  strcmp(a.data, b.data) != 0 && a.len < sizeof(big),
			  "JWE encrypt uses a fresh IV and compresses with zip");
		CHECK(decrypt(a.data, key0, 32, sizeof(big), &out, &info, &e) == SHC_OK &&
			  out.len == sizeof(big) && memcmp(out.data, big, sizeof(big)) == 0,
			  "JWE round trip of 4000 bytes with zip");
		shc_buf_free(&out);
		shc_buf_free(&a);
		shc_buf_free(&b);
	}
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_jwe_encrypt(key0, "bad\"type", big, 1, false, &out, &e) == SHC_ERR_JWE &&
		  shc_jwe_encrypt(key0, "", big, 1, false, &out, &e) == SHC_ERR_JWE,
		  "JWE encrypt refuses a content type that would break the header");
	shc_buf_free(&out);
}

static void
test_jwe_rejects(void)
{
	char		buf[512];
	char	   *h;
	shc_buf		out;
	shc_jwe_info info;
	shc_error	e = {0};

	CHECK(decrypt(JWE_PLAIN, key0, 31, 100, &out, &info, &e) == SHC_ERR_KEY &&
		  strstr(e.detail, "32 bytes") != NULL,
		  "JWE rejects a 31-byte key (%s)", e.detail);
	shc_buf_free(&out);
	CHECK(decrypt(JWE_PLAIN, key0, 33, 100, &out, &info, &e) == SHC_ERR_KEY,
		  "JWE rejects a 33-byte key");
	shc_buf_free(&out);
	{
		uint8_t		k2[32];

		memcpy(k2, key0, 32);
		k2[31] ^= 1;
		CHECK(decrypt(JWE_PLAIN, k2, 32, 100, &out, &info, &e) == SHC_ERR_JWE_DECRYPT &&
			  out.len == 0, "JWE rejects the wrong key (tag mismatch)");
		shc_buf_free(&out);
	}

	/* tag, ciphertext and IV altered (first characters: canonical b64) */
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	*(strrchr(buf, '.') + 1) ^= 1;
	jwe_rejects(buf, SHC_ERR_JWE_DECRYPT, "tag does not match", "an altered tag");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	buf[strlen(buf) - 23 - 24] ^= 1;
	jwe_rejects(buf, SHC_ERR_JWE_DECRYPT, "tag does not match", "altered ciphertext");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	*(strstr(buf, "..") + 2) ^= 1;
	jwe_rejects(buf, SHC_ERR_JWE_DECRYPT, "tag does not match", "an altered IV");
	/* a header that is valid but not the one authenticated */
	h = jwe_with_header("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"cty\":\"text/html\"}");
	jwe_rejects(h, SHC_ERR_JWE_DECRYPT, "tag does not match", "an altered header (AAD)");
	free(h);

	h = jwe_with_header("{\"alg\":\"A256KW\",\"enc\":\"A256GCM\"}");
	jwe_rejects(h, SHC_ERR_JWE, "\"alg\" must be \"dir\"", "alg A256KW");
	free(h);
	h = jwe_with_header("{\"enc\":\"A256GCM\"}");
	jwe_rejects(h, SHC_ERR_JWE, "\"alg\" must be \"dir\"", "a missing alg");
	free(h);
	h = jwe_with_header("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}");
	jwe_rejects(h, SHC_ERR_JWE, "\"enc\" must be \"A256GCM\"", "enc A128GCM");
	free(h);
	h = jwe_with_header("{\"alg\":\"dir\",\"enc\":\"A256CBC-HS512\"}");
	jwe_rejects(h, SHC_ERR_JWE, "\"enc\" must be \"A256GCM\"", "enc A256CBC-HS512");
	free(h);
	h = jwe_with_header("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"GZIP\"}");
	jwe_rejects(h, SHC_ERR_JWE, "\"zip\" must be \"DEF\"", "zip GZIP");
	free(h);
	h = jwe_with_header("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"crit\":[\"x\"],\"x\":1}");
	jwe_rejects(h, SHC_ERR_JWE, "crit", "a crit header");
	free(h);
	h = jwe_with_header("{\"alg\":\"dir\",\"alg\":\"dir\",\"enc\":\"A256GCM\"}");
	jwe_rejects(h, SHC_ERR_JWE, "twice", "a duplicate alg");
	free(h);
	h = jwe_with_header("not json");
	jwe_rejects(h, SHC_ERR_JWE, "not a JSON object", "a header that is not JSON");
	free(h);

	/* truncations and shape */
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	*strrchr(buf, '.') = '\0';
	jwe_rejects(buf, SHC_ERR_JWE, "this one has 4", "a JWE without its tag segment");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	buf[strlen(buf) - 3] = '\0';
	jwe_rejects(buf, SHC_ERR_JWE, "authentication tag must be 16 bytes", "a truncated tag");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	buf[40] = '\0';
	jwe_rejects(buf, SHC_ERR_JWE, "this one has 1", "a JWE cut inside the header");
	jwe_rejects("", SHC_ERR_JWE, "this one has 1", "the empty string");
	snprintf(buf, sizeof(buf), "%s.", JWE_PLAIN);
	jwe_rejects(buf, SHC_ERR_JWE, "has more", "six segments");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	memmove(strstr(buf, "..") + 2, strstr(buf, "..") + 3, strlen(strstr(buf, "..") + 3) + 1);
	jwe_rejects(buf, SHC_ERR_JWE, "initialization vector must be 12 bytes", "a short IV");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	{
		char		tmp[600];
		char	   *dd = strstr(buf, "..");

		*dd = '\0';
		snprintf(tmp, sizeof(tmp), "%s.AAAA.%s", buf, dd + 2);
		jwe_rejects(tmp, SHC_ERR_JWE, "encrypted key segment must be empty",
					"a non-empty encrypted key");
	}
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	*strchr(buf, '.' ) = '=';
	jwe_rejects(buf, SHC_ERR_JWE, "this one has 4", "a padded header");
	snprintf(buf, sizeof(buf), "%s", JWE_PLAIN);
	buf[strlen(buf) - 30] = '+';
	jwe_rejects(buf, SHC_ERR_JWE, "not base64url", "a non-base64url ciphertext");

	shc_buf_init(&out, NULL, 0);
	CHECK(shc_jwe_decrypt(JWE_PLAIN, strlen(JWE_PLAIN), 50, key0, 32, 100,
						  &out, &info, &e) == SHC_ERR_LIMIT,
		  "JWE longer than max_len is refused");
	shc_buf_free(&out);
}

static char *
shlink_of(const char *prefix, const char *json)
{
	shc_buf		b;
	shc_error	e = {0};

	shc_buf_init(&b, NULL, 0);
	shc_buf_append_str(&b, prefix);
	shc_buf_append_str(&b, "shlink:/");
	shc_b64url_encode((const uint8_t *) json, strlen(json), &b, &e);
	return shc_buf_release(&b, NULL);
}

static void
shlink_rejects(const char *json, const char *needle)
{
	char	   *s = shlink_of("", json);
	shc_shlink	l;
	shc_error	e = {0};
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_shlink_decode(s, strlen(s), 0, NULL, &l, &e);
	CHECK(st == SHC_ERR_SHLINK && strstr(e.detail, needle) != NULL,
		  "shlink rejects %.60s (%s)", json, e.detail);
	free(s);
}

#define U "\"url\":\"https://x.example/m\""
#define K "\"key\":\"" KEY_B64 "\""

static void
test_shlink(void)
{
	shc_shlink	l;
	shc_error	e = {0};
	shc_buf		out;
	uint8_t		key[32];
	size_t		klen;
	char		label81[200];

	shc_b64url_decode_to(KEY_B64, 43, key, &klen, &e);
	CHECK(shc_shlink_decode(SHLINK_SPEC, strlen(SHLINK_SPEC), 0, NULL, &l, &e) == SHC_OK &&
		  strcmp(l.url, "https://ehr.example.org/qr/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM/m") == 0 &&
		  memcmp(l.key, key, 32) == 0 && l.has_exp && l.exp == 1700000000 &&
		  strcmp(l.flag, "LP") == 0 && l.has_label &&
		  strcmp(l.label, "Back to school immunizations") == 0 && l.v == 1 &&
		  l.viewer_len == 0,
		  "shlink decodes every member (%s)", e.detail);
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_shlink_encode(&l, &out, &e) == SHC_OK &&
		  strcmp(out.data, SHLINK_SPEC) == 0,
		  "shlink encode gives the known text byte for byte");
	shc_buf_free(&out);
	CHECK(shc_shlink_expired(&l, 1700000000) && !shc_shlink_expired(&l, 1699999999),
		  "shlink is expired at exp, not before");

	CHECK(shc_shlink_decode(SHLINK_VIEWER, strlen(SHLINK_VIEWER), 0, NULL, &l, &e) == SHC_OK &&
		  l.viewer_len == strlen("https://viewer.example/#") &&
		  memcmp(l.viewer, "https://viewer.example/#", l.viewer_len) == 0 &&
		  strcmp(l.label, "Caf\xc3\xa9 \xe2\x9c\x93") == 0 && !l.has_exp &&
		  l.flag[0] == '\0' && l.v == 0,
		  "shlink with a viewer prefix and a UTF-8 label (%s)", e.detail);
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_shlink_encode(&l, &out, &e) == SHC_OK &&
		  strcmp(out.data, SHLINK_VIEWER) == 0,
		  "shlink encode keeps the viewer prefix");
	shc_buf_free(&out);
	CHECK(!shc_shlink_expired(&l, INT64_MAX), "a link without exp never expires");

	/* every rule */
	CHECK(shc_shlink_decode("shlink:", 7, 0, NULL, &l, &e) == SHC_ERR_SHLINK &&
		  shc_shlink_decode("shc:/123", 8, 0, NULL, &l, &e) == SHC_ERR_SHLINK &&
		  shc_shlink_decode("shlink:/", 8, 0, NULL, &l, &e) == SHC_ERR_SHLINK &&
		  shc_shlink_decode("https://v/shlink:/e30", 21, 0, NULL, &l, &e) == SHC_ERR_SHLINK &&
		  shc_shlink_decode("shlink:/e30=", 12, 0, NULL, &l, &e) == SHC_ERR_SHLINK,
		  "shlink rejects texts without the prefix or payload");
	CHECK(shc_shlink_decode(SHLINK_SPEC, strlen(SHLINK_SPEC), 100, NULL, &l, &e) == SHC_ERR_LIMIT,
		  "shlink longer than max_len is refused");
	shlink_rejects("[]", "not a JSON object");
	shlink_rejects("{" K "}", "no \"url\"");
	shlink_rejects("{\"url\":1," K "}", "no \"url\"");
	shlink_rejects("{" U "}", "no \"key\"");
	shlink_rejects("{\"url\":\"\"," K "}", "1 to 128");
	shlink_rejects("{\"url\":\"https://x.example/"
				   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"," K "}",
				   "1 to 128");
	shlink_rejects("{\"url\":\"ftp://x.example/m\"," K "}", "http or https");
	shlink_rejects("{\"url\":\"https://x.example/ m\"," K "}", "http or https");
	shlink_rejects("{" U ",\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7\"}",
				   "43 base64url");
	shlink_rejects("{" U ",\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7QQ\"}",
				   "43 base64url");
	shlink_rejects("{" U ",\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7R\"}",
				   "43 base64url");
	shlink_rejects("{" U ",\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7+\"}",
				   "43 base64url");
	shlink_rejects("{" U "," K ",\"flag\":\"PL\"}", "alphabetical order");
	shlink_rejects("{" U "," K ",\"flag\":\"LL\"}", "alphabetical order");
	shlink_rejects("{" U "," K ",\"flag\":\"X\"}", "L, P and U");
	shlink_rejects("{" U "," K ",\"flag\":\"l\"}", "L, P and U");
	shlink_rejects("{" U "," K ",\"flag\":\"PU\"}", "cannot be combined");
	shlink_rejects("{" U "," K ",\"flag\":\"LPU\"}", "cannot be combined");
	shlink_rejects("{" U "," K ",\"flag\":\"\"}", "empty");
	shlink_rejects("{" U "," K ",\"flag\":1}", "must be a string");
	shlink_rejects("{" U "," K ",\"exp\":-1}", "non-negative integer");
	shlink_rejects("{" U "," K ",\"exp\":1.5}", "non-negative integer");
	shlink_rejects("{" U "," K ",\"exp\":1e9}", "non-negative integer");
	shlink_rejects("{" U "," K ",\"exp\":\"1\"}", "non-negative integer");
	shlink_rejects("{" U "," K ",\"exp\":99999999999999999}", "non-negative integer");
	shlink_rejects("{" U "," K ",\"v\":2}", "version 1");
	shlink_rejects("{" U "," K ",\"label\":7}", "must be a string");
	memset(label81, 'a', 81);
	label81[81] = '\0';
	{
		char		json[1200];

		snprintf(json, sizeof(json), "{" U "," K ",\"label\":\"%s\"}", label81);
		shlink_rejects(json, "81 characters");
		/* 80 two-byte characters are fine: the limit counts characters */
		{
			char		e80[500] = "";
			char	   *s;
			int			i;

			for (i = 0; i < 80; i++)
				strcat(e80, "\\u00e9");
			snprintf(json, sizeof(json), "{" U "," K ",\"label\":\"%s\"}", e80);
			s = shlink_of("", json);
			CHECK(shc_shlink_decode(s, strlen(s), 0, NULL, &l, &e) == SHC_OK &&
				  strlen(l.label) == 160, "a label of 80 two-byte characters is fine (%s)", e.detail);
			free(s);
		}
	}
	{
		char	   *s = shlink_of("https://v.example/#x#", "{" U "," K "}");

		CHECK(shc_shlink_decode(s, strlen(s), 0, NULL, &l, &e) == SHC_ERR_SHLINK,
			  "a viewer prefix with two '#' is refused (%s)", e.detail);
		free(s);
		s = shlink_of("https://v.example/#", "{" U "," K ",\"extra\":{\"a\":[1]}}");
		CHECK(shc_shlink_decode(s, strlen(s), 0, NULL, &l, &e) == SHC_OK,
			  "unknown payload members are ignored");
		free(s);
	}

	/* encode checks the same rules */
	memset(&l, 0, sizeof(l));
	strcpy(l.url, "https://x.example/m");
	strcpy(l.flag, "PU");
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_shlink_encode(&l, &out, &e) == SHC_ERR_SHLINK && out.len == 0,
		  "shlink encode refuses U with P");
	strcpy(l.flag, "LP");
	l.viewer = "https://viewer.example/";
	l.viewer_len = strlen(l.viewer);
	CHECK(shc_shlink_encode(&l, &out, &e) == SHC_ERR_SHLINK,
		  "shlink encode refuses a viewer prefix without '#'");
	shc_buf_free(&out);
}

static void
test_passcode(void)
{
	shc_buf		h;
	shc_error	e = {0};
	bool		match = true;

	shc_buf_init(&h, NULL, 0);
	CHECK(shc_passcode_hash("1234", 4, 10, 8, 1, &h, &e) == SHC_OK &&
		  strncmp(h.data, "scrypt$10$8$1$", 14) == 0 && strstr(h.data, "1234") == NULL,
		  "passcode hash has the stored form and no passcode in clear");
	CHECK(shc_passcode_verify("1234", 4, h.data, &match, &e) == SHC_OK && match,
		  "the right passcode matches");
	CHECK(shc_passcode_verify("1235", 4, h.data, &match, &e) == SHC_OK && !match,
		  "a wrong passcode does not match");
	CHECK(shc_passcode_verify("", 0, h.data, &match, &e) == SHC_OK && !match,
		  "an empty passcode does not match");
	{
		shc_buf		h2;

		shc_buf_init(&h2, NULL, 0);
		shc_passcode_hash("1234", 4, 10, 8, 1, &h2, &e);
		CHECK(strcmp(h.data, h2.data) != 0, "two hashes of one passcode differ (salt)");
		shc_buf_free(&h2);
	}
	CHECK(shc_passcode_verify("1234", 4, "scrypt$30$8$1$AAAA$AAAA", &match, &e) == SHC_ERR_KEY &&
		  shc_passcode_verify("1234", 4, "pbkdf2$1$x$y", &match, &e) == SHC_ERR_KEY &&
		  shc_passcode_verify("1234", 4, "scrypt$10$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA", &match, &e) == SHC_ERR_KEY,
		  "malformed stored hashes are refused");
	shc_buf_free(&h);
	shc_buf_init(&h, NULL, 0);
	CHECK(shc_passcode_hash("", 0, 10, 8, 1, &h, &e) == SHC_ERR_LIMIT &&
		  shc_passcode_hash("1", 1, 9, 8, 1, &h, &e) == SHC_ERR_LIMIT,
		  "empty passcodes and weak parameters are refused");
	shc_buf_free(&h);
}

/*
 * The error-correction level of a symbol, read from its format bits next
 * to the top-left finder (ISO/IEC 18004 7.9): the 15 modules are matched
 * against the 32 BCH(15,5) format words, masked with 0x5412, in both bit
 * orders.  Returns 'L', 'M', 'Q', 'H' or '?'.
 */
static char
ec_level(const shc_qr_symbol *sym)
{
	static const int pos[15][2] = {{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5},
	{8, 7}, {8, 8}, {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}};
	static const char level[4] = {'M', 'L', 'H', 'Q'};	/* ec bits 00 01 10 11 */
	unsigned	fwd = 0,
				rev = 0;
	int			i,
				d;

	for (i = 0; i < 15; i++)
	{
		unsigned	b = sym->modules[pos[i][0] * sym->width + pos[i][1]] & 1;

		fwd = (fwd << 1) | b;
		rev |= b << i;
	}
	for (d = 0; d < 32; d++)
	{
		unsigned	v = (unsigned) d << 10;
		int			k;

		for (k = 14; k >= 10; k--)
			if (v & (1u << k))
				v ^= 0x537u << (k - 10);
		v = (((unsigned) d << 10) | v) ^ 0x5412u;
		if (v == fwd || v == rev)
			return level[d >> 3];
	}
	return '?';
}

static void
test_shlink_qr(void)
{
	shc_qr_symbol sym;
	shc_error	e = {0};

	{
		shc_status	st = shc_qr_symbol_make(SHLINK_SPEC, strlen(SHLINK_SPEC), NULL, &sym, &e);
		char		lv = st == SHC_OK ? ec_level(&sym) : '-';

		CHECK(st == SHC_OK && sym.shlink && sym.version >= 1 && sym.version <= 22 && lv == 'M',
			  "a shlink:/ QR code is at EC level M (version %d, level %c)",
			  st == SHC_OK ? sym.version : 0, lv);
		shc_qr_symbol_free(&sym);
	}
	CHECK(shc_qr_symbol_make(SHLINK_VIEWER, strlen(SHLINK_VIEWER), NULL, &sym, &e) == SHC_OK &&
		  sym.shlink && ec_level(&sym) == 'M',
		  "a shlink:/ behind a viewer prefix too");
	shc_qr_symbol_free(&sym);
	/* a card is unchanged: EC level L */
	CHECK(shc_qr_symbol_make(JWE_PLAIN "x", 10, NULL, &sym, &e) == SHC_OK &&
		  !sym.shlink && ec_level(&sym) == 'L',
		  "a card's QR code stays at EC level L");
	shc_qr_symbol_free(&sym);
	CHECK(shc_qr_symbol_make("shlink:/e30", 11, NULL, &sym, &e) == SHC_ERR_SHLINK,
		  "a malformed shlink:/ gets no QR code (%s)", e.detail);
	shc_qr_symbol_free(&sym);
}

void
test_shl(void)
{
	test_shlink_qr();
	test_json_members();
	test_jwe_known();
	test_jwe_rejects();
	test_shlink();
	test_passcode();
}
