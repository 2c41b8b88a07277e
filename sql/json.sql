-- shc_json_compact: the compact JSON writer the issuer uses for payloads
-- (SHC-NOTES 4.1: jsonb::text is not minified).

SELECT shc_json_compact('{"a": 1, "b": [true, false, null], "c": {"d": "e"}}');
-- jsonb's own key order (shorter keys first) and duplicate removal
SELECT shc_json_compact('{"resourceType": "Bundle", "type": "collection", "id": "x", "id": "y"}');
-- only '"', '\' and control characters are escaped; '/' and UTF-8 stay
SELECT shc_json_compact('"https://spec.smarthealth.cards/examples/issuer"');
SELECT shc_json_compact(E'"quote \\" backslash \\\\ tab \\t nl \\n bell \\u0007"');
SELECT shc_json_compact('"Jürgen Ørsted 日本"');
-- numbers as jsonb holds them
SELECT shc_json_compact('[0, -0, 1687450764.656, 1e3, 1.50, -12345678901234567890]');
-- scalars and empty containers
SELECT shc_json_compact('null'), shc_json_compact('true'), shc_json_compact('"x"'),
       shc_json_compact('{}'), shc_json_compact('[]'), shc_json_compact('[[],{}]');
-- deep nesting is iterative, not recursive
SELECT length(shc_json_compact((repeat('[', 5000) || repeat(']', 5000))::jsonb));
-- compact output parses back to the same value
SELECT shc_json_compact(j)::jsonb = j AS same
  FROM (VALUES ('{"x": [1, {"y": "z\u0001"}], "w": 2.5}'::jsonb)) v(j);
SELECT shc_json_compact(NULL) IS NULL AS strict;
-- invalid JSON never reaches the function: the jsonb input rejects it
SELECT * FROM regress_error($$SELECT shc_json_compact('{"a": }')$$);
