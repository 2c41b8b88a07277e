/*
 * shc_secret.c
 *		The root key and the glue API for secrets at rest (shc_secret.h):
 *		the shc.root_key_* settings, reading the root key from a file or a
 *		command, sealing and opening secrets, the wiping allocation for
 *		opened secrets, and running a piece of code as the extension owner.
 *
 * Map: settings; the root keys in memory; loading them; the wiping
 * allocation; seal and open; running as the owner.
 *
 * Settings (all PGC_SIGHUP and GUC_SUPERUSER_ONLY: only a superuser can
 * name them, in postgresql.conf or ALTER SYSTEM, and only a superuser can
 * read them back):
 *   shc.root_key_file             file holding 64 hex digits (32 bytes);
 *                                 must be a regular file that neither
 *                                 group nor others can read
 *   shc.root_key_command          command printing the same (run with the
 *                                 server's OS user, like archive_command)
 *   shc.root_key_previous_file    the key being rotated away from
 *   shc.root_key_previous_command
 * A backend reads a root key the first time it needs it and keeps it in
 * static memory, wiped when the settings change (reload) and at exit.
 */
#include "shc_glue.h"

#include <sys/stat.h>

#include "miscadmin.h"
#include "catalog/pg_authid.h"
#include "utils/acl.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "catalog/namespace.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "catalog/pg_class.h"
#include "access/htup_details.h"
#include "access/genam.h"
#include "access/xact.h"
#include "access/table.h"
#include "storage/lmgr.h"
#include "utils/snapmgr.h"

#include "core/shc_aead.h"
#include "shc_secret.h"

/* ---------------------------------------------------------------------
 * Settings
 * ---------------------------------------------------------------------
 */

static char *root_key_file;
static char *root_key_command;
static char *prev_key_file;
static char *prev_key_command;

typedef struct root_key
{
	bool		loaded;			/* tried since the last settings change */
	bool		present;		/* a key is configured and was read */
	uint8_t		key[SHC_AEAD_KEY_LEN];
	uint8_t		id[SHC_AEAD_KEY_ID_LEN];
} root_key;

static root_key cur_key;
static root_key prev_key;

static void
wipe_keys(void)
{
	shc_memzero(&cur_key, sizeof(cur_key));
	shc_memzero(&prev_key, sizeof(prev_key));
}

static void
wipe_keys_at_exit(int code, Datum arg)
{
	wipe_keys();
}

/* any change of a setting forgets the keys read under the old ones */
static void
key_setting_assign(const char *newval, void *extra)
{
	wipe_keys();
}

/*
 * GUC_ALLOW_IN_PARALLEL (issue 22): when a session first loads the library
 * inside a parallel query, the value postgresql.conf gives a setting is
 * applied in parallel mode; without the flag PostgreSQL refused it with a
 * WARNING to the client and the session went on without its root key.
 */
#define SHC_ROOT_KEY_GUC_FLAGS (GUC_SUPERUSER_ONLY | SHC_GUC_ALLOW_IN_PARALLEL)

void
shc_secret_init(void)
{
	DefineCustomStringVariable("shc.root_key_file",
							   "File holding the root key that seals private keys and secrets.",
							   "64 hexadecimal digits (openssl rand -hex 32), readable only by "
							   "the server's OS user.",
							   &root_key_file, "", PGC_SIGHUP, SHC_ROOT_KEY_GUC_FLAGS,
							   NULL, key_setting_assign, NULL);
	DefineCustomStringVariable("shc.root_key_command",
							   "Command that prints the root key (instead of shc.root_key_file).",
							   NULL,
							   &root_key_command, "", PGC_SIGHUP, SHC_ROOT_KEY_GUC_FLAGS,
							   NULL, key_setting_assign, NULL);
	DefineCustomStringVariable("shc.root_key_previous_file",
							   "File holding the previous root key, during a root key rotation.",
							   NULL,
							   &prev_key_file, "", PGC_SIGHUP, SHC_ROOT_KEY_GUC_FLAGS,
							   NULL, key_setting_assign, NULL);
	DefineCustomStringVariable("shc.root_key_previous_command",
							   "Command that prints the previous root key, during a root key rotation.",
							   NULL,
							   &prev_key_command, "", PGC_SIGHUP, SHC_ROOT_KEY_GUC_FLAGS,
							   NULL, key_setting_assign, NULL);
	on_proc_exit(wipe_keys_at_exit, (Datum) 0);
}

