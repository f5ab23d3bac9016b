/** Keyboard-wedge scanners (handhelds' built-in scanners type the code and Enter, very fast). */

const FAST_MS = 50; // a person never types this fast; a scanner always does
const PAUSE_MS = 400; // a pause this long starts a new code
const MIN_LENGTH = 3;

function isTextBox(element) {
  if (!element || element === document.body) return false;
  if (element.isContentEditable || element.tagName === "TEXTAREA") return true;
  if (element.tagName !== "INPUT") return false;
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(element.type);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Listens on document while no text box has focus; onScan(code) gets each burst that ends in Enter.
 * A burst is a scan when its keystrokes come fast (median gap < 50 ms): one late keystroke, as a busy phone
 * delivers now and then, does not cut a code in two. */
export function createWedge({ onScan }) {
  let buffer = "";
  let gaps = [];
  let last = -Infinity;

  function onKeydown(event) {
    if (isTextBox(event.target) || event.ctrlKey || event.altKey || event.metaKey) return;
    const now = event.timeStamp || performance.now();
    const gap = now - last;
    if (event.key === "Enter") {
      const scan = buffer.length >= MIN_LENGTH && gap < PAUSE_MS && median([...gaps, gap]) < FAST_MS;
      const code = buffer;
      buffer = "";
      gaps = [];
      if (scan) {
        // Not a press of the focused button: the Enter ends a scan.
        event.preventDefault();
        event.stopPropagation();
        onScan(code);
      }
      return;
    }
    if (event.key.length !== 1) return; // Shift and friends come between the characters
    if (event.target?.tagName === "SELECT") event.preventDefault(); // no type-ahead into the language menu
    if (gap < PAUSE_MS && buffer) {
      buffer += event.key;
      gaps.push(gap);
    } else {
      buffer = event.key;
      gaps = [];
    }
    last = now;
  }

  document.addEventListener("keydown", onKeydown, true);
  return { stop: () => document.removeEventListener("keydown", onKeydown, true) };
}
