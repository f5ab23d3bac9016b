/** The pack bench's words for a scan verdict: the same judgement as picking, said the way a packer works. */

// Picking keys -> what a packer checking items into a parcel should read instead: domain/scanning.py's
// PACK_WORDS, so that the phone's verdict and the server's recorded message say the same.
export const PACK_KEYS = {
  picked: "pack_checked",
  stop_done: "pack_checked",
  task_done: "pack_last_checked",
  all_done: "pack_all_checked",
  over_pick: "pack_too_many",
  over_pick_full: "pack_all_in",
  bin_first: "pack_wrong_location",
  count_first: "pack_count_first",
  wrong_item: "pack_wrong_item",
  wrong_lot: "pack_wrong_item",
  wrong_location: "pack_wrong_location",
  bin_confirmed: "pack_wrong_location",
  bin_done: "pack_wrong_location",
  unknown_barcode: "pack_unknown_barcode",
};

export function packWords(verdict) {
  const key = PACK_KEYS[verdict.key];
  if (!key) return verdict;
  let fields = key === "pack_wrong_location" && !verdict.fields.scanned
    ? { ...verdict.fields, scanned: verdict.fields.location }
    : verdict.fields;
  // An over-pick says what would be counted, not what to put back: the parcel words need the extra units.
  if (key === "pack_too_many" && fields.extra == null) fields = { ...fields, extra: fields.total - fields.qty };
  return { ...verdict, key, fields };
}
