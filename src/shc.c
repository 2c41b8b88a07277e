/*
 * shc.c
 *		Module entry point: PG_MODULE_MAGIC, the shc.* settings, and the
 *		version of this library (shc_library_version()).
 *
 * The settings exist in a session once the library is loaded there: by any
 * shc function, or at start when shc is in shared_preload_libraries or
 * session_preload_libraries (README "Configuration").
 */
#include "shc_glue.h"

#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

/* the extension version this library was built as (Makefile: shc.control) */
#ifndef SHC_VERSION
#error "SHC_VERSION must be defined (the Makefile takes it from shc.control)"
#endif

#include "shc_cache.h"
#include "shc_memo.h"
#include "shc_secret.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

int			shc_max_payload_size = 4 * 1024 * 1024;
int			shc_clock_skew = 300;
int			shc_max_crl_rids = 100000;
int			shc_max_issuer_keys = 1000;
int			shc_qr_scan_max_image_size = 16 * 1024 * 1024;
int			shc_qr_scan_max_pixels = 20 * 1000 * 1000;
int			shc_x5c_policy = SHC_X5C_POLICY_IGNORE;

static const struct config_enum_entry x5c_policy_options[] = {
	{"ignore", SHC_X5C_POLICY_IGNORE, false},
	{"when_present", SHC_X5C_POLICY_WHEN_PRESENT, false},
	{"required", SHC_X5C_POLICY_REQUIRED, false},
	{NULL, 0, false}
};

/*
 * Every setting carries SHC_GUC_ALLOW_IN_PARALLEL (shc_compat.h): a value set
 * before the library is loaded (postgresql.conf, SET) is applied here even
 * when the first load happens inside a parallel query.
 */
void
_PG_init(void)
{
	DefineCustomIntVariable("shc.max_payload_size",
							"Largest decompressed card payload accepted, in bytes.",
							"Protects the server against DEFLATE bombs. The largest "
							"published example inflates to about 30 kB.",
							&shc_max_payload_size,
							4 * 1024 * 1024, 1024, MaxAllocSize / 2,
							PGC_SUSET, GUC_UNIT_BYTE | SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.clock_skew",
							"Seconds a card's nbf may lie in the future and still be valid.",
							NULL,
							&shc_clock_skew,
							300, 0, 86400,
							PGC_USERSET, GUC_UNIT_S | SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.max_crl_rids",
							"Most rids one revocation list in the trust store may hold.",
							"Checked by shc_trust_crl; bounds what verifying sessions load.",
							&shc_max_crl_rids,
							100000, 1, 10000000,
							PGC_SUSET, SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.max_issuer_keys",
							"Most keys one issuer in the trust store may have.",
							"Checked by shc_trust against the issuer's JWKS.",
							&shc_max_issuer_keys,
							1000, 1, 100000,
							PGC_SUSET, SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.qr_scan_max_image_size",
							"Largest image shc_qr_scan() accepts, in bytes.",
							"Checked before the image is decoded.",
							&shc_qr_scan_max_image_size,
							16 * 1024 * 1024, 1024, MaxAllocSize / 2,
							PGC_SUSET, GUC_UNIT_BYTE | SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.qr_scan_max_pixels",
							"Largest image shc_qr_scan() decodes, in pixels (width times height).",
							"Checked from the image header before any pixel memory "
							"is allocated; decoding takes about two bytes per pixel.",
							&shc_qr_scan_max_pixels,
							20 * 1000 * 1000, 1, 200 * 1000 * 1000,
							PGC_SUSET, SHC_GUC_ALLOW_IN_PARALLEL,
							NULL, NULL, NULL);
	DefineCustomEnumVariable("shc.x5c_policy",
							 "What verifying and directory imports do with the x5c certificate chains of keys.",
							 "ignore: as 0.1.0; when_present: a card whose key has an x5c chain that "
							 "does not verify at the verification time is bad_x5c; required: so is a "
							 "card whose key has no x5c chain. A directory import skips such keys. "
							 "shc_x5c_policy_set() overrides it per issuer.",
							 &shc_x5c_policy,
							 SHC_X5C_POLICY_IGNORE, x5c_policy_options,
							 PGC_USERSET, SHC_GUC_ALLOW_IN_PARALLEL,
							 NULL, NULL, NULL);
	shc_memo_init_module();
	shc_secret_init();
	MarkGUCPrefixReserved("shc");

	shc_cache_init();
}

/*
 * shc_library_version() -> text: the version of the loaded shc.so, to
 * compare with pg_extension.extversion after a package upgrade (a library
 * newer than the SQL objects needs ALTER EXTENSION shc UPDATE).
 */
PG_FUNCTION_INFO_V1(shc_library_version_sql);
Datum
shc_library_version_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(SHC_VERSION));
}
