-- shc_card_svg: the printable paper card (SVG, one page that fits A4 and
-- Letter).  The cards here are our own synthetic, UNSIGNED JWS-shaped
-- strings: a real header and raw-DEFLATE payload, a signature of zeros.
-- shc_card_svg renders content and never verifies, so they are enough.
\set hdr 'eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6InN5bnRoZXRpYy1zYW1wbGUtY2FyZC1ub3Qtc2lnbmVkLWJ5LWFueW9uZTAifQ'
\set sig 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
-- holder "Jane Q. Tester <&> O'Hara", two doses, one lab result
\set sample :hdr '.3ZRBj5swEIX_SjSV2osBQ5JugqpK3bRSW602XW3ay24OxgzBlbGRbdCmEf-9MkHJqtmkl56KxGEw8_zeN-AdCGshhdK52qZRZEse4hOraomhNptIWNugAQIqKyCNr-hwEWg5pDtw2xohfTj2V8y4Epl0ZciZye2rfRH4AtYEuMEclRNM3jfZT-TOqxSlMD_QWKEVpDAJaRgD6Z9eNyqX6N8xaHVjOK76HWFYIIMD4FpK5M4rEEDlzBbShx0UjZTfjYT00J9SIIfiBeFvzAlUzkdmFe5FWCXkFlJYoXVoRu9evx8t33xmhgGBjWhReQRfmfJ-7kJYd2sCmTCu_Mic14znMxrQJEjm0HXkRVfxZVdfqqpR4hcbAlrHXGP72H5UDnMg0DLOhcKFznsFrnOhNn0Au7UOq2HMaRSV8qqfriccWZFHvH0C4jv8XgmdQbfuCNQDit5OgQaV9_acZEdAc96YfsmHXYlqL5HEAZ0EcQIEajSFNhWa3gvjThsvmQtbS-axftp_cKOFFErw0SPcauPKR4DOg5Ta3TZV5tvhZrkKPsRnISb_IcRpQMf_HuJ1chbi-DLEZWbRtCcMC6GYPMS_CE5qobhHd6Q1n0yns2CyJ2aPB8N5YlgU_ndv_wCWBDQOYnoC7JTTDcvAk2mZbPpxs0ziQiuOtftLAKt0hXkoVKEjy92zob-l49mU0rkP0vV39xs.' :sig
\set many :hdr '.5ZpBb5swFID_yvR2JQHbJBCOWy-TtmnSul2qHqh5aZjARLaJklX898k0anfw62GniZcbIXmYDw7fF_IErXNQwcH7o6vS1B30Gs91f-xwPdjHtHVuRAsJmIc9VKLIrq_1JoGThuoJ_OWIUN29Tuhr6w9Yd_6w1rVt3PvnjVXYgPsEtMUGjW_r7vv48Au1D1P2h9b-ROvawUAF-TpbC0jmdz-MpukwfMaiG0ar8XY-Ilx3JNcVgB66DrUPExJA4-0Fqrsn2I9d98N2UL18v8ogedmIDP5W-xaNDydd9zgP8Xj2UMGX2lze3QwOHUz305REp4u3p3_q-9G0v-vrQp2v_ejm5QfoHhtI4FRr3Rr8ODTzBD00rXmcF-IuzmN_vWBVmh66Yr5OgVTq2ibVpzMk4RvhWDIrw0ITOF5PaV7OHi2asLa_iUwJDFqPdt51U3u8bfvnEVKsMrnKwml1g_869g9ooYLPAigCcoEEVISAJAmofyOAxqPFZtWaFVo72P8RRB4BoUgQ-QJvhU2EQE4S2CyQwDZCYEMS2C6QQBEhsCUJFAskUEYIFCSBcoEEdhECJUlgtzwCIosQ2JEERLZABCJmRhnNYIF2KKJ2SOuhWKIfRu8DWhCF4lIJtBuKnEknCNoOxRL1MJYIgvZDsWUSCYI2RFEwyQRBO6IomYSCoC1R7JikgqA9UWZMYkHSnigFk1yQb_yMKJn0gqQ9USomvSBpT5Q5k16QtCfKDZNekLQnyi2X5wq0J8qCSS9I2hNlyaQXJO2JcsekFyTtiSpj0guK9kQlmPSCoj1RSSa9oN544KyY9IKiPVHlTHpB0Z6oNkx6QdGeqLZMekHRnqgKJr2gaE9UJZNeULQnqh2TXlC0J-YZlz8hBU-8n6Zp-gM.' :sig
\set empty :hdr '.fY87a8QwEIT_y6RV5DMkBFQmfQjk0RwuZHl91iFLZiUfMUb_Pcgxl-bIdrOPb2dW2BihMKQ0RVVVcTCSvvU4OZKBT5WNcSaGgG97qPrpsJd8FLgYqBVpmQjq-EcYNaeBtEuDNJq7ePcr7otAI2CYOvLJavc-t2cyqVD6wfIXcbTBQ-FBHmQNsXWfZ985KjtMMcxs6GP7iH0gdgcwwTkyqRAEyCdeoI4r-tm5T3ZQ13t1gLiKG-A3nSz5VELrkTbIyV7Il5SvoQ3dgiY3OYub8Pp_-Evwnd1M5sLI-Qc.' :sig

