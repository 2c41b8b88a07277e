-- init: the helper every later regression test uses to show an error's
-- SQLSTATE, message, detail and hint in one row.  Test-only; not part of
-- the extension.

-- shc lives in its own schema (README "Installation"); this database, like
-- a user's, puts it on the search path.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = shc, "$user", public', current_database()); END $$;
SET search_path = shc, "$user", public;
CREATE FUNCTION public.regress_error(query text,
                              OUT code text, OUT message text,
                              OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE query;
  code := '00000';
  message := 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END
$$;
SELECT * FROM regress_error('SELECT 1/0');
SELECT * FROM regress_error('SELECT 1');
