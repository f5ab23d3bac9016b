/** The barcode-detector polyfill (ZXing C++ in WebAssembly), loaded on demand, its wasm from our own origin. */

import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

// By default the polyfill fetches its wasm from a public CDN: a warehouse phone may reach only us, and the
// service worker precaches this copy so that scanning works offline.
prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + path),
  },
  fireImmediately: true, // start fetching the wasm now, while the camera warms up
}).catch(() => {}); // a failed load shows as a failed detect(), which the camera loop reports

export function createZxingDetector(formats) {
  return new BarcodeDetector({ formats });
}