CREATE FUNCTION public.regress_card_text(svg text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT (regexp_matches(svg, '<text[^>]*>([^<]*)</text>', 'g'))[1]
$$;

SELECT length(:'sample') AS jws_chars;
-- every line of text on the card, in order (XML-escaped as in the file)
SELECT * FROM regress_card_text(shc_card_svg(:'sample'));
-- page size, one QR path, the same symbol as shc_qr_svg draws
SELECT substring(s FROM '<svg[^>]*>') AS svg_element,
       (SELECT count(*) FROM regexp_matches(s, '<path d="M[0-9]+ [0-9]+h', 'g')) AS qr_paths,
       position(substring(shc_qr_svg(:'sample') FROM ' d="([^"]*)"') IN s) > 0 AS same_symbol,
       s LIKE '<?xml version="1.0" encoding="UTF-8"?>%' AS xml_decl
  FROM (SELECT shc_card_svg(:'sample') AS s) t;
-- the shc:/ text of a card gives the same page; the title is escaped
SELECT shc_card_svg(shc_qr_numeric(:'sample')) = shc_card_svg(:'sample') AS same_from_qr_text;
SELECT t FROM regress_card_text(shc_card_svg(:'sample', title => 'Proof <of> "vaccination" & more')) t LIMIT 1;
-- many doses: rows shrink, what does not fit is counted; other statuses shown
SELECT * FROM regress_card_text(shc_card_svg(:'many'));
-- no immunization or result; other entries are counted
SELECT * FROM regress_card_text(shc_card_svg(:'empty'));

-- errors: the card must make one QR code and hold a readable payload
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_card_svg('')$$);
SELECT * FROM regress_error($$SELECT shc_card_svg('abc<def')$$);
SELECT * FROM regress_error($$SELECT shc_card_svg(repeat('a', 1196))$$);
SELECT * FROM regress_error($$SELECT shc_card_svg('abc')$$);
SELECT * FROM regress_error($$SELECT shc_card_svg('a.b.c')$$);
SELECT * FROM regress_error($$SELECT shc_card_svg('shc:/0078')$$);
SELECT * FROM regress_error($$SELECT shc_card_svg((shc_qr_chunks(repeat('b', 3285)))[1])$$);
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.AAAA.' || :'sig'));
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.eJyrrgUAAXUA-Q.' || :'sig'));
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.q1bKLC5WslLIzy8orgUA.' || :'sig'));
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.i1bKyy9R0lFKzFPSUcpPykpNLlGKBQA.' || :'sig'));
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.e797f3UtAA.' || :'sig'));
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.q1b6r2RlWAsA.' || :'sig'));
-- a payload that inflates above shc.max_payload_size (3002 bytes > 1kB)
SET shc.max_payload_size = 1024;
SELECT * FROM regress_error(format($$SELECT shc_card_svg(%L)$$, :'hdr' || '.7cFBEQAADAKgKvb07L4aewAJAADwXXc.' || :'sig'));
RESET shc.max_payload_size;
SELECT * FROM regress_error(format($$SELECT length(shc_card_svg(%L)) > 0$$, :'hdr' || '.7cFBEQAADAKgKvb07L4aewAJAADwXXc.' || :'sig'));

\pset format aligned
-- STRICT: NULL in, NULL out
SELECT shc_card_svg(NULL) IS NULL AS n1, shc_card_svg(:'sample', NULL) IS NULL AS n2;
DROP FUNCTION regress_card_text(text);
