/*
 * unit.h
 *		A small TAP-style harness for the C unit tests of src/core.
 *		Each check prints "ok N - name" or "not ok N - name"; main() ends
 *		with "# P passed, F failed, S skipped".
 */
#ifndef SHC_UNIT_H
#define SHC_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shc_core.h"

extern int	unit_pass,
			unit_fail,
			unit_skip;

void		unit_check(int cond, const char *file, int line, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));
void		unit_skip_n(int n, const char *why);

/* path of a file under the shared vectors, or NULL when absent */
char	   *unit_vector_path(const char *rel);
/* whole file (NUL-terminated), or NULL */
char	   *unit_read_file(const char *path, size_t *len);

#define CHECK(cond, ...) unit_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_STATUS(expr, want, ...) \
	do { shc_status st_ = (expr); \
		 unit_check(st_ == (want), __FILE__, __LINE__, __VA_ARGS__); \
		 if (st_ != (want)) fprintf(stdout, "#   got status %d (%s), want %d\n", \
									(int) st_, shc_status_name(st_), (int) (want)); \
	} while (0)

/* suites */
void		test_b64url(void);
void		test_deflate(void);
void		test_json(void);
void		test_qr(void);
void		test_es256(void);
void		test_jws(void);
void		test_qrimg(void);
void		test_card(void);
void		test_verify(void);
void		test_rid(void);
void		test_memo(void);
void		test_claims(void);
void		test_jsonr(void);
void		test_aead(void);
void		test_qrscan(void);
void		test_shl(void);
void		test_x509(void);

#endif
