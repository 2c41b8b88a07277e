-- pgbench script of the "load" tier: a dose is given; the trigger issues
-- the patient's card inside this transaction
\set p random(1, 500)
INSERT INTO vaccinations (patient, cvx, given, lot)
  VALUES ('Patient' || :p, (ARRAY['207', '208', '213'])[1 + :p % 3], date '2021-01-01' + :p, 'LOT' || :client_id);