/* ---------------------------------------------------------------------
 * Loading a root key
 * ---------------------------------------------------------------------
 */

#define ROOT_KEY_TEXT_MAX 256

/*
 * Issue 22: no message names the file or the command.  Whoever calls a
 * function that opens or seals a secret sees these errors, also a role
 * that may not read the superuser-only settings (and a command line can
 * carry a token); the detail says what went wrong with "the file" or "the
 * command" only, and the setting's name tells the administrator where to
 * look.
 */
static void
root_key_error(const char *setting, const char *fmt, const char *arg)
{
	ereport(ERROR,
			(errcode(ERRCODE_CONFIG_FILE_ERROR),
			 errmsg("cannot read the root key named by %s", setting),
			 errdetail(fmt, arg),
			 errhint("See the root key section of docs/security.md.")));
}

/* read at most ROOT_KEY_TEXT_MAX bytes of the file into buf; returns n */
static size_t
read_key_file(const char *setting, const char *path, char *buf)
{
	struct stat st;
	FILE	   *f;
	size_t		n;

	if (stat(path, &st) != 0)
		root_key_error(setting, "The file cannot be opened: %s.", strerror(errno));
	if (!S_ISREG(st.st_mode))
		root_key_error(setting, "%s", "It is not a regular file.");
	/* like the server's TLS key: nobody but its owner may read it */
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		root_key_error(setting, "%s", "The file has group or world access; it must be mode 0600 or 0400.");
	f = AllocateFile(path, "rb");
	if (f == NULL)
		root_key_error(setting, "The file cannot be opened: %s.", strerror(errno));
	n = fread(buf, 1, ROOT_KEY_TEXT_MAX, f);
	FreeFile(f);
	return n;
}

static size_t
read_key_command(const char *setting, const char *cmd, char *buf)
{
	FILE	   *f;
	size_t		n;
	int			rc;

	fflush(NULL);
	f = OpenPipeStream(cmd, "r");
	if (f == NULL)
		root_key_error(setting, "The command cannot be run: %s.", strerror(errno));
	n = fread(buf, 1, ROOT_KEY_TEXT_MAX, f);
	/* drain what is left so the command does not die of SIGPIPE */
	{
		char		rest[64];

		while (fread(rest, 1, sizeof(rest), f) > 0)
			n = ROOT_KEY_TEXT_MAX + 1;
		shc_memzero(rest, sizeof(rest));
	}
	rc = ClosePipeStream(f);
	if (rc != 0)
	{
		shc_memzero(buf, ROOT_KEY_TEXT_MAX);
		/* "child process was terminated by signal 2: Interrupt": no text of the command */
		root_key_error(setting, "The command failed: %s.", wait_result_to_str(rc));
	}
	return n;
}

static void
load_key(root_key *k, const char *file, const char *command,
		 const char *file_setting, const char *command_setting)
{
	char		buf[ROOT_KEY_TEXT_MAX];
	size_t		n;
	shc_error	err;
	bool		has_file = file != NULL && file[0] != '\0';
	bool		has_cmd = command != NULL && command[0] != '\0';

	if (k->loaded)
		return;
	shc_memzero(k, sizeof(*k));
	if (has_file && has_cmd)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("%s and %s are both set", file_setting, command_setting),
				 errhint("Set only one of them.")));
	if (!has_file && !has_cmd)
	{
		k->loaded = true;
		return;
	}
	n = has_file ? read_key_file(file_setting, file, buf)
		: read_key_command(command_setting, command, buf);
	if (n > ROOT_KEY_TEXT_MAX - 1 ||
		shc_aead_key_parse(buf, n, k->key, &err) != SHC_OK)
	{
		shc_memzero(buf, sizeof(buf));
		shc_memzero(k, sizeof(*k));
		root_key_error(has_file ? file_setting : command_setting,
					   "%s", n > ROOT_KEY_TEXT_MAX - 1
					   ? "It is longer than a root key (64 hexadecimal digits)."
					   : err.detail);
	}
	shc_memzero(buf, sizeof(buf));
	if (shc_aead_key_id(k->key, k->id, &err) != SHC_OK)
	{
		shc_memzero(k, sizeof(*k));
		shc_raise(&err);
	}
	k->present = true;
	k->loaded = true;
}

