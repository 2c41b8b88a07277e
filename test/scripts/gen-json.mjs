// gen-json.mjs: deterministic JSON documents, valid and invalid, for the
// differential test of shc's JSON reader against PostgreSQL's jsonb input
// (test/tiers/52-jsondiff.sh).
//
//   node test/scripts/gen-json.mjs <count> <seed>   -> one JSON string per line
//
// Each line is JSON.stringify(document text), so any document (newlines,
// escapes) fits on one line.  About half the documents are mutated (a byte
// inserted, deleted, swapped or the text cut), which makes most of them
// invalid; the rest are serialized by hand with random white space, escapes
// (\uXXXX, surrogate pairs, short escapes), raw non-ASCII text and numbers
// of every JSON form, and now and then a wide array or object (repeated
// keys among its members).  No document holds U+0000 raw (PostgreSQL text cannot).
const count = Number(process.argv[2] || 100000);
let seed = Number(process.argv[3] || 1) >>> 0;
function rnd() { // xorshift32
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const ri = (n) => Math.floor(rnd() * n);
const pick = (a) => a[ri(a.length)];
const WS = [" ", "\t", "\n", "\r"];
const ws = () => (rnd() < 0.2 ? Array.from({ length: 1 + ri(3) }, () => pick(WS)).join("") : "");
const CHARS = ["a", "b", "Z", "0", " ", "é", "ß", "€", "😀", "日", "\u007f", "\u0080", "\uffff", "\ufffe", "/", "'", "<"];
function str() {
  let s = '"';
  const n = ri(8);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.55) s += pick(CHARS);
    else if (r < 0.7) s += pick(['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]);
    else if (r < 0.85) s += "\\u" + ri(0xd800).toString(16).padStart(4, "0").replace(/^0000$/, "0041");
    else if (r < 0.93) s += "\\u" + (0xd800 + ri(0x400)).toString(16) + "\\u" + (0xdc00 + ri(0x400)).toString(16).toUpperCase();
    else s += "\\u" + (0xe000 + ri(0x2000)).toString(16);
  }
  return s + '"';
}
function num() {
  let s = rnd() < 0.3 ? "-" : "";
  s += rnd() < 0.2 ? "0" : String(1 + ri(9)) + String(ri(100000)).slice(0, ri(6));
  if (rnd() < 0.4) s += "." + String(ri(1000000));
  if (rnd() < 0.3) s += pick(["e", "E"]) + pick(["", "+", "-"]) + String(ri(400));
  return s;
}
// keys of wide objects come from a small pool, so they repeat: jsonb keeps
// the last value of a repeated key
const KEYS = ['"a"', '"b"', '"id"', '"ab"', '"ba"', '"resourceType"', '"\\u0061"', '"é"', '""'];
function val(d) {
  const r = rnd();
  // now and then a wide container: more than 16 members (the reader's
  // sort of object keys changes method) or 32 elements (jsonb stores an
  // offset every 32 entries)
  if (d <= 2 && r < 0.03) {
    const n = 17 + ri(64);
    if (rnd() < 0.5)
      return "[" + Array.from({ length: n }, () => ws() + val(d > 1 ? 6 : d + 1)).join(",") + "]";
    return "{" + Array.from({ length: n }, () => (rnd() < 0.6 ? pick(KEYS) : str()) + ":" + val(d > 1 ? 6 : d + 1)).join(",") + "}";
  }
  if (d > 5 || r < 0.45) {
    const t = rnd();
    if (t < 0.4) return str();
    if (t < 0.8) return num();
    return pick(["true", "false", "null"]);
  }
  if (r < 0.72) {
    const n = ri(4);
    const items = Array.from({ length: n }, () => ws() + val(d + 1) + ws());
    return "[" + (items.length ? items.join(",") : ws()) + "]";
  }
  const n = ri(4);
  const items = Array.from({ length: n }, () => ws() + str() + ws() + ":" + ws() + val(d + 1) + ws());
  return "{" + (items.length ? items.join(",") : ws()) + "}";
}
const NOISE = [",", "]", "}", "[", "{", '"', "\\", ":", "0", "-", "e", ".", "+", " ", "t", "n", "u", "\u0001", "\t", "x", "é", "\ud83d"];
function mutate(s) {
  const cps = Array.from(s);
  const k = 1 + ri(2);
  for (let j = 0; j < k; j++) {
    const i = ri(cps.length + 1);
    const r = rnd();
    if (r < 0.35) cps.splice(i, 0, pick(NOISE));
    else if (r < 0.65) cps.splice(i, 1);
    else if (r < 0.85 && cps.length > 1) { const a = ri(cps.length), b = ri(cps.length); [cps[a], cps[b]] = [cps[b], cps[a]]; }
    else cps.length = Math.min(cps.length, i);
  }
  // a lone surrogate cannot be sent as UTF-8 text: make it a \u escape
  return cps.join("").replace(/[\ud800-\udfff]/g, (c) => (/[\ud800-\udbff][\udc00-\udfff]/.test(c) ? c : "\\u" + c.charCodeAt(0).toString(16)));
}
const out = [];
for (let i = 0; i < count; i++) {
  let doc = ws() + val(0) + ws();
  if (rnd() < 0.5) doc = mutate(doc);
  doc = doc.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?");
  out.push(JSON.stringify(doc));
}
process.stdout.write(out.join("\n") + "\n");
