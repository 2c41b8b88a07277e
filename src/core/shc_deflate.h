/*
 * shc_deflate.h
 *		Raw DEFLATE (RFC 1951), as the JWS "zip":"DEF" header requires
 *		(SHC-NOTES section 4.1): compressed with libdeflate, inflated with
 *		zlib (windowBits -15) under a cap.
 */
#ifndef SHC_DEFLATE_H
#define SHC_DEFLATE_H

#include "shc_core.h"

/*
 * Compress in[0..n) at the given level (1..9, libdeflate's levels of the
 * same names; SHC cards use 9),
 * appending the raw stream (no zlib or gzip wrapper) to out.
 */
shc_status	shc_deflate_raw(const uint8_t *in, size_t n, int level,
							shc_buf *out, shc_error *err);

/*
 * Decompress the raw DEFLATE stream in[0..n), appending at most max_out
 * bytes to out.  Returns SHC_ERR_INFLATE_TOO_LARGE as soon as the output
 * would pass max_out (so a bomb costs at most max_out bytes of memory and
 * the time to produce them), SHC_ERR_INFLATE for an empty, truncated or
 * corrupt stream, for a zlib/gzip-wrapped stream, and for bytes left over
 * after the final block.  max_out may be SIZE_MAX for no cap but memory.
 */
shc_status	shc_inflate_raw(const uint8_t *in, size_t n, size_t max_out,
							shc_buf *out, shc_error *err);

/*
 * Inflate at most max_out bytes of the start of a raw DEFLATE stream into
 * out: a bounded look at a payload nobody vouched for.  Stops without an
 * error at max_out, at the end of the stream or where the input ends (a
 * prefix of a stream is fine); SHC_ERR_INFLATE only for corrupt data.
 */
shc_status	shc_inflate_prefix(const uint8_t *in, size_t n, size_t max_out,
							   shc_buf *out, shc_error *err);

#endif