static root_key *
current_key(void)
{
	load_key(&cur_key, root_key_file, root_key_command,
			 "shc.root_key_file", "shc.root_key_command");
	return &cur_key;
}

static root_key *
previous_key(void)
{
	load_key(&prev_key, prev_key_file, prev_key_command,
			 "shc.root_key_previous_file", "shc.root_key_previous_command");
	return &prev_key;
}

static void
id_hex(const uint8_t *id, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int			i;

	for (i = 0; i < SHC_AEAD_KEY_ID_LEN; i++)
	{
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[2 * SHC_AEAD_KEY_ID_LEN] = '\0';
}

char *
shc_root_key_id_hex(void)
{
	root_key   *k = current_key();
	char	   *out;

	if (!k->present)
		return NULL;
	out = palloc(2 * SHC_AEAD_KEY_ID_LEN + 1);
	id_hex(k->id, out);
	return out;
}

char *
shc_root_key_previous_id_hex(void)
{
	root_key   *k = previous_key();
	char	   *out;

	if (!k->present)
		return NULL;
	out = palloc(2 * SHC_AEAD_KEY_ID_LEN + 1);
	id_hex(k->id, out);
	return out;
}

/* ---------------------------------------------------------------------
 * Sealing and root key rotation (issue 22)
 * ---------------------------------------------------------------------
 *
 * A backend reads its settings between statements, so a statement (or a
 * transaction) that began before a reload can seal under the old root key
 * and commit after shc_root_key_rotate() has resealed everything it saw.
 * Two rules close that:
 *   - every transaction that seals holds ROW SHARE on
 *     shc.shc_root_key_retired until it ends, and the rotation takes
 *     EXCLUSIVE on it first: the rotation waits for every transaction that
 *     has sealed, and then sees (READ COMMITTED) what they stored;
 *   - the rotation records the root key it rotated away from in that
 *     table, and sealing refuses a root key recorded there (read with the
 *     latest snapshot after the lock, so a rotation that committed while
 *     this statement ran is seen): the statement fails with a retryable
 *     error and its next run reads the new settings.
 */
static void
seal_guard(const root_key *k)
{
	Oid			nsp = get_namespace_oid("shc", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("shc_root_key_retired", nsp) : InvalidOid;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	char		mine[2 * SHC_AEAD_KEY_ID_LEN + 1];
	bool		retired = false;

	/* the update from 0.1.0 seals before 0.3.0 creates the table */
	if (!OidIsValid(relid))
		return;
	LockRelationOid(relid, RowShareLock);
	id_hex(k->id, mine);
	rel = table_open(relid, NoLock);
	scan = systable_beginscan(rel, InvalidOid, false, GetLatestSnapshot(), 0, NULL);
	while (!retired && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 1, RelationGetDescr(rel), &isnull);

		retired = !isnull && strcmp(TextDatumGetCString(d), mine) == 0;
	}
	systable_endscan(scan);
	table_close(rel, NoLock);
	if (retired)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("cannot store a secret: the root key of this session was rotated away"),
				 errdetail("shc_root_key_rotate() resealed the stored secrets under a new root key after this session read root key %s.", mine),
				 errhint("Run the statement again; a new statement reads the new settings.")));
}

