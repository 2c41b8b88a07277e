-- QR symbols and their images (SHC-NOTES section 8): shc_qr_info,
-- shc_qr_png, shc_qr_svg, and every error a user can cause.
-- The images are checked by structure here; test/tiers/70-qrscan.sh scans
-- them with a real QR reader.

-- size report: smallest version at level L, V22 for 1195 characters,
-- NULL version and more QR codes beyond
SELECT n, (shc_qr_info(repeat('a', n))).*
  FROM unnest(ARRAY[1, 17, 100, 804, 1000, 1100, 1195, 1196, 2382, 2383, 3285, 200000]) AS n;
-- a shc:/ text is taken as it is; a chunk reports its own symbol
SELECT * FROM shc_qr_info(shc_qr_numeric('eyJ6aXAiOiJERUYifQ.AbC-_9.xyz'));
SELECT * FROM shc_qr_info((shc_qr_chunks(repeat('b', 3285)))[2]);
-- a chunk whose header has two-digit numbers and 1191 characters needs
-- version 23: it does not fit
SELECT * FROM shc_qr_info('shc:/10/10/' || repeat('52', 1191));
SELECT * FROM shc_qr_info('shc:/9/9/' || repeat('52', 1191));

-- PNG: signature, IHDR 1-bit greyscale, the side in pixels, IEND last
CREATE FUNCTION public.regress_png(p bytea, OUT signature text, OUT ihdr text,
                            OUT width int, OUT height int, OUT depth int,
                            OUT colour int, OUT idat text, OUT iend text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(substring(p FROM 1 FOR 8), 'hex'),
         convert_from(substring(p FROM 13 FOR 4), 'SQL_ASCII'),
         ('x' || encode(substring(p FROM 17 FOR 4), 'hex'))::bit(32)::int,
         ('x' || encode(substring(p FROM 21 FOR 4), 'hex'))::bit(32)::int,
         get_byte(p, 24), get_byte(p, 25),
         convert_from(substring(p FROM 38 FOR 4), 'SQL_ASCII'),
         encode(substring(p FROM length(p) - 11), 'hex')
$$;
SELECT * FROM regress_png(shc_qr_png(repeat('a', 804)));            -- 89 + 2*4 modules, 8 px
SELECT * FROM regress_png(shc_qr_png(repeat('a', 804), 1, 0));      -- 89 pixels
SELECT * FROM regress_png(shc_qr_png(repeat('a', 1195), quiet_zone => 16, module_px => 64));
SELECT * FROM regress_png(shc_qr_png(shc_qr_numeric('abc'), 3));    -- version 1: 21 + 8 modules
-- the same symbol from the JWS and from its shc:/ text
SELECT shc_qr_png('abc') = shc_qr_png(shc_qr_numeric('abc')) AS same_png,
       shc_qr_svg('abc') = shc_qr_svg(shc_qr_numeric('abc')) AS same_svg;

-- SVG: one path, a viewBox in modules, pixel size from module_px
SELECT left(s, 200) AS head, right(s, 10) AS tail,
       (SELECT count(*) FROM regexp_matches(s, '<path', 'g')) AS paths,
       length(s) AS chars
  FROM (SELECT shc_qr_svg('abc', 10, 2) AS s) t;
SELECT substring(shc_qr_svg(repeat('a', 804)) FROM 'viewBox="[^"]*"') AS viewbox,
       substring(shc_qr_svg(repeat('a', 804), 2, 4) FROM 'width="[^"]*"') AS width;
-- libqrencode is deterministic: the whole small symbol is pinned
SELECT md5(shc_qr_svg('abc', 1, 0)) AS svg_md5;

-- errors
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_qr_png('')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc def')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png(E'abc\u00e9')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('SHC:/0001')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png(repeat('a', 1196))$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg(repeat('a', 200000))$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/' || repeat('52', 1196))$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/10/10/' || repeat('52', 1191))$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/1/2/' || repeat('52', 1192))$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/000')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('shc:/0078')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/0002')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/00 01')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/1/1/0001')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/3/2/0001')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/1/100/0001')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc', 0)$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc', -8)$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc', 65)$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc', 2147483647, 2147483647)$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('abc', 1000000)$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('abc', 8, -1)$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('abc', 8, 17)$$);
SELECT * FROM regress_error($$SELECT shc_qr_info('')$$);
SELECT * FROM regress_error($$SELECT shc_qr_info(repeat('a', 2000) || '=')$$);
SELECT * FROM regress_error($$SELECT shc_qr_info('shc:/0078')$$);
SELECT * FROM regress_error($$SELECT shc_qr_info('shc:/1/1/0001')$$);

\pset format aligned
-- STRICT: NULL in, NULL out
SELECT shc_qr_png(NULL) IS NULL AS n1, shc_qr_svg('abc', NULL) IS NULL AS n2,
       shc_qr_png('abc', 8, NULL) IS NULL AS n3, shc_qr_info(NULL) IS NULL AS n4;
DROP FUNCTION regress_png(bytea);
