-- shc_cache_invalidate_trigger: only callable as a trigger; as one, it lets
-- the statement through (the invalidation itself is tested with the key
-- and trust caches).
SELECT * FROM regress_error($$SELECT shc_cache_invalidate_trigger()$$);
CREATE TABLE public.cache_t (x int);
CREATE TRIGGER cache_t_inval AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cache_t
  FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
INSERT INTO cache_t VALUES (1), (2);
UPDATE cache_t SET x = x + 1;
DELETE FROM cache_t WHERE x = 2;
TRUNCATE cache_t;
SELECT count(*) FROM cache_t;
DROP TABLE cache_t;