void
shc_secret_rotation_lock(void)
{
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("cannot rotate the root key in a REPEATABLE READ or SERIALIZABLE transaction"),
				 errdetail("The rotation waits for the transactions that sealed secrets and must then see what they stored."),
				 errhint("Call shc_root_key_rotate() in a READ COMMITTED transaction.")));
	LockRelationOid(shc_rel_oid("shc_root_key_retired"), ExclusiveLock);
}

/* ---------------------------------------------------------------------
 * The wiping allocation
 * ---------------------------------------------------------------------
 */

typedef struct secret_block
{
	MemoryContextCallback cb;
	unsigned char *p;
	size_t		len;
} secret_block;

static void
secret_wipe_callback(void *arg)
{
	secret_block *b = (secret_block *) arg;

	shc_memzero(b->p, b->len + 1);
}

unsigned char *
shc_secret_alloc(size_t len)
{
	MemoryContext cxt;
	secret_block *b;

	if (len > MaxAllocSize - 1)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("secret is too long")));
	cxt = AllocSetContextCreate(CurrentMemoryContext, "shc secret",
								ALLOCSET_SMALL_SIZES);
	b = MemoryContextAlloc(cxt, sizeof(*b));
	b->p = MemoryContextAllocZero(cxt, len + 1);
	b->len = len;
	b->cb.func = secret_wipe_callback;
	b->cb.arg = b;
	MemoryContextRegisterResetCallback(cxt, &b->cb);
	return b->p;
}

void
shc_secret_free(unsigned char *p, size_t len)
{
	if (p == NULL)
		return;
	shc_memzero(p, len);
	/* the deletion runs secret_wipe_callback over the whole block */
	MemoryContextDelete(GetMemoryChunkContext(p));
}

/* ---------------------------------------------------------------------
 * Seal and open
 * ---------------------------------------------------------------------
 */

bytea *
shc_secret_seal(const char *aad, const unsigned char *plain, size_t len)
{
	root_key   *k = current_key();
	bytea	   *out;
	shc_error	err;

	if (!k->present)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot store a secret: no root key is configured"),
				 errdetail("shc stores private keys and revocation secrets only encrypted under a root key kept outside the database."),
				 errhint("A superuser sets shc.root_key_file or shc.root_key_command in postgresql.conf and reloads the configuration; see docs/security.md.")));
	if (len > SHC_AEAD_MAX_PLAIN)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("secret is too long")));
	seal_guard(k);
	out = palloc(VARHDRSZ + len + SHC_AEAD_OVERHEAD);
	SET_VARSIZE(out, VARHDRSZ + len + SHC_AEAD_OVERHEAD);
	if (shc_aead_seal(k->key, k->id, aad, strlen(aad), plain, len,
					  (uint8_t *) VARDATA(out), &err) != SHC_OK)
		shc_raise(&err);
	return out;
}

/* the configured key (current or previous) whose id the sealed value names */
static root_key *
key_for(const bytea *sealed, const char *action)
{
	uint8_t		id[SHC_AEAD_KEY_ID_LEN];
	char		want[2 * SHC_AEAD_KEY_ID_LEN + 1];
	char		have[2 * SHC_AEAD_KEY_ID_LEN + 1];
	root_key   *cur,
			   *prev;
	shc_error	err;

	if (shc_aead_sealed_key_id((const uint8_t *) VARDATA_ANY(sealed),
							   VARSIZE_ANY_EXHDR(sealed), id, &err) != SHC_OK)
		shc_raise(&err);
	cur = current_key();
	if (cur->present && memcmp(cur->id, id, sizeof(id)) == 0)
		return cur;
	prev = previous_key();
	if (prev->present && memcmp(prev->id, id, sizeof(id)) == 0)
		return prev;
	id_hex(id, want);
	if (cur->present)
		id_hex(cur->id, have);
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("cannot %s: the root key that sealed it is not configured",
					action),
			 errdetail("It was sealed under root key %s; %s.", want,
					   cur->present ? psprintf("this server's root key is %s", have)
					   : "this server has no root key"),
			 errhint("A superuser configures that root key in shc.root_key_file or shc.root_key_command (or, during a rotation, shc.root_key_previous_file); see docs/security.md.")));
	return NULL;				/* not reached */
}

