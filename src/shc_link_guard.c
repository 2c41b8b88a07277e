/*
 * shc_link_guard.c
 *		What SMART Health Links need that SQL cannot give (issue 22,
 *		docs/health-links.md "Who may manage a link" and "Passcode
 *		attempts"):
 *
 *		shc_link_caller()	the role a management call is judged as
 *		shc_link_attempt()	the passcode failure counter of a link, kept
 *							outside every transaction
 *
 * The management functions run as the extension owner (SECURITY DEFINER),
 * where current_user is the owner.  The role that asked is the session's
 * current role (SET ROLE included), which a SECURITY DEFINER function does
 * not change: GetOuterUserId().
 *
 * The failure counter.  PostgreSQL has no autonomous transactions: a
 * counter kept in a table is given back by a ROLLBACK, or by a statement
 * that errors after it learned the answer.  So each passcode link has a
 * small file in the data directory, shc_link_attempts/<manifest id> (43
 * random base64url characters, so no two links share one), holding the number of wrong passcodes (decimal text).  A request
 * charges one attempt (read, add one, write back, under an exclusive
 * flock of the file) before the passcode is checked, and gives it back
 * only when the passcode was right; a file write is undone by no rollback,
 * so neither BEGIN ... ROLLBACK nor an error after the answer returns an
 * attempt.  The file works without shared_preload_libraries and survives
 * a restart; it is not in a pg_dump (the table's own counter, decremented
 * as before, still is).
 */
#include "shc_glue.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file_perm.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"

#define ATTEMPTS_DIR "shc_link_attempts"

PG_FUNCTION_INFO_V1(shc_link_caller_sql);
Datum
shc_link_caller_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(GetOuterUserId());
}

static void
attempt_io_error(const char *what)
{
	/* never the file name: the manifest id is the link's address */
	ereport(ERROR,
			(errcode_for_file_access(),
			 errmsg("could not %s the passcode attempt counter of a SMART Health Link: %m", what)));
}

/*
 * shc_link_attempt(manifest_id text, delta integer) returns integer: add
 * delta (1 to charge an attempt, -1 to give one back, 0 to read) to the
 * link's failure count and return the new count.  Never below zero.
 */
PG_FUNCTION_INFO_V1(shc_link_attempt_sql);
Datum
shc_link_attempt_sql(PG_FUNCTION_ARGS)
{
	text	   *mid = PG_GETARG_TEXT_PP(0);
	const char *m = VARDATA_ANY(mid);
	int			mlen = VARSIZE_ANY_EXHDR(mid);
	int32		delta = PG_GETARG_INT32(1);
	char		path[MAXPGPATH];
	char		buf[32];
	ssize_t		n;
	long		count = 0;
	int			fd;

	int			i;

	if (mlen != 43 || delta < -1 || delta > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid passcode attempt counter call")));
	for (i = 0; i < mlen; i++)
		if (!((m[i] >= 'A' && m[i] <= 'Z') || (m[i] >= 'a' && m[i] <= 'z') ||
			  (m[i] >= '0' && m[i] <= '9') || m[i] == '_' || m[i] == '-'))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid passcode attempt counter call")));
	snprintf(path, sizeof(path), "%s/%.*s", ATTEMPTS_DIR, mlen, m);
	if (delta == 0)
	{
		fd = open(path, O_RDONLY | PG_BINARY, 0);
		if (fd < 0)
		{
			if (errno == ENOENT)
				PG_RETURN_INT32(0);
			attempt_io_error("open");
		}
	}
	else
	{
		if (mkdir(ATTEMPTS_DIR, pg_dir_create_mode) < 0 && errno != EEXIST)
			attempt_io_error("create the directory of");
		fd = open(path, O_RDWR | O_CREAT | PG_BINARY, pg_file_create_mode);
		if (fd < 0)
			attempt_io_error("open");
	}
	if (flock(fd, delta == 0 ? LOCK_SH : LOCK_EX) < 0)
	{
		int			save = errno;

		close(fd);
		errno = save;
		attempt_io_error("lock");
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
	{
		int			save = errno;

		close(fd);
		errno = save;
		attempt_io_error("read");
	}
	buf[n] = '\0';
	if (n > 0)
		count = strtol(buf, NULL, 10);
	if (count < 0 || count > 1000000)
		count = 1000000;		/* unreadable: as locked as it gets */
	if (delta != 0)
	{
		count += delta;
		if (count < 0)
			count = 0;
		n = snprintf(buf, sizeof(buf), "%ld\n", count);
		if (pwrite(fd, buf, n, 0) != n || ftruncate(fd, n) < 0 ||
			pg_fsync(fd) < 0)
		{
			int			save = errno;

			close(fd);
			errno = save;
			attempt_io_error("write");
		}
	}
	close(fd);					/* releases the lock */
	PG_RETURN_INT32((int32) count);
}
