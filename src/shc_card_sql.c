/*
 * shc_card_sql.c
 *		shc_card_svg: the printable paper copy of a SMART Health Card, one
 *		SVG page that fits both A4 and US Letter (210 x 279 mm), with the
 *		holder, each immunization or lab result, the issuer, the issue date
 *		and the QR code with its quiet zone.
 *
 * It renders only what the card contains: the payload is read by the one
 * card reader shared with shc_verify and shc_decode (src/shc_card_read.c:
 * compact JWS split, base64url, raw inflate capped by
 * shc.max_payload_size, the core JSON reader).  It is not a verifier:
 * the signature is not checked, and the page says so.  Every string taken
 * from the card is XML-escaped.
 */
#include "shc_glue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/shc_b64url.h"
#include "core/shc_deflate.h"
#include "core/shc_jws.h"
#include "core/shc_qr.h"
#include "core/shc_qrimg.h"
#include "shc_qrimg_glue.h"
#include "shc_card_read.h"

/* page geometry, in millimetres (the SVG user unit) */
#define PAGE_W 210.0			/* A4 width; Letter is 215.9 */
#define PAGE_H 279.0			/* Letter height; A4 is 297 */
#define MARGIN 15.0
#define QR_SIZE 70.0			/* symbol plus its quiet zone */
#define QR_QUIET 4
#define CHAR_W 0.64				/* glyph width / font size, DejaVu Sans digits and capitals */
#define TABLE_TOP 122.0
#define TABLE_BOTTOM 246.0

/* ---------------------------------------------------------------------
 * decoding the payload
 * --------------------------------------------------------------------- */

/*
 * The payload of a card (compact JWS or single shc:/ text) as jsonb, read
 * by the one card reader (src/shc_card_read.c).  No signature check: this
 * only reads what the card says, and the page says so.
 */
static Jsonb *
card_payload(const char *card, size_t n)
{
	shc_card	c;

	if (!shc_card_open(&c, card, n) || !shc_card_read_payload(&c))
		shc_card_raise(&c);
	return c.payload;
}

/* ---------------------------------------------------------------------
 * reading jsonb
 * --------------------------------------------------------------------- */

static JsonbValue *
jget(JsonbValue *v, const char *key)
{
	JsonbValue	k;

	if (v == NULL || v->type != jbvBinary ||
		!JsonContainerIsObject(v->val.binary.data))
		return NULL;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = (int) strlen(key);
	return findJsonbValueFromContainer(v->val.binary.data, JB_FOBJECT, &k);
}

static int
jlen(JsonbValue *v)
{
	if (v == NULL || v->type != jbvBinary ||
		!JsonContainerIsArray(v->val.binary.data))
		return 0;
	return (int) JsonContainerSize(v->val.binary.data);
}

static JsonbValue *
jidx(JsonbValue *v, int i)
{
	if (i >= jlen(v))
		return NULL;
	return getIthJsonbValueFromContainer(v->val.binary.data, (uint32) i);
}

/* a scalar as text (strings as they are), or NULL */
static char *
jstr(JsonbValue *v)
{
	if (v == NULL)
		return NULL;
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		default:
			return NULL;
	}
}

static bool
jis(JsonbValue *v, const char *s)
{
	return v != NULL && v->type == jbvString &&
		v->val.string.len == (int) strlen(s) &&
		memcmp(v->val.string.val, s, v->val.string.len) == 0;
}

/* short label of a well-known code system, else the system itself */
static const char *
system_label(const char *system)
{
	if (system == NULL)
		return NULL;
	if (strcmp(system, "http://hl7.org/fhir/sid/cvx") == 0)
		return "CVX";
	if (strcmp(system, "http://snomed.info/sct") == 0)
		return "SNOMED CT";
	if (strcmp(system, "http://loinc.org") == 0)
		return "LOINC";
	if (strcmp(system, "http://id.who.int/icd/release/11/mms") == 0)
		return "ICD-11";
	return system;
}

/*
 * The name of a code from shc.shc_code_name (shc_code_display: a list the
 * trust administrator loaded, else the shipped one), or NULL.
 */
