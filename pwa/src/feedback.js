/** How a verdict is felt and heard: a vibration pattern and a beep, different for right and wrong. */

const PATTERNS = { good: [60], bad: [220, 90, 220] };

export function createFeedback() {
  let audio = null;

  // Browsers start audio only after a user gesture: make the context on the first tap or key.
  function unlock() {
    if (audio) return;
    const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Context) return;
    try {
      audio = new Context();
    } catch {
      audio = null;
    }
  }
  for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, unlock, { capture: true, passive: true });

  function beep(kind) {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const tones = kind === "good" ? [[1320, 0, 0.12]] : [[220, 0, 0.18], [180, 0.24, 0.18]];
    for (const [frequency, start, length] of tones) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = kind === "good" ? "sine" : "square";
      oscillator.frequency.value = frequency;
      const t = audio.currentTime + start;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.4, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(t);
      oscillator.stop(t + length + 0.02);
    }
  }

  return {
    signal(kind) {
      try {
        navigator.vibrate?.(PATTERNS[kind]);
      } catch {
        // vibrate throws in some embedded views; the overlay and the beep still tell
      }
      beep(kind);
    },
  };
}
