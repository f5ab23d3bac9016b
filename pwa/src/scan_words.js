/** The scan verdicts' words, in English and Spanish: the phone shows them, the board's feed repeats them
 * (spread into strings.js and board/board_words.js). The English mirrors domain/scanning.py word for word. */

// The server's MESSAGES, word for word (test/strings.test.js checks them against domain/scanning.py).
export const MESSAGES_EN = {
  bin_confirmed: "Bin {location} confirmed — take {remaining} × {item}",
  bin_done: "Bin {location}: all {qty} × {item} already taken",
  picked: "Got {units} × {item} — {picked} of {qty}",
  stop_done: "Got {units} × {item} — {qty} of {qty}, next bin {next_location}",
  task_done: "Got {units} × {item} — {qty} of {qty}, all stops done",
  wrong_location: "Wrong bin: you scanned {scanned} — go to {location}",
  wrong_item: "Wrong item: that is {scanned} — take {sku}",
  wrong_lot: "Wrong lot: that is lot {scanned} — take lot {lot}",
  over_pick: "Too many: {units} would make {total} of {qty} — nothing counted, {remaining} to take",
  over_pick_full: "Too many: all {qty} × {item} already counted — put it back",
  bin_first: "Scan the bin first: {location}, then the item",
  count_first: "Scan one {item} first, then type the count",
  all_done: "All stops done — nothing left to pick",
  unknown_barcode: "Unknown barcode {barcode} — scan the bin label or the item",
};

// services/scans.py words a sort match this way.
export const SORT_SLOT_EN = "Slot {slot}: {units} × {sku} for {order}";

// The pack bench's and sort wall's words: domain/scanning.py's BENCH_MESSAGES, word for word.
export const BENCH_MESSAGES_EN = {
  pack_checked: "Checked {units} × {item} — {picked} of {qty}",
  pack_last_checked: "Checked {units} × {item} — everything is checked: weigh and close the parcel",
  pack_all_checked: "Everything is checked — weigh and close the parcel",
  pack_too_many: "Too many: {total} of {qty} — this parcel takes {qty}; set {extra} aside",
  pack_all_in: "All {qty} × {item} are already checked — set this one aside",
  pack_count_first: "Scan one {item} first, then type the count",
  pack_wrong_item: "Not in this parcel: that is {scanned}",
  pack_wrong_location: "That is a bin label ({scanned}) — scan the item",
  pack_unknown_barcode: "Unknown barcode {barcode} — scan the item's barcode",
  sort_slot: SORT_SLOT_EN,
};

export const MESSAGES_ES = {
  bin_confirmed: "Ubicación {location} confirmada — toma {remaining} × {item}",
  bin_done: "Ubicación {location}: ya se tomaron las {qty} × {item}",
  picked: "Tomado {units} × {item} — {picked} de {qty}",
  stop_done: "Tomado {units} × {item} — {qty} de {qty}, siguiente ubicación {next_location}",
  task_done: "Tomado {units} × {item} — {qty} de {qty}, todas las paradas hechas",
  wrong_location: "Ubicación equivocada: escaneaste {scanned} — ve a {location}",
  wrong_item: "Artículo equivocado: eso es {scanned} — toma {sku}",
  wrong_lot: "Lote equivocado: eso es el lote {scanned} — toma el lote {lot}",
  over_pick: "Demasiados: {units} harían {total} de {qty} — no se contó nada, faltan {remaining}",
  over_pick_full: "Demasiados: ya se contaron las {qty} × {item} — devuélvelo",
  bin_first: "Escanea primero la ubicación: {location}, luego el artículo",
  count_first: "Escanea primero un {item}, luego escribe la cantidad",
  all_done: "Todas las paradas hechas — no queda nada por tomar",
  unknown_barcode: "Código desconocido {barcode} — escanea la etiqueta de la ubicación o el artículo",
};

export const BENCH_MESSAGES_ES = {
  pack_checked: "Revisado {units} × {item} — {picked} de {qty}",
  pack_last_checked: "Revisado {units} × {item} — todo revisado: pesa y cierra el bulto",
  pack_all_checked: "Todo revisado — pesa y cierra el bulto",
  pack_too_many: "Demasiados: {total} de {qty} — este bulto lleva {qty}; aparta {extra}",
  pack_all_in: "Ya están revisadas las {qty} × {item} — aparta este",
  pack_count_first: "Escanea primero un {item}, luego escribe la cantidad",
  pack_wrong_item: "No va en este bulto: eso es {scanned}",
  pack_wrong_location: "Eso es una etiqueta de ubicación ({scanned}) — escanea el artículo",
  pack_unknown_barcode: "Código desconocido {barcode} — escanea el código del artículo",
  sort_slot: "Hueco {slot}: {units} × {sku} para {order}",
};
