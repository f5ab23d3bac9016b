/** Camera scanning: the native BarcodeDetector where the browser has one, else the ZXing WebAssembly polyfill. */

export const FORMATS = ["code_128", "ean_13", "upc_a", "ean_8", "itf", "data_matrix", "qr_code"];
const INTERVAL_MS = 90;
const SAME_CODE_MS = 1500; // the same code held in view is one scan, not ten

async function makeDetector() {
  if ("BarcodeDetector" in globalThis) {
    try {
      const supported = await globalThis.BarcodeDetector.getSupportedFormats();
      const formats = FORMATS.filter((f) => supported.includes(f));
      if (formats.length) return new globalThis.BarcodeDetector({ formats });
    } catch {
      // fall through to the polyfill
    }
  }
  // Lazy: the polyfill and its ~1 MB wasm load only when a phone without a native detector opens the camera.
  const { createZxingDetector } = await import("./zxing.js");
  return createZxingDetector(FORMATS);
}

/** onCode(code) for each new barcode seen; onState("starting"|"on"|"off"|"error", reason). */
export function createCamera({ onCode, onState }) {
  let stream = null;
  let video = null;
  let detector = null;
  let timer = null;
  let last = { code: "", at: 0 };
  let generation = 0;

  async function start(element) {
    const mine = ++generation;
    onState("starting");
    try {
      const [media, found] = await Promise.all([
        navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
          audio: false,
        }),
        detector ? Promise.resolve(detector) : makeDetector(),
      ]);
      detector = found;
      if (mine !== generation) {
        media.getTracks().forEach((track) => track.stop());
        return;
      }
      stream = media;
      video = element;
      video.srcObject = stream;
      video.muted = true;
      video.setAttribute("playsinline", "");
      await video.play();
      onState("on");
      tick(mine);
    } catch (error) {
      if (mine === generation) {
        stop();
        onState("error", error?.message || String(error));
      }
    }
  }

  async function tick(mine) {
    if (mine !== generation || !video) return;
    if (video.readyState >= 2) {
      try {
        const codes = await detector.detect(video);
        const now = performance.now();
        for (const { rawValue } of codes) {
          if (!rawValue) continue;
          if (rawValue === last.code && now - last.at < SAME_CODE_MS) {
            last.at = now;
            continue;
          }
          last = { code: rawValue, at: now };
          if (mine === generation) onCode(rawValue);
          break;
        }
      } catch {
        // a frame the decoder could not read; the next one may do
      }
    }
    if (mine === generation) timer = setTimeout(() => tick(mine), INTERVAL_MS);
  }

  function stop() {
    generation += 1;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    if (video) video.srcObject = null;
    video = null;
    onState("off");
  }

  return { start, stop, active: () => stream !== null };
}
