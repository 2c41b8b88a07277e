/*
 * shc_error.c
 *		The palloc allocator for the core and the one place a core status is
 *		raised: with the message and SQLSTATE of the status table in
 *		src/core/shc_core.c (STYLE.md, "Errors"); and the error context
 *		callback that hides key-handling statements from the server log.
 */
#include "shc_glue.h"

#include "miscadmin.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "core/shc_card.h"

static void *
pg_alloc(size_t size, void *ctx)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

static void *
pg_realloc(void *ptr, size_t oldsize, size_t size, void *ctx)
{
	/* repalloc_extended is PostgreSQL 16+; copy by hand */
	void	   *n = palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

	if (n == NULL)
		return NULL;
	memcpy(n, ptr, Min(oldsize, size));
	pfree(ptr);
	return n;
}

static void
pg_free(void *ptr, void *ctx)
{
	pfree(ptr);
}

/* the core's long loops look at cancels and statement_timeout */
static void
pg_interrupt(void *ctx)
{
	CHECK_FOR_INTERRUPTS();
}

const shc_allocator shc_pg_allocator = {pg_alloc, pg_realloc, pg_free, NULL, pg_interrupt};

/* the SQLSTATE of the status table (src/core/shc_core.c) */
int
shc_status_sqlstate(shc_status st)
{
	const char *c = shc_status_sqlstate_text(st);

	return MAKE_SQLSTATE(c[0], c[1], c[2], c[3], c[4]);
}

void
shc_raise_hint(const shc_error *err, const char *hint)
{
	ereport(ERROR,
			(errcode(shc_status_sqlstate(err->status)),
			 errmsg_internal("%s", shc_status_name(err->status)),
			 err->detail[0] ? errdetail_internal("%s", err->detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

void
shc_raise(const shc_error *err)
{
	shc_raise_hint(err, NULL);
}

void
shc_check_iss(const char *iss, size_t n, const char *hint)
{
	shc_error	err;

	if (shc_card_check_iss(iss, n, &err) != SHC_OK)
		shc_raise_hint(&err, hint);
}

void
shc_check_kid(const char *kid, size_t n)
{
	if (!shc_card_kid_ok(kid, n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid kid"),
				 errdetail("A kid is the 43-character base64url RFC 7638 thumbprint of the key.")));
}

text *
shc_buf_to_text(shc_buf *b)
{
	text	   *t = cstring_to_text_with_len(b->data ? b->data : "", (int) b->len);

	shc_buf_free(b);
	return t;
}

/* ---------------------------------------------------------------------
 * Hiding statements of key-handling functions from the server log
 * ---------------------------------------------------------------------
 */

static void
hide_statement_callback(void *arg)
{
	/* runs inside errfinish for the error being reported */
	errhidestmt(true);
	errhidecontext(true);
}

void
shc_hide_statement_push(ErrorContextCallback *cb)
{
	cb->callback = hide_statement_callback;
	cb->arg = NULL;
	cb->previous = error_context_stack;
	error_context_stack = cb;
}

void
shc_hide_statement_pop(ErrorContextCallback *cb)
{
	error_context_stack = cb->previous;
}
