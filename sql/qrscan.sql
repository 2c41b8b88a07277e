-- shc_qr_scan: the texts of every QR code in a PNG or JPEG image, and every
-- error a caller can cause.  test/tiers/71-qrphoto.sh reads rasterized,
-- rotated, degraded and photographed images.

-- shc's own PNG, at several module sizes
SELECT px, shc_qr_scan(shc_qr_png(shc_qr_numeric('a.b.c'), px)) AS texts
  FROM unnest(ARRAY[2, 3, 8]) px;
-- a card made of three chunks, each its own image
SELECT shc_qr_decode(ARRAY(SELECT s FROM unnest(shc_qr_chunks(repeat('z', 2500))) c,
                                         unnest(shc_qr_scan(shc_qr_png(c, 2))) s))
       = repeat('z', 2500) AS chunks_decode;
-- a JPEG (ImageMagick, quality 60) of shc_qr_png(shc_qr_numeric('a.b.c'), 2, 2)
CREATE TEMP TABLE jpeg AS SELECT decode(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxO' ||
  'UlNSMj5aYVpQYEpRUk//wAALCAAyADIBAREA/8QAGAAAAwEBAAAAAAAAAAAAAAAAAAUGBAf/xAA3EAAAAwcDAwIDBQkBAAAAAAAB' ||
  'BAUAAgMGERITFCExFSIyQVEWI2EHJDNxgSU0NkVWhJGls9H/2gAIAQEAAD8AsZhXjaUfTiJBL6gYP5bHNQEKlgAI7iAhwI+3DZet' ||
  'zX/Rn+0hf+NlMT8ULSmUWYxW0wcvwFMgjfZEte7wdoFA33D6M0LrxszNhtGgpdxcnZnN6gAsvh3O9ghUajtsP1ZWmzXMCqQhniEp' ||
  'ZS8Wtj/UobtaCIDsIAPIC2opMqr10gmKsvaDXZMcTWuxfB24dnQ/L1Dlqdphe/juVP7z/kDR0kydMCVNhI8fT8ReFkvfzQ3qVhvA' ||
  'GwPCPIgwRTyi1KcrI0aFaYOavAbuEdPZEF57sAQB64ApuO3LU8dQKD9pJQjGi60w7fgctGH0/wCTV7cApFvD38aNHRJeVV6RJb6U' ||
  'Vz4NVk+Y67bdF28hD2FnyOnm0o/I5E/CxGIWvvcuB6lQEQ3ARDgQbojQn2mnkon0zqqN1K/Lj+9PwcdLK+PNah/hhFlWVFnMYLIf' ||
  '7O7dKa1cX7xyD/YIgLtrwU355BkUeObiHyiSjkuirKPfoyWUDOfKFz/zHu12jtXtxGtaBQQZohIJuXiCYszIqacuk5aFNOD+LKIu' ||
  '+bgiI1EXR4GnGzIUWJKijmMGZU0qcVt1RrqMWJiuqDnYG71XgptxWos0kE9Khxdc0yN01RcrpfvUWNkq69fzsFHQ9ffZunMinZPN' ||
  'qspnSJCFlMRcdjlwO1pEdEdxEA4AWjjaEq9CPpiVJOg12PJE6q7F8Hrg2eH8/UOWZ9MSk5C6f8N41FY/leufHLieu/GrR2jo3ele' ||
  'N2mNV8UIWoXlLPg/GNYLel3PUd7HaZsloBt48s+LlDcvEDZGDPGnLpNmdzpIP4so1d3GojUR9K0+jM3I8vp82IsvECVxgnnsHLED' ||
  'S3w7x52fuAR9dmsWjpwTyirNkskT8LKXi6q9y4Xa0huiG4CA8gDR0txJUXl0smfCmDPd8zqMV6210XuNvb3Z9LCfL6rKcuEVyFlM' ||
  'RdTpHLojtaRBF/d0QDgA5/RlcpqEwIspvLMaLcjE/wAApbDDUXxHnXu8AF5214a7hvxwzRNTzZ6U4azL0LEYhV6SUuB7R1iC7G73' ||
  'xpEvABHuDbgGZpszy+ZmyHBQ3dQYVq6uPWI5ZihiLna8FBqFQ2p9atYtMTSVVeuoamlJuv0OfJDzuwvN0HQ3e/X0HhkSakm0o/DP' ||
  'EPs9xGIVbH+tA9SoCA7CIhwItpSkiayaEgphKP02zUa2JZCjY6vC9D2Ed61HxH13YWpeVUzD8MFc+C7QfMdd6dWmTzEcuSr3l4+j' ||
  'Zk1FmAtKcOC4kadZSa9Pj6mG/fliCMTtraFHdu6v0oLWOl1i7qDqbZ079yNZ65MjtInYHFKAHdX3BmbDDDDDDDf/2Q==', 'base64') AS img;
