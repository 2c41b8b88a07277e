/*
 * shc_secret.h
 *		Secrets at rest for every part of shc: seal a secret under the root
 *		key before it is stored, open it after it is read (src/shc_secret.c;
 *		the cipher and the format are in src/core/shc_aead.h).
 *
 * The root key is not in the database: a superuser names a file readable
 * only by the server's OS user (shc.root_key_file) or a command that prints
 * it (shc.root_key_command) in postgresql.conf.  During a root key rotation
 * the previous key is named too (shc.root_key_previous_file or
 * shc.root_key_previous_command) so that secrets sealed under it still
 * open until shc.shc_root_key_rotate() has resealed them.
 *
 * Associated data: the identity of the row that stores the secret, as a
 * fixed text with the row's key ("shc key <kid>", "shc rid secret <version>
 * <iss>"), so a sealed value copied into another row does not open.
 *
 * Memory: an opened secret lives in its own memory context whose deletion
 * (shc_secret_free, or the error cleanup of the parent context) wipes it;
 * that is the one path by which secret plaintext is freed.
 */
#ifndef SHC_SECRET_H
#define SHC_SECRET_H

#include "shc_glue.h"

/*
 * Seal plain[0..len) under the current root key with associated data aad
 * (a NUL-terminated row identity).  Returns a palloc'd bytea.  Raises when
 * no root key is configured or it cannot be read.
 */
bytea	   *shc_secret_seal(const char *aad, const unsigned char *plain,
							size_t len);

/*
 * Open a sealed secret stored in the row named by aad.  Returns the
 * plaintext (NUL-terminated, *len bytes without the NUL) in a wiping
 * allocation: free it with shc_secret_free.  Raises when the root key that
 * sealed it is not configured, or when it does not authenticate; the error
 * names the action ("sign with key \"...\"" gives "cannot sign with key
 * "...": the root key that sealed it is not configured").
 */
unsigned char *shc_secret_open_for(const char *aad, const bytea *sealed,
								   size_t *len, const char *action);

/* Wipe and free what shc_secret_open_for or shc_secret_alloc returned. */
void		shc_secret_free(unsigned char *p, size_t len);

/*
 * len bytes (zeroed, plus a NUL) in a wiping allocation of the current
 * memory context: wiped when freed with shc_secret_free and when the
 * context is reset or deleted (an error unwinding through the caller).
 */
unsigned char *shc_secret_alloc(size_t len);

/*
 * Reseal a sealed secret under the current root key (for rotation).
 * Returns NULL when it is already sealed under the current key.
 */
bytea	   *shc_secret_reseal(const char *aad, const bytea *sealed);

/* The 16 hex digits of the current root key's id, or NULL when none. */
char	   *shc_root_key_id_hex(void);

/* The same for the previous root key (shc.root_key_previous_*). */
char	   *shc_root_key_previous_id_hex(void);

/*
 * Begin a root key rotation: refuse a transaction snapshot, then take
 * EXCLUSIVE on shc.shc_root_key_retired, waiting for every transaction that
 * sealed a secret (each holds ROW SHARE on it until it ends).
 */
void		shc_secret_rotation_lock(void);

/* The OID of the extension's table relname in schema shc; raises if none. */
Oid			shc_rel_oid(const char *relname);

/* Associated data of the sealed d of signing key kid: "shc key <kid>" */
#define SHC_KEY_AAD_LEN 64
void		shc_key_aad(const char *kid, char *out);

/* Associated data of a rid secret: "shc rid secret <version> <iss>" */
char	   *shc_rid_secret_aad(const char *iss, int32 version);

/*
 * The contents of a server-side file named by an absolute path, for
 * importing keys and secrets without putting them in a statement.  The
 * caller (the role running the SQL function, taken before any switch to
 * the owner) must be a superuser or a member of pg_read_server_files.
 * Returns a wiping allocation (free with shc_secret_free) of *len bytes,
 * NUL-terminated.  At most max bytes.
 */
unsigned char *shc_secret_read_file(Oid caller, text *path, size_t max,
									size_t *len);

/* Define the shc.root_key_* settings (from _PG_init). */
void		shc_secret_init(void);

/*
 * Run fn(arg) as the extension owner (the owner of relation owned_rel),
 * with SECURITY_LOCAL_USERID_CHANGE, restoring the caller's identity on
 * every path.  For functions that run as their caller (so that the caller
 * can be checked) but read tables only the extension owner may read.
 */
void		shc_as_owner(Oid owned_rel, void (*fn) (void *arg), void *arg);

#endif
