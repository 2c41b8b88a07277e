-- catalog.sql: the shape of the installed extension as sorted text lines,
-- with names instead of OIDs, so two databases (or two clusters) compare
-- with diff: a database upgraded with ALTER EXTENSION shc UPDATE and a
-- fresh CREATE EXTENSION shc must print the same lines.
--
-- Covered: the extension (version, schema, owner, relocatable, config
-- tables and their conditions), every member object, the schema (owner,
-- ACL, comment); functions (signature, result, language, kind, volatility,
-- strictness, parallel safety, security definer, leakproof, cost, rows,
-- proconfig, owner, ACL, body digest, comment); tables, views and
-- sequences (kind, persistence, options, row security, owner, ACL,
-- comment); columns (position, type, not null, default, identity,
-- generated, collation, ACL, comment); constraints, indexes, triggers,
-- policies; types (composite attributes, enum labels, domains); operators
-- and casts through the member list; the roles named shc_* (attributes,
-- memberships, comments) and default privileges.
\pset format unaligned
\pset tuples_only on
WITH ext AS (
  SELECT e.oid AS eoid, e.extname, e.extowner, e.extnamespace, e.extrelocatable,
         e.extversion, e.extconfig, e.extcondition
    FROM pg_extension e WHERE e.extname = 'shc'
), members AS (
  SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.eoid AND d.deptype = 'e'
), funcs AS (
  SELECT p.*, p.oid AS poid FROM pg_proc p JOIN members m
    ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), rels AS (
  SELECT c.*, c.oid AS coid FROM pg_class c
   WHERE c.relnamespace = 'shc'::regnamespace
      OR c.oid IN (SELECT objid FROM members WHERE classid = 'pg_class'::regclass)
), typs AS (
  SELECT t.*, t.oid AS toid FROM pg_type t JOIN members m
    ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
), lines(line) AS (
  SELECT format('extension|version=%s schema=%s owner=%s relocatable=%s config=%s conditions=%s',
                extversion, extnamespace::regnamespace, extowner::regrole, extrelocatable,
                (SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM unnest(extconfig) c),
                (SELECT array_agg(x ORDER BY x) FROM unnest(extcondition) x))
    FROM ext
  UNION ALL
  SELECT format('member|%s', pg_describe_object(classid, objid, objsubid)) FROM members
  UNION ALL
  SELECT format('schema|%s owner=%s acl=%s comment=%s', n.nspname, n.nspowner::regrole,
                (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(n.nspacl) a),
                obj_description(n.oid, 'pg_namespace'))
    FROM pg_namespace n WHERE n.nspname = 'shc'
  UNION ALL
  SELECT format('function|%s(%s) returns %s|lang=%s kind=%s vol=%s strict=%s parallel=%s secdef=%s leakproof=%s cost=%s rows=%s config=%s owner=%s acl=%s body=%s comment=%s',
                format('%I.%I', pronamespace::regnamespace, proname), pg_get_function_arguments(poid), pg_get_function_result(poid),
                (SELECT lanname FROM pg_language l WHERE l.oid = prolang), prokind, provolatile,
                proisstrict, proparallel, prosecdef, proleakproof, procost, prorows, proconfig,
                proowner::regrole,
                (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(proacl) a),
                md5(coalesce(prosrc, '') || '/' || coalesce(probin, '')),
                obj_description(poid, 'pg_proc'))
    FROM funcs
  UNION ALL
  SELECT format('relation|%s|kind=%s persistence=%s options=%s rls=%s force_rls=%s owner=%s acl=%s comment=%s',
                coid::regclass, relkind, relpersistence, reloptions, relrowsecurity, relforcerowsecurity,
                relowner::regrole,
                (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(relacl) a),
                obj_description(coid, 'pg_class'))
    FROM rels WHERE relkind <> 'i'
  UNION ALL
  SELECT format('column|%s.%s|pos=%s type=%s notnull=%s default=%s identity=%s generated=%s collation=%s acl=%s comment=%s',
                r.coid::regclass, a.attname,
                row_number() OVER (PARTITION BY r.coid ORDER BY a.attnum),
                format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
                (SELECT collname FROM pg_collation co WHERE co.oid = a.attcollation),
                (SELECT array_agg(x::text ORDER BY x::text) FROM unnest(a.attacl) x),
                col_description(r.coid, a.attnum))
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.coid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
   WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
  UNION ALL
  SELECT format('constraint|%s|%s|%s deferrable=%s deferred=%s comment=%s',
                co.conrelid::regclass, co.conname, pg_get_constraintdef(co.oid),
                co.condeferrable, co.condeferred, obj_description(co.oid, 'pg_constraint'))
    FROM pg_constraint co JOIN rels r ON r.coid = co.conrelid
  UNION ALL
  SELECT format('index|%s|%s comment=%s', i.indexrelid::regclass, pg_get_indexdef(i.indexrelid),
                obj_description(i.indexrelid, 'pg_class'))
    FROM pg_index i JOIN rels r ON r.coid = i.indrelid
  UNION ALL
  SELECT format('trigger|%s|%s enabled=%s comment=%s', t.tgrelid::regclass, pg_get_triggerdef(t.oid),
                t.tgenabled, obj_description(t.oid, 'pg_trigger'))
    FROM pg_trigger t JOIN rels r ON r.coid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('policy|%s|%s cmd=%s permissive=%s roles=%s using=%s check=%s',
                p.polrelid::regclass, p.polname, p.polcmd, p.polpermissive,
                (SELECT array_agg(CASE WHEN x = 0 THEN 'public' ELSE x::regrole::text END ORDER BY 1)
                   FROM unnest(p.polroles) x),
                pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM pg_policy p JOIN rels r ON r.coid = p.polrelid
  UNION ALL
  SELECT format('view|%s|%s', coid::regclass, md5(pg_get_viewdef(coid)))
    FROM rels WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT format('sequence|%s|type=%s start=%s inc=%s min=%s max=%s cycle=%s',
                s.seqrelid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement,
                s.seqmin, s.seqmax, s.seqcycle)
    FROM pg_sequence s JOIN rels r ON r.coid = s.seqrelid
  UNION ALL
  SELECT format('type|%s|type=%s owner=%s acl=%s base=%s notnull=%s default=%s labels=%s comment=%s',
                toid::regtype, typtype, typowner::regrole,
                (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(typacl) a),
                NULLIF(typbasetype, 0)::regtype, typnotnull, typdefault,
                (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = toid),
                obj_description(toid, 'pg_type'))
    FROM typs
  UNION ALL
  SELECT format('domain constraint|%s|%s|%s', co.contypid::regtype, co.conname, pg_get_constraintdef(co.oid))
    FROM pg_constraint co JOIN typs t ON t.toid = co.contypid
  UNION ALL
  SELECT format('role|%s|super=%s inherit=%s createrole=%s createdb=%s login=%s replication=%s bypassrls=%s connlimit=%s comment=%s',
                r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
                r.rolreplication, r.rolbypassrls, r.rolconnlimit,
                shobj_description(r.oid, 'pg_authid'))
    FROM pg_roles r WHERE r.rolname LIKE 'shc\_%'
  UNION ALL
  SELECT format('role membership|%s in %s admin=%s', m.member::regrole, m.roleid::regrole, m.admin_option)
    FROM pg_auth_members m
   WHERE m.roleid::regrole::text LIKE 'shc\_%' OR m.member::regrole::text LIKE 'shc\_%'
  UNION ALL
  SELECT format('default acl|%s|%s|%s|%s', d.defaclrole::regrole, d.defaclnamespace::regnamespace,
                d.defaclobjtype, (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(d.defaclacl) a))
    FROM pg_default_acl d
)
SELECT line FROM lines ORDER BY line COLLATE "C";
