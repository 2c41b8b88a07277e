-- adoption: what a DBA meets when installing shc into a server.
--
-- shc_setup_check() says what is missing (the settings and preloading:
-- test preload).  Set-returning functions carry row estimates of their own.

-- without shc on the path the check says how to put it there
SET search_path = public;
SELECT ok, detail ~ 'SET search_path = shc, "\$user", public' AS says_how
  FROM shc.shc_setup_check() WHERE item = 'schema on search_path';
RESET search_path;

-- row estimates: a card holds a few immunizations or results, a file a few
-- cards; a VCI directory lists hundreds of issuers.  Every set-returning
-- function of the extension, with the estimate it was given (the default,
-- 1,000 rows per call, is right only for the directory loads):
SELECT p.oid::regprocedure::text AS function, p.prorows
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'shc'
 WHERE p.proretset
 ORDER BY 1;
-- the planner uses it: 5,000 cards, about 4 doses each
CREATE FUNCTION public.plan_rows(query text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN (plan->0->'Plan'->>'Plan Rows')::numeric;
END $$;
SELECT plan_rows($$SELECT * FROM generate_series(1, 5000) g,
                        shc_immunizations('{"resourceType":"Bundle"}'::jsonb || jsonb_build_object('id', g)) i$$)
       BETWEEN 5000 AND 50000 AS realistic;
DROP FUNCTION plan_rows(text);