SELECT encode(substring(img FROM 1 FOR 3), 'hex') AS soi, shc_qr_scan(img) AS texts FROM jpeg;
-- one statement from image to JWS
SELECT shc_qr_decode(shc_qr_scan(shc_qr_png('eyJ6aXAiOiJERUYifQ.AbC-_9.xyz'))) AS jws;
-- no QR code in the image: an empty array
SELECT shc_qr_scan(shc_qr_png(shc_qr_numeric('a.b.c'), 2)) <> '{}' AS has_code,
       shc_qr_scan(decode('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55'
                          '0000000a49444154789c63f80f0001010100b138f6140000000049454e44ae426082', 'hex')) AS one_white_pixel;

-- not images
SELECT * FROM regress_error($$SELECT shc_qr_scan(''::bytea)$$);
SELECT * FROM regress_error($$SELECT shc_qr_scan(convert_to('shc:/5676', 'UTF8'))$$);
SELECT * FROM regress_error($$SELECT shc_qr_scan(convert_to('GIF89a', 'UTF8'))$$);
SELECT * FROM regress_error($$SELECT shc_qr_scan(substring(shc_qr_png('a.b.c') FROM 1 FOR 40))$$);
-- a JPEG cut short is decoded as far as it goes (libjpeg fills the rest
-- grey), which leaves no readable code
SELECT shc_qr_scan(substring(img FROM 1 FOR 300)) AS cut_short FROM jpeg;
SELECT * FROM regress_error($$SELECT shc_qr_scan('\xffd8ffd9'::bytea)$$);
-- a PNG whose CRC is wrong
SELECT * FROM regress_error($$SELECT shc_qr_scan(overlay(shc_qr_png('a.b.c') PLACING '\x00'::bytea FROM 30))$$);
-- a PNG header claiming 100000 x 100000 pixels: refused before decoding
SELECT * FROM regress_error($$SELECT shc_qr_scan(decode('89504e470d0a1a0a0000000d49484452000186a0000186a008000000008d395414'
  '0000000b49444154789c6360800100000a00017f80745e0000000049454e44ae426082', 'hex'))$$);

-- the limits are settings, changed only by superusers
SHOW shc.qr_scan_max_image_size;
SHOW shc.qr_scan_max_pixels;
SET shc.qr_scan_max_pixels = 2000;
SELECT * FROM regress_error($$SELECT shc_qr_scan(shc_qr_png(shc_qr_numeric('a.b.c'), 2))$$);
SELECT * FROM regress_error($$SELECT shc_qr_scan(img) FROM jpeg$$);
RESET shc.qr_scan_max_pixels;
SET shc.qr_scan_max_image_size = 1024;
SELECT * FROM regress_error($$SELECT shc_qr_scan(img) FROM jpeg$$);
RESET shc.qr_scan_max_image_size;
CREATE ROLE regress_qrscan_user;
GRANT SELECT ON jpeg TO regress_qrscan_user;
SET ROLE regress_qrscan_user;
SELECT * FROM regress_error($$SET shc.qr_scan_max_pixels = 100000000$$);
SELECT shc_qr_scan(img) AS anyone_may_scan FROM jpeg;
RESET ROLE;
DROP TABLE jpeg;
DROP ROLE regress_qrscan_user;
