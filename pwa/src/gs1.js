/** What a scanner saw, read like the server's domain/gs1.py: a GTIN, a GS1 element string or a plain label. */

export const GS = "\x1d"; // what scanners send for FNC1 between variable-length GS1 fields
const GTIN_LENGTHS = [8, 12, 13, 14];
// Symbology identifiers (ISO/IEC 15424) whose data is a GTIN, or a GS1 element string.
const WITH_GTIN = new Set(["]E0", "]E4", "]I1"]);
const WITH_GS1 = new Set(["]C1", "]e0", "]d2", "]Q3", "]J1", "]E3"]);
// GS1 AIs whose length is fixed by their first two digits (AI digits included), per the GS1 General
// Specifications' table of predefined lengths; every other AI runs to a GS or to the end.
const PREDEFINED = {
  "00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8, "13": 8, "14": 8, "15": 8, "16": 8, "17": 8,
  "18": 8, "19": 8, "20": 4, "31": 10, "32": 10, "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
};

/** Strip like Python's str.strip(): whitespace and the ASCII separators (a leading GS is FNC1). */
function strip(value) {
  return value.replace(/^[\s\x1c-\x1f]+|[\s\x1c-\x1f]+$/g, "");
}

export function checkDigitOk(digits) {
  let sum = 0;
  const n = digits.length;
  for (let i = 0; i < n - 1; i++) sum += Number(digits[n - 2 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits[n - 1]);
}

function asGtin14(digits) {
  if (!/^\d+$/.test(digits) || !GTIN_LENGTHS.includes(digits.length) || !checkDigitOk(digits)) return null;
  return digits.padStart(14, "0");
}

/** Read one scan. Never throws: anything not a GTIN or a GS1 string is a plain label. */
export function readBarcode(raw) {
  raw = raw ?? "";
  const [data, symbology] = splitSymbology(strip(raw));
  if (symbology && WITH_GTIN.has(symbology)) return asGtin(raw, data) || plain(raw, data);
  if (symbology && WITH_GS1.has(symbology)) return asGs1(raw, data) || plain(raw, data);
  if (/^\d+$/.test(data) && GTIN_LENGTHS.includes(data.length)) return asGtin(raw, data) || plain(raw, data);
  const reading = asGs1(raw, data);
  // Digits only count as GS1 when they carry a GTIN or separators: "10ABC" is a label, not "lot ABC".
  if (reading && (reading.gtin || data.includes(GS) || !/^\d/.test(data))) return reading;
  return plain(raw, data);
}

/** The GTIN-14 of a code in any form, or null. */
export function gtin14(code) {
  return readBarcode(code).gtin;
}

function splitSymbology(value) {
  const match = /^\][A-Za-z][0-9A-Za-z]/.exec(value);
  return match ? [value.slice(3), match[0]] : [value, null];
}

function plain(raw, data) {
  return { kind: "plain", raw, text: data, gtin: null, lot: null, count: null };
}

function asGtin(raw, data) {
  const gtin = asGtin14(data);
  return gtin ? { kind: "gtin", raw, text: data, gtin, lot: null, count: null } : null;
}

function asGs1(raw, data) {
  let elements;
  if (data.startsWith("(")) elements = parseHri(data);
  else if (/^https?:\/\//i.test(data)) elements = parseDigitalLink(data);
  else elements = parseElementString(data);
  if (!elements || elements.length === 0) return null;
  const found = Object.fromEntries(elements);
  const item = found["01"] ?? found["02"];
  let gtin = null;
  if (item !== undefined) {
    gtin = asGtin14(item);
    if (!gtin) return null; // wrong check digit: a misread, not a product
  }
  const count = found["30"] ?? found["37"];
  return {
    kind: "gs1",
    raw,
    text: elements.map(([ai, value]) => `(${ai})${value}`).join(""),
    gtin,
    lot: found["10"] ?? null, // AI 10: the lot, compared with a pick stop's lot (wrong_lot)
    count: count !== undefined && /^\d+$/.test(count) ? Number(count) : null,
    lot: found["10"] ?? null,
    expiry: found["17"] !== undefined ? gs1Date(found["17"]) : null,
  };
}

/** A GS1 YYMMDD date as ISO "YYYY-MM-DD"; day 00 means the month's last day (GS1 General Specifications). */
export function gs1Date(value) {
  if (!/^\d{6}$/.test(value)) return null;
  const year = 2000 + Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = last;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function aiLength(data) {
  const two = data.slice(0, 2);
  if (/^(2[3-5]|4[0-2])$/.test(two)) return 3;
  if (/^(3[1-69]|43|7\d|8\d)$/.test(two)) return two === "71" ? 3 : 4;
  return 2;
}

function parseElementString(data) {
  const elements = [];
  let rest = data;
  while (rest.length) {
    if (!/^\d{2}/.test(rest)) return null;
    const size = aiLength(rest);
    const ai = rest.slice(0, size);
    if (!/^\d+$/.test(ai)) return null;
    const fixed = PREDEFINED[ai.slice(0, 2)];
    let value;
    if (fixed) {
      value = rest.slice(size, fixed);
      if (value.length !== fixed - size || !/^\d+$/.test(value)) return null;
      rest = rest.slice(fixed);
      if (rest.startsWith(GS)) rest = rest.slice(1);
    } else {
      const end = rest.indexOf(GS, size);
      value = end === -1 ? rest.slice(size) : rest.slice(size, end);
      rest = end === -1 ? "" : rest.slice(end + 1);
      if (!value) return null;
    }
    elements.push([ai, value]);
  }
  return elements;
}

function parseHri(data) {
  const elements = [];
  const pattern = /\((\d{2,4})\)([^(]*)/gy;
  let match;
  let consumed = 0;
  while ((match = pattern.exec(data))) {
    elements.push([match[1], match[2]]);
    consumed = pattern.lastIndex;
  }
  return consumed === data.length ? elements : null;
}

function parseDigitalLink(data) {
  const match = /\/(01|02)\/(\d{8,14})(?:\/|\?|$)/.exec(data);
  return match ? [[match[1], match[2].padStart(14, "0")]] : null;
}
