/** Put-away: units from a cancelled order walked back to their bins, bin by bin, like a pick trip. */

import { pickScreen } from "./pick.js";

export function putawayScreen(ctx) {
  return pickScreen(ctx, { putaway: true });
}
