/** Office wording: the server's field messages (marshmallow's) in plain words, and errors without jargon. */

const PLAIN = [
  [/^Missing data for required field\.$/, () => "Required."],
  [/^Field may not be null\.$/, () => "Required."],
  [/^Shorter than minimum length 1\.$/, () => "Required."],
  [/^Shorter than minimum length (\d+)\.$/, (n) => `Use at least ${n} characters.`],
  [/^Longer than maximum length (\d+)\.$/, (n) => `Use at most ${n} characters.`],
  [/^Length must be between (\d+) and (\d+)\.$/, (a, b) => `Use ${a} to ${b} characters.`],
  [/^Not a valid (?:number|integer|decimal)\.$/, () => "Enter a number."],
  [/^Not a valid email address\.$/, () => "Enter an email address, like name@example.com."],
  [/^Not a valid boolean\.$/, () => "Choose yes or no."],
  [/^Not a valid (?:string|list|mapping type)\.$/, () => "This value is not accepted."],
  [/^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$/, (a, b) => `Enter a number from ${a} to ${b}.`],
  [/^Must be greater than or equal to (\S+)\.$/, (a) => `Enter ${a} or more.`],
  [/^Must be less than or equal to (\S+)\.$/, (b) => `Enter ${b} or less.`],
  [/^Must be greater than (\S+)\.$/, (a) => `Enter more than ${a}.`],
  [/^Must be one of: (.*)\.$/, (list) => `Choose one of: ${list}.`],
  [/^String does not match expected pattern\.$/, () => "This is not in the expected form."],
  [/^Unknown field\.$/, () => "This field is not accepted here."],
];

/** One server message about a field, in words an office clerk would use. */
export function plainField(message) {
  const text = String(message ?? "").trim();
  for (const [pattern, say] of PLAIN) {
    const m = pattern.exec(text);
    if (m) return say(...m.slice(1));
  }
  return text;
}

/** {"dims_cm": {"l": ["..."]}, "lines": {"0": {"sku": [...]}}} → {"dims_cm.l": "...", "lines.0.sku": "..."} in plain words. */
export function fieldErrors(fieldsIn, prefix = "", out = {}) {
  if (Array.isArray(fieldsIn)) {
    if (fieldsIn.every((m) => typeof m === "string")) out[prefix] = fieldsIn.map(plainField).join(" ");
    else fieldsIn.forEach((m, i) => fieldErrors(m, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (fieldsIn && typeof fieldsIn === "object") {
    for (const [k, v] of Object.entries(fieldsIn)) fieldErrors(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (fieldsIn != null) out[prefix] = plainField(fieldsIn);
  return out;
}

/**
 * A whole error for the status line or a form's alert: never the server's generic "does not match" text.
 * A form that marks its fields itself passes `marked`; elsewhere the field reasons are spelled out.
 */
export function plainError(error, { marked = false } = {}) {
  if (error?.status === 0) return "the server could not be reached; try again.";
  if (error?.status === 403) return "you are not allowed to do this.";
  if (error?.details?.fields) {
    if (marked) return "check the marked fields.";
    return Object.entries(fieldErrors(error.details.fields))
      .map(([path, message]) => `${fieldName(path)}: ${message}`).join(" ");
  }
  if (error?.status >= 500) return "something went wrong on our side; try again.";
  return error?.message || "it did not work.";
}

/** "lines.2.qty" → "line 3 qty"; "ship_to.postal_code" → "postal code". */
export function fieldName(path) {
  const parts = path.split(".");
  const words = [];
  parts.forEach((part, i) => {
    if (/^\d+$/.test(part)) words.push(`${(words.pop() || "item").replace(/s$/, "")} ${Number(part) + 1}`);
    else if (!(part === "ship_to" && i < parts.length - 1)) words.push(part.replaceAll("_", " "));
  });
  return words.join(" ");
}