unsigned char *
shc_secret_open_for(const char *aad, const bytea *sealed, size_t *len,
					const char *action)
{
	root_key   *k = key_for(sealed, action);
	size_t		n = VARSIZE_ANY_EXHDR(sealed) - SHC_AEAD_OVERHEAD;
	unsigned char *plain = shc_secret_alloc(n);
	shc_error	err;

	if (shc_aead_open(k->key, aad, strlen(aad),
					  (const uint8_t *) VARDATA_ANY(sealed),
					  VARSIZE_ANY_EXHDR(sealed), plain, len, &err) != SHC_OK)
	{
		shc_secret_free(plain, n);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cannot %s: its stored secret does not authenticate", action),
				 errdetail("%s", err.detail),
				 errhint("The sealed value was altered or copied from another row.")));
	}
	plain[*len] = '\0';
	return plain;
}

bytea *
shc_secret_reseal(const char *aad, const bytea *sealed)
{
	uint8_t		id[SHC_AEAD_KEY_ID_LEN];
	root_key   *cur = current_key();
	unsigned char *plain;
	size_t		n;
	bytea	   *out;
	shc_error	err;

	if (shc_aead_sealed_key_id((const uint8_t *) VARDATA_ANY(sealed),
							   VARSIZE_ANY_EXHDR(sealed), id, &err) != SHC_OK)
		shc_raise(&err);
	if (cur->present && memcmp(cur->id, id, sizeof(id)) == 0)
		return NULL;
	plain = shc_secret_open_for(aad, sealed, &n, "reseal a stored secret");
	out = shc_secret_seal(aad, plain, n);
	shc_secret_free(plain, n);
	return out;
}

/* ---------------------------------------------------------------------
 * Row identities
 * ---------------------------------------------------------------------
 */

Oid
shc_rel_oid(const char *relname)
{
	Oid			rel = get_relname_relid(relname, get_namespace_oid("shc", false));

	if (!OidIsValid(rel))
		elog(ERROR, "table shc.%s not found", relname);
	return rel;
}

void
shc_key_aad(const char *kid, char *out)
{
	snprintf(out, SHC_KEY_AAD_LEN, "shc key %s", kid);
}

char *
shc_rid_secret_aad(const char *iss, int32 version)
{
	return psprintf("shc rid secret %d %s", version, iss);
}

/* ---------------------------------------------------------------------
 * Importing from a server-side file
 * ---------------------------------------------------------------------
 */

unsigned char *
shc_secret_read_file(Oid caller, text *pathtext, size_t max, size_t *len)
{
	char	   *path = text_to_cstring(pathtext);
	struct stat st;
	FILE	   *f;
	unsigned char *buf;
	size_t		n;

	/* the rule of pg_read_file() and COPY FROM a file */
	if (!superuser_arg(caller) &&
		!has_privs_of_role(caller, ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to import from a server file"),
				 errdetail("Only superusers and members of pg_read_server_files may name server files.")));
	if (!is_absolute_path(path))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path must be absolute")));
	if (stat(path, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	if (!S_ISREG(st.st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a regular file", path)));
	if ((size_t) st.st_size > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("file \"%s\" is too large", path),
				 errdetail("A key or secret file holds at most %zu bytes.", max)));
	f = AllocateFile(path, "rb");
	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	buf = shc_secret_alloc(max);
	n = fread(buf, 1, max, f);
	if (ferror(f))
	{
		FreeFile(f);
		shc_secret_free(buf, max);
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read file \"%s\": %m", path)));
	}
	FreeFile(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---------------------------------------------------------------------
 * Running as the extension owner
 * ---------------------------------------------------------------------
 */

void
shc_as_owner(Oid owned_rel, void (*fn) (void *arg), void *arg)
{
	HeapTuple	tup;
	Oid			owner;
	Oid			save_user;
	int			save_sec;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(owned_rel));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", owned_rel);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		fn(arg);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
}
