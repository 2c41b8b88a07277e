/*
 * test_qr.c: shc:/ numeric encoding, strict decoding, chunk sets, and the
 * spec examples' QR texts when the vectors are present.
 */
#include "unit.h"
#include "shc_qr.h"

static char *
encode(const char *jws, int idx, int total)
{
	shc_buf		b;
	shc_error	e;

	shc_buf_init(&b, NULL, 0);
	if (shc_qr_numeric_encode(jws, strlen(jws), idx, total, &b, &e) != SHC_OK)
	{
		shc_buf_free(&b);
		return NULL;
	}
	return shc_buf_release(&b, NULL);
}

static shc_status
decode(const char **texts, int n, char **result, shc_error *e)
{
	size_t		lens[8];
	shc_buf		b;
	shc_status	st;
	int			i;

	for (i = 0; i < n; i++)
		lens[i] = strlen(texts[i]);
	shc_buf_init(&b, NULL, 0);
	memset(e, 0, sizeof(*e));
	st = shc_qr_decode_parts(texts, lens, n, &b, e);
	*result = st == SHC_OK ? shc_buf_release(&b, NULL) : NULL;
	shc_buf_free(&b);
	return st;
}

static void
decode_rejects(const char **texts, int n, shc_status want, const char *needle)
{
	char	   *r;
	shc_error	e;
	shc_status	st = decode(texts, n, &r, &e);

	CHECK(st == want && strstr(e.detail, needle) != NULL,
		  "decode rejects %s%s (%s)", texts[0], n > 1 ? ", ..." : "", e.detail);
	free(r);
}

static void
vector_pairs(const char *set, const char *ex)
{
	char		rel[128];
	char	   *jp,
			   *qp,
			   *jws,
			   *qr,
			   *enc,
			   *dec;
	shc_error	e;
	const char *t[1];

	snprintf(rel, sizeof(rel), "%s/example-%s-d-jws.txt", set, ex);
	jp = unit_vector_path(rel);
	snprintf(rel, sizeof(rel), "%s/example-%s-f-qr-code-numeric-value-0.txt", set, ex);
	qp = unit_vector_path(rel);
	if (!jp || !qp)
	{
		unit_skip_n(2, "shared vectors not present");
		free(jp);
		free(qp);
		return;
	}
	jws = unit_read_file(jp, NULL);
	qr = unit_read_file(qp, NULL);
	enc = encode(jws, 1, 1);
	CHECK(enc && strcmp(enc, qr) == 0, "%s example-%s: numeric encoding equals the spec file", set, ex);
	t[0] = qr;
	decode(t, 1, &dec, &e);
	CHECK(dec && strcmp(dec, jws) == 0, "%s example-%s: decoding gives the JWS", set, ex);
	free(enc);
	free(dec);
	free(jws);
	free(qr);
	free(jp);
	free(qp);
}

static void
vector_chunks(const char *set)
{
	char		rel[128];
	char	   *jp,
			   *jws,
			   *parts[3] = {0},
			   *dec;
	const char *shuffled[3];
	shc_error	e;
	int			n;
	size_t		plen,
				jlen;
	int			i,
				ok = 1;

	snprintf(rel, sizeof(rel), "%s/example-02-d-jws.txt", set);
	jp = unit_vector_path(rel);
	if (!jp)
	{
		unit_skip_n(3, "shared vectors not present");
		return;
	}
	jws = unit_read_file(jp, &jlen);
	shc_qr_chunk_plan(jlen, &n, &plen);
	CHECK(n == 3, "%s example-02: %zu characters make 3 chunks of %zu", set, jlen, plen);
	for (i = 0; i < 3 && n == 3; i++)
	{
		char	   *p,
				   *want;
		char		save;
		size_t		off = i * plen,
					len = off + plen > jlen ? jlen - off : plen;

		snprintf(rel, sizeof(rel), "%s/example-02-f-qr-code-numeric-value-%d.txt", set, i);
		p = unit_vector_path(rel);
		want = p ? unit_read_file(p, NULL) : NULL;
		save = jws[off + len];
		jws[off + len] = '\0';
		parts[i] = encode(jws + off, i + 1, 3);
		jws[off + len] = save;
		if (!want || !parts[i] || strcmp(want, parts[i]) != 0)
			ok = 0;
		free(want);
		free(p);
	}
	CHECK(ok, "%s example-02: chunks equal the spec files byte for byte", set);
	shuffled[0] = parts[2] ? parts[2] : "";
	shuffled[1] = parts[0] ? parts[0] : "";
	shuffled[2] = parts[1] ? parts[1] : "";
	decode(shuffled, 3, &dec, &e);
	CHECK(dec && strcmp(dec, jws) == 0, "%s example-02: chunks in any order decode to the JWS", set);
	free(dec);
	for (i = 0; i < 3; i++)
		free(parts[i]);
	free(jws);
	free(jp);
}