static char *
code_name(const char *system, const char *code)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	char	   *name = NULL;

	if (system == NULL || code == NULL)
		return NULL;
	values[0] = CStringGetTextDatum(system);
	values[1] = CStringGetTextDatum(code);
	SPI_connect();
	if (SPI_execute_with_args("SELECT shc.shc_code_display($1, $2)", 2, types,
							  values, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (v != NULL)
			name = MemoryContextStrdup(caller, v);
	}
	SPI_finish();
	return name;
}

/*
 * A CodeableConcept as the card writes it: its text, else the first
 * coding's display, else the name of the first coding whose code has one
 * in shc_code_name (and "system-label code" in *small, for the small
 * print), else "system-label code" of every coding.
 */
static char *
concept_text(JsonbValue *cc, char **small)
{
	JsonbValue *codings = jget(cc, "coding");
	StringInfoData s;
	char	   *t = jstr(jget(cc, "text"));
	int			i;

	*small = NULL;
	if (t != NULL)
		return t;
	for (i = 0; i < jlen(codings); i++)
	{
		t = jstr(jget(jidx(codings, i), "display"));
		if (t != NULL)
			return t;
	}
	for (i = 0; i < jlen(codings); i++)
	{
		JsonbValue *c = jidx(codings, i);
		char	   *sys = jstr(jget(c, "system"));
		char	   *code = jstr(jget(c, "code"));

		t = code_name(sys, code);
		if (t != NULL)
		{
			*small = psprintf("%s %s", system_label(sys), code);
			return t;
		}
	}
	initStringInfo(&s);
	for (i = 0; i < jlen(codings); i++)
	{
		JsonbValue *c = jidx(codings, i);
		const char *sys = system_label(jstr(jget(c, "system")));
		char	   *code = jstr(jget(c, "code"));

		if (s.len > 0)
			appendStringInfoString(&s, ", ");
		if (sys)
			appendStringInfo(&s, "%s ", sys);
		appendStringInfoString(&s, code ? code : "?");
	}
	return s.len > 0 ? s.data : NULL;
}

/* the holder's name: name[0].text, else given names and family */
static char *
patient_name(JsonbValue *patient)
{
	JsonbValue *name = jidx(jget(patient, "name"), 0);
	JsonbValue *given = jget(name, "given");
	char	   *t = jstr(jget(name, "text"));
	char	   *family = jstr(jget(name, "family"));
	StringInfoData s;
	int			i;

	if (t != NULL)
		return t;
	initStringInfo(&s);
	for (i = 0; i < jlen(given); i++)
	{
		char	   *g = jstr(jidx(given, i));

		if (g == NULL)
			continue;
		if (s.len > 0)
			appendStringInfoChar(&s, ' ');
		appendStringInfoString(&s, g);
	}
	if (family != NULL)
	{
		if (s.len > 0)
			appendStringInfoChar(&s, ' ');
		appendStringInfoString(&s, family);
	}
	return s.len > 0 ? s.data : NULL;
}

/* first performer: performer[0].actor.display, or performer[0].display */
static char *
performer_text(JsonbValue *res)
{
	JsonbValue *p = jidx(jget(res, "performer"), 0);
	char	   *t = jstr(jget(jget(p, "actor"), "display"));

	return t ? t : jstr(jget(p, "display"));
}

/* an Observation's value: concept, quantity, string, boolean, ... */
static char *
observation_value(JsonbValue *res, char **small)
{
	JsonbValue *q;
	char	   *t;

	*small = NULL;
	if ((q = jget(res, "valueCodeableConcept")) != NULL)
		return concept_text(q, small);
	if ((q = jget(res, "valueQuantity")) != NULL)
	{
		char	   *v = jstr(jget(q, "value"));
		char	   *u = jstr(jget(q, "unit"));

		if (u == NULL)
			u = jstr(jget(q, "code"));
		if (v == NULL)
			return NULL;
		return u ? psprintf("%s %s", v, u) : v;
	}
	if ((t = jstr(jget(res, "valueString"))) != NULL)
		return t;
	if ((t = jstr(jget(res, "valueBoolean"))) != NULL)
		return t;
	if ((t = jstr(jget(res, "valueInteger"))) != NULL)
		return t;
	return jstr(jget(res, "valueDateTime"));
}

