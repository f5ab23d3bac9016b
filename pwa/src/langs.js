/** The languages Baton's pages speak, the one a browser asks for, and a template filled with its params. */

export const LANGS = { en: "English", es: "Español" };

/** The language a browser asks for, until its user chooses one. */
export const browserLang = () => ((navigator.language || "en").toLowerCase().startsWith("es") ? "es" : "en");

export function format(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
