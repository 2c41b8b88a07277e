/*
 * main.c
 *		Runs every unit-test suite of src/core.
 */
#include "unit.h"

#include <stdarg.h>

int			unit_pass,
			unit_fail,
			unit_skip;

static int	unit_n;

void
unit_check(int cond, const char *file, int line, const char *fmt,...)
{
	va_list		ap;

	unit_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", unit_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (cond)
		unit_pass++;
	else
	{
		unit_fail++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

void
unit_skip_n(int n, const char *why)
{
	printf("# skip %d: %s\n", n, why);
	unit_skip += n;
}

char *
unit_vector_path(const char *rel)
{
	const char *base = getenv("SHC_VECTORS");
	char	   *p;
	FILE	   *f;

	if (base == NULL || base[0] == '\0')
		return NULL;
	p = malloc(strlen(base) + strlen(rel) + 2);
	sprintf(p, "%s/%s", base, rel);
	f = fopen(p, "rb");
	if (f == NULL)
	{
		free(p);
		return NULL;
	}
	fclose(f);
	return p;
}

char *
unit_read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t) n + 1);
	if (fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t) n;
	return buf;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_b64url();
	test_deflate();
	test_json();
	test_qr();
	test_es256();
	test_jws();
	test_qrimg();
	test_qrscan();
	test_shl();
	test_card();
	test_verify();
	test_rid();
	test_memo();
	test_claims();
	test_jsonr();
	test_aead();
	test_x509();
	test_shl();
	printf("# %d passed, %d failed, %d skipped\n", unit_pass, unit_fail, unit_skip);
	return unit_fail ? 1 : 0;
}