/* nbf (NumericDate, may be fractional) as a UTC date, or its raw text */
static char *
nbf_date(JsonbValue *nbf)
{
	char	   *raw = jstr(nbf);
	double		d;
	int			y,
				m,
				day;

	if (raw == NULL || nbf->type != jbvNumeric)
		return raw;
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
										   NumericGetDatum(nbf->val.numeric)));
	/* years 1970..9999 */
	if (!(d >= 0 && d < 253402300800.0))
		return raw;
	j2date((int) floor(d / 86400.0) + UNIX_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/* ---------------------------------------------------------------------
 * drawing
 * --------------------------------------------------------------------- */

typedef struct row
{
	char	   *cell[4];
	char	   *small[4];		/* small print under a cell: the code of a looked-up name */
	bool		wrap;			/* a looked-up name too long for one line: two lines */
} row;

static int
utf8_chars(const char *s)
{
	int			n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xc0) != 0x80)
			n++;
	return n;
}

/* byte length of the first k characters of s */
static int
utf8_prefix(const char *s, int k)
{
	int			i = 0;

	while (s[i] && k > 0)
	{
		i++;
		while (((unsigned char) s[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

/*
 * One line of text at (x, y), at most width mm wide: the font shrinks down
 * to 60% of size for long text, and what still does not fit is cut with an
 * ellipsis.  Widths are estimated (CHAR_W per character), so the layout is
 * the same everywhere.
 */
static void
text_line(shc_buf *out, double x, double y, double size, double width,
		  const char *attrs, const char *s)
{
	char		tmp[256];
	char		fit[96] = "";
	int			n;
	int			cap;
	int			cut = -1;

	if (s == NULL || s[0] == '\0')
		return;
	n = utf8_chars(s);
	cap = (int) (width / (CHAR_W * size));
	if (n > cap)
	{
		size = Max(size * 0.6, size * cap / n);
		cap = (int) (width / (CHAR_W * size));
		if (n > cap)
			cut = utf8_prefix(s, Max(cap - 1, 1));

		/*
		 * CHAR_W is an estimate; fonts differ.  Text that needed fitting is
		 * also squeezed by the renderer into its column, so it can never run
		 * into the next one.
		 */
		snprintf(fit, sizeof(fit),
				 " textLength=\"%.2f\" lengthAdjust=\"spacingAndGlyphs\"", width);
	}
	snprintf(tmp, sizeof(tmp), "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s%s%s>",
			 x, y, size, fit, attrs ? " " : "", attrs ? attrs : "");
	shc_buf_append_str(out, tmp);
	if (cut >= 0)
	{
		shc_xml_escape(out, s, (size_t) cut);
		shc_buf_append_str(out, "\xe2\x80\xa6");	/* ellipsis */
	}
	else
		shc_xml_escape(out, s, strlen(s));
	shc_buf_append_str(out, "</text>\n");
}

static const double col_x[4] = {MARGIN, MARGIN + 30, MARGIN + 100, MARGIN + 130};
static const double col_w[4] = {28, 68, 28, 50};

/* a looked-up name is written on two lines when it is longer than this */
static int
wrap_cap(int c)
{
	return (int) (col_w[c] / (CHAR_W * 3.8));
}

/* s cut at the space nearest its middle (no space: a is s, b is NULL) */
static void
split2(const char *s, char **a, char **b)
{
	int			n = (int) strlen(s);
	int			best = -1;
	int			i;

	for (i = 0; i < n; i++)
		if (s[i] == ' ' && (best < 0 || abs(i - n / 2) < abs(best - n / 2)))
			best = i;
	if (best < 0)
	{
		*a = pstrdup(s);
		*b = NULL;
		return;
	}
	*a = pnstrdup(s, best);
	*b = pstrdup(s + best + 1);
}

/* a table section: heading, column titles, rows; returns the next y */
static double
table(shc_buf *out, double y, double rowh, const char *heading,
	  const char *const *titles, row *rows, int nrows, int first, int count)
{
	double		font = Min(3.8, rowh * 0.62);
	int			i,
				c;

	text_line(out, MARGIN, y, 5, PAGE_W - 2 * MARGIN, "font-weight=\"bold\"", heading);
	y += 6;
	for (c = 0; c < 4; c++)
		text_line(out, col_x[c], y, 3, col_w[c], "fill=\"#555\"", titles[c]);
	y += 1.5;
	{
		char		tmp[160];

		snprintf(tmp, sizeof(tmp),
				 "<path d=\"M%.2f %.2fH%.2f\" stroke=\"#999\" stroke-width=\"0.3\"/>\n",
				 MARGIN, y, PAGE_W - MARGIN);
		shc_buf_append_str(out, tmp);
	}
	for (i = first; i < first + count && i < nrows; i++)
	{
		y += rowh;
		for (c = 0; c < 4; c++)
		{
			double		under = y + font * 0.75;	/* the small print's line */

			if (rows[i].wrap && rows[i].small[c] && rows[i].cell[c] &&
				utf8_chars(rows[i].cell[c]) > wrap_cap(c))
			{
				char	   *a,
						   *b;

				split2(rows[i].cell[c], &a, &b);
				text_line(out, col_x[c], y, font * 0.9, col_w[c], NULL, a);
				if (b)
					text_line(out, col_x[c], y + font * 0.95, font * 0.9, col_w[c], NULL, b);
				under = y + font * 1.7;
			}
			else
				text_line(out, col_x[c], y, font, col_w[c], NULL, rows[i].cell[c]);
			if (rows[i].small[c])
				text_line(out, col_x[c], under, font * 0.55, col_w[c],
						  "fill=\"#555\"", rows[i].small[c]);
		}
		if (rows[i].wrap)
			y += rowh * 0.5;
	}
	return y + 8;
}

/* what the page of shc_card_svg shows, read from the payload */
typedef struct card_page
{
	char	   *iss;
	char	   *issued;
	char	   *holder;
	char	   *birth;
	row		   *imm;
	row		   *lab;
	int			nimm;
	int			nlab;
	int			nother;			/* entries neither shown nor the patient */
} card_page;

/* the payload's claims and the rows of its bundle's entries, into pg */
static void
card_page_read(Jsonb *jb, card_page *pg)
{
	JsonbValue	root;
	JsonbValue *entries;
	int			nent,
				i;

	memset(pg, 0, sizeof(*pg));
	root.type = jbvBinary;
	root.val.binary.data = &jb->root;
	root.val.binary.len = VARSIZE(jb) - VARHDRSZ;

	pg->iss = jstr(jget(&root, "iss"));
	pg->issued = nbf_date(jget(&root, "nbf"));
	entries = jget(jget(jget(jget(&root, "vc"), "credentialSubject"), "fhirBundle"), "entry");
	nent = jlen(entries);
	pg->imm = palloc0(sizeof(row) * Max(nent, 1));
	pg->lab = palloc0(sizeof(row) * Max(nent, 1));
	for (i = 0; i < nent; i++)
	{
		JsonbValue *res = jget(jidx(entries, i), "resource");
		JsonbValue *rt = jget(res, "resourceType");
		char	   *status = jstr(jget(res, "status"));
		bool		odd_status = status != NULL &&
			strcmp(status, "completed") != 0 && strcmp(status, "final") != 0 &&
			strcmp(status, "amended") != 0 && strcmp(status, "corrected") != 0;

		CHECK_FOR_INTERRUPTS();

		if (jis(rt, "Patient"))
		{
			if (pg->holder == NULL)
			{
				pg->holder = patient_name(res);
				pg->birth = jstr(jget(res, "birthDate"));
			}
		}
		else if (jis(rt, "Immunization"))
		{
			row		   *r = &pg->imm[pg->nimm++];
			char	   *vac = concept_text(jget(res, "vaccineCode"), &r->small[1]);

			r->cell[0] = jstr(jget(res, "occurrenceDateTime"));
			if (r->cell[0] == NULL)
				r->cell[0] = jstr(jget(res, "occurrenceString"));
			/* a status other than completed is shown with the vaccine */
			r->cell[1] = odd_status ? psprintf("%s (%s)", vac ? vac : "?", status) : vac;
			r->cell[2] = jstr(jget(res, "lotNumber"));
			r->cell[3] = performer_text(res);
		}
		else if (jis(rt, "Observation"))
		{
			row		   *r = &pg->lab[pg->nlab++];
			char	   *val = observation_value(res, &r->small[2]);

			r->cell[0] = jstr(jget(res, "effectiveDateTime"));
			r->cell[1] = concept_text(jget(res, "code"), &r->small[1]);
			r->cell[2] = odd_status ? psprintf("%s (%s)", val ? val : "?", status) : val;
			r->cell[3] = performer_text(res);
		}
		else
			pg->nother++;
	}
}

/*
 * The rows' height, and how many of each table fit: rows share the table
 * area and shrink.  A row whose looked-up name takes two lines is one and a
 * half rows; when not every entry would fit so, names take one line
 * (shrunk, cut).  Sets each row's wrap.
 */
static double
card_page_layout(card_page *pg, double avail, int *shown_imm, int *shown_lab)
{
	int			nimm = pg->nimm;
	int			nlab = pg->nlab;
	double		want = 0;
	double		used = 0;
	double		rowh;
	int			k;

	for (k = 0; k < nimm + nlab; k++)
	{
		row		   *r = k < nimm ? &pg->imm[k] : &pg->lab[k - nimm];
		int			c;

		for (c = 0; c < 4; c++)
			if (r->small[c] && r->cell[c] && utf8_chars(r->cell[c]) > wrap_cap(c))
				r->wrap = true;
		want += r->wrap ? 1.5 : 1.0;
	}
	/* names take two lines only when every entry still fits the page */
	if (want * 3.6 > avail)
	{
		for (k = 0; k < nimm + nlab; k++)
			(k < nimm ? &pg->imm[k] : &pg->lab[k - nimm])->wrap = false;
		want = nimm + nlab;
	}
	rowh = want > 0 ? Min(7.0, avail / want) : 7.0;
	rowh = Max(rowh, 3.6);		/* a 2.2 mm (6 pt) font at the least */
	*shown_imm = *shown_lab = 0;
	for (k = 0; k < nimm + nlab; k++)
	{
		row		   *r = k < nimm ? &pg->imm[k] : &pg->lab[k - nimm];

		used += r->wrap ? 1.5 : 1.0;
		if (used * rowh > avail + 1e-9)
			break;
		if (k < nimm)
			(*shown_imm)++;
		else
			(*shown_lab)++;
	}
	return rowh;
}

/* the page's head: title, holder, issuer and dates, left of the QR code */
static void
card_page_head(shc_buf *out, const char *title, const card_page *pg)
{
	char		tmp[512];

	snprintf(tmp, sizeof(tmp),
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
			 "width=\"%.0fmm\" height=\"%.0fmm\" viewBox=\"0 0 %.0f %.0f\" "
			 "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" fill=\"#000\">\n"
			 "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
			 PAGE_W, PAGE_H, PAGE_W, PAGE_H, PAGE_W, PAGE_H);
	shc_buf_append_str(out, tmp);

	text_line(out, MARGIN, 26, 8, PAGE_W - 2 * MARGIN, "font-weight=\"bold\"", title);
	text_line(out, MARGIN, 33, 3.2, PAGE_W - 2 * MARGIN, "fill=\"#555\"",
			  "Content as written in the card; not a verification result");

	text_line(out, MARGIN, 50, 3.2, 100, "fill=\"#555\"", "Name");
	text_line(out, MARGIN, 58, 6.5, 100, "font-weight=\"bold\"",
			  pg->holder ? pg->holder : "(no name in the card)");
	text_line(out, MARGIN, 70, 3.2, 100, "fill=\"#555\"", "Date of birth");
	text_line(out, MARGIN, 78, 5.5, 100, NULL, pg->birth ? pg->birth : "(not in the card)");
	text_line(out, MARGIN, 90, 3.2, 100, "fill=\"#555\"", "Issuer");
	text_line(out, MARGIN, 96, 3.8, 100, NULL, pg->iss ? pg->iss : "(not in the card)");
	text_line(out, MARGIN, 106, 3.2, 100, "fill=\"#555\"", "Issued");
	text_line(out, MARGIN, 112, 3.8, 100, NULL, pg->issued ? pg->issued : "(not in the card)");
}

/* the QR code, with its quiet zone, at the top right */
static void
card_page_qr(shc_buf *out, shc_qr_symbol *sym)
{
	char		tmp[512];
	double		scale = QR_SIZE / (sym->width + 2 * QR_QUIET);

	snprintf(tmp, sizeof(tmp),
			 "<g transform=\"translate(%.2f %.2f) scale(%.5f)\" shape-rendering=\"crispEdges\">"
			 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"",
			 PAGE_W - MARGIN - QR_SIZE, 40.0, scale,
			 sym->width + 2 * QR_QUIET, sym->width + 2 * QR_QUIET);
	shc_buf_append_str(out, tmp);
	shc_qr_svg_path_data(sym, QR_QUIET, out);
	shc_buf_append_str(out, "\"/></g>\n");
}

/*
 * The immunization and result tables: rows share the table area; they
 * shrink, then what is left is counted in a line under the tables.
 */
static void
card_page_tables(shc_buf *out, card_page *pg)
{
	static const char *const imm_titles[4] = {"Date", "Vaccine", "Lot", "Performer"};
	static const char *const lab_titles[4] = {"Date", "Test", "Result", "Performer"};
	int			sections = (pg->nimm > 0) + (pg->nlab > 0);
	double		avail = TABLE_BOTTOM - TABLE_TOP - sections * 16.0;
	int			want = pg->nimm + pg->nlab;
	int			shown_imm,
				shown_lab;
	double		rowh,
				y;

	rowh = card_page_layout(pg, avail, &shown_imm, &shown_lab);

	y = TABLE_TOP;
	if (pg->nimm > 0)
		y = table(out, y, rowh, "Immunizations", imm_titles, pg->imm, pg->nimm, 0, shown_imm);
	if (pg->nlab > 0)
		y = table(out, y, rowh, "Results", lab_titles, pg->lab, pg->nlab, 0, shown_lab);
	if (want == 0)
		text_line(out, MARGIN, y, 4, PAGE_W - 2 * MARGIN, NULL,
				  "The card holds no immunization or result.");
	if (shown_imm + shown_lab < want || pg->nother > 0)
	{
		StringInfoData s;
		int			hidden = want - shown_imm - shown_lab;

		initStringInfo(&s);

		if (hidden > 0)
			appendStringInfo(&s, "%d more %s not fit this page.", hidden,
							 hidden == 1 ? "entry does" : "entries do");
		if (pg->nother > 0)
			appendStringInfo(&s, "%sThe card also holds %d other %s.",
							 hidden > 0 ? " " : "", pg->nother,
							 pg->nother == 1 ? "entry" : "entries");
		text_line(out, MARGIN, TABLE_BOTTOM + 4, 3.2, PAGE_W - 2 * MARGIN,
				  "fill=\"#555\"", s.data);
	}
}

/* the footer, and the end of the document */
static void
card_page_foot(shc_buf *out)
{
	char		tmp[512];

	snprintf(tmp, sizeof(tmp),
			 "<path d=\"M%.2f %.2fH%.2f\" stroke=\"#999\" stroke-width=\"0.3\"/>\n",
			 MARGIN, 253.0, PAGE_W - MARGIN);
	shc_buf_append_str(out, tmp);
	text_line(out, MARGIN, 259, 3, PAGE_W - 2 * MARGIN, "fill=\"#555\"",
			  "This page shows what the card contains; it is not a verification result.");
	text_line(out, MARGIN, 264, 3, PAGE_W - 2 * MARGIN, "fill=\"#555\"",
			  "To check the issuer's signature, scan the QR code with a SMART Health Card verifier.");
	shc_buf_append_str(out, "</svg>\n");
}

/*
 * shc_card_svg(card text, title text) returns text
 */
PG_FUNCTION_INFO_V1(shc_card_svg_sql);
Datum
shc_card_svg_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	char	   *title = text_to_cstring(PG_GETARG_TEXT_PP(1));
	shc_qr_symbol sym;
	Jsonb	   *jb;
	card_page	pg;
	shc_buf		out;

	/* the QR first: it refuses a card too long for one symbol */
	shc_qrimg_symbol_or_raise(card, &sym);
	jb = card_payload(VARDATA_ANY(card), VARSIZE_ANY_EXHDR(card));
	if (!JB_ROOT_IS_OBJECT(jb))
	{
		shc_error	err;

		shc_error_set(&err, SHC_ERR_PAYLOAD, "The decompressed payload is not a JSON object.");
		shc_raise(&err);
	}
	card_page_read(jb, &pg);

	shc_buf_init(&out, &shc_pg_allocator, 0);
	card_page_head(&out, title, &pg);
	card_page_qr(&out, &sym);
	shc_qr_symbol_free(&sym);
	card_page_tables(&out, &pg);
	card_page_foot(&out);

	PG_FREE_IF_COPY(card, 0);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}
