/** The pack station's words for closing a carrier's manifest, in English and Spanish (spread into strings.js). */

export const MANIFEST_EN = {
  manifest_title: "Carrier pickup",
  manifest_open: "Close manifest",
  manifest_loading: "Looking for parcels waiting for a carrier…",
  manifest_none: "No labelled parcels are waiting for a carrier.",
  manifest_carrier: "Carrier",
  manifest_option: "{carrier} — {parcels} parcels ({warehouse})",
  manifest_confirm: "Hand {parcels} parcels to {carrier}",
  manifest_confirm_hint: "Only when the driver takes them: the parcels are shipped and the customers told.",
  manifest_cancel: "Not now",
  manifest_closing: "Closing the manifest…",
  manifest_done: "Manifest {number} closed: {parcels} parcels to {carrier}.",
  manifest_pdf: "Manifest PDF for the driver to sign",
  manifest_nothing: "Nothing left to hand to {carrier}: another manifest took these parcels.",
  manifest_failed: "Not closed: {message}",
};

export const MANIFEST_ES = {
  manifest_title: "Recogida del transportista",
  manifest_open: "Cerrar manifiesto",
  manifest_loading: "Buscando bultos que esperan al transportista…",
  manifest_none: "No hay bultos etiquetados esperando al transportista.",
  manifest_carrier: "Transportista",
  manifest_option: "{carrier} — {parcels} bultos ({warehouse})",
  manifest_confirm: "Entregar {parcels} bultos a {carrier}",
  manifest_confirm_hint: "Solo cuando el conductor se los lleve: los bultos quedan enviados y se avisa a los clientes.",
  manifest_cancel: "Ahora no",
  manifest_closing: "Cerrando el manifiesto…",
  manifest_done: "Manifiesto {number} cerrado: {parcels} bultos para {carrier}.",
  manifest_pdf: "PDF del manifiesto para que firme el conductor",
  manifest_nothing: "Nada que entregar a {carrier}: otro manifiesto ya se llevó estos bultos.",
  manifest_failed: "No se cerró: {message}",
};