void
test_qr(void)
{
	char	   *s,
			   *r;
	shc_error	e;
	const char *t[4];
	int			n;
	size_t		len;

	/* SHC-NOTES 8 known answers: '-'->00 '.'->01 '0'->03 'A'->20 'X'->43 '_'->50 'a'->52 'z'->77 */
	s = encode("-.0AX_az", 1, 1);
	CHECK(s && strcmp(s, "shc:/0001032043505277") == 0, "encode the spec's character table");
	free(s);
	s = encode("abc", 2, 3);
	CHECK(s && strcmp(s, "shc:/2/3/525354") == 0, "encode a chunk header");
	free(s);
	s = encode("abc", 10, 12);
	CHECK(s && strcmp(s, "shc:/10/12/525354") == 0, "two-digit chunk header");
	free(s);
	CHECK(encode("a b", 1, 1) == NULL, "encode rejects a space");
	CHECK(encode("a=b", 1, 1) == NULL, "encode rejects '='");
	CHECK(encode("", 1, 1) == NULL, "encode rejects the empty string");
	CHECK(encode("ab", 2, 1) == NULL, "encode rejects index above total");

	t[0] = "shc:/0001032043505277";
	decode(t, 1, &r, &e);
	CHECK(r && strcmp(r, "-.0AX_az") == 0, "decode the spec's character table");
	free(r);

	/* chunk plan: SHC-NOTES 8.1 */
	shc_qr_chunk_plan(1195, &n, &len);
	CHECK(n == 1 && len == 1195, "1195 characters fit one QR");
	shc_qr_chunk_plan(1196, &n, &len);
	CHECK(n == 2 && len == 598, "1196 characters make 2 chunks of 598");
	shc_qr_chunk_plan(3285, &n, &len);
	CHECK(n == 3 && len == 1095, "3285 characters make 3 chunks of 1095");
	shc_qr_chunk_plan(2382, &n, &len);
	CHECK(n == 2 && len == 1191, "2382 characters make 2 chunks of 1191");
	shc_qr_chunk_plan(2383, &n, &len);
	CHECK(n == 3 && len == 795, "2383 characters make 3 chunks of 795");

	/* strict decoding */
	t[0] = "shc:/000";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "odd");
	t[0] = "shc:/78";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "above 77");
	t[0] = "shc:/99";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "above 77");
	t[0] = "shc:/02";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "\"/\"");
	t[0] = "shc:/13";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "\":\"");
	t[0] = "shc:/46";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "\"[\"");
	t[0] = "shc:/51";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "\"`\"");
	t[0] = "shc:/00a0";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "not a decimal digit");
	t[0] = "shc:/00 0";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "0x20");
	t[0] = "shc:/";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "No digits");
	t[0] = "SHC:/0000";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "does not start");
	t[0] = "0000";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "does not start");
	t[0] = "";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "does not start");
	t[0] = "shc:/1/1/0000";
	decode_rejects(t, 1, SHC_ERR_QR_CHUNKS, "1/1/");
	t[0] = "shc:/01/2/0000";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "C/N/");
	t[0] = "shc:/1/2";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "C/N/");
	t[0] = "shc:/3/2/0000";
	decode_rejects(t, 1, SHC_ERR_QR_CHUNKS, "outside 1..2");
	t[0] = "shc:/0/2/0000";
	decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "C/N/");
	t[0] = "shc:/1/100/0000";
	decode_rejects(t, 1, SHC_ERR_QR_CHUNKS, "maximum of 99");
	t[0] = "shc:/1/2/0000";
	decode_rejects(t, 1, SHC_ERR_QR_CHUNKS, "Chunk 2/2 is missing");
	t[0] = "shc:/1/2/0000";
	t[1] = "shc:/1/2/0000";
	decode_rejects(t, 2, SHC_ERR_QR_CHUNKS, "more than once");
	t[1] = "shc:/2/3/0000";
	decode_rejects(t, 2, SHC_ERR_QR_CHUNKS, "set of 3");
	t[1] = "shc:/0000";
	decode_rejects(t, 2, SHC_ERR_QR_CHUNKS, "no \"C/N/\"");
	t[0] = "shc:/0000";
	t[1] = "shc:/0000";
	decode_rejects(t, 2, SHC_ERR_QR_CHUNKS, "no \"C/N/\"");
	t[0] = "shc:/2/2/0002";
	t[1] = "shc:/1/2/0000";
	decode_rejects(t, 2, SHC_ERR_QR_NUMERIC, "Chunk 2/2");
	{
		/* a single text longer than one QR code can hold */
		char	   *longtxt = malloc(5 + 2 * 1196 + 1);

		memcpy(longtxt, "shc:/", 5);
		memset(longtxt + 5, '0', 2 * 1196);
		longtxt[5 + 2 * 1196] = '\0';
		t[0] = longtxt;
		decode_rejects(t, 1, SHC_ERR_QR_NUMERIC, "at most 2390");
		longtxt[5 + 2 * 1195] = '\0';
		decode(t, 1, &r, &e);
		CHECK(r && strlen(r) == 1195, "a single text of 1195 characters decodes");
		free(r);
		free(longtxt);
	}

	vector_pairs("examples", "00");
	vector_pairs("examples", "01");
	vector_pairs("examples", "03");
	vector_pairs("examples-hl7-stu1", "00");
	vector_chunks("examples");
	vector_chunks("examples-hl7-stu1");
}
