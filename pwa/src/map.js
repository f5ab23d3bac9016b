/** The trip's map: the warehouse's aisles (layout model of DESIGN.md) and the walking route through the stops. */

import { orderedStops } from "./verdict.js";

const NS = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** Where a stop is, in metres: x across the aisles, y from the front cross aisle. */
export function position(layout, aisle, bay) {
  return { x: (aisle - 1) * layout.pitch, y: ((bay - 0.5) * layout.length) / layout.bays };
}

/** The walk between two points: along an aisle, or out through the nearer cross aisle (front y=0, back y=L). */
export function leg(layout, a, b) {
  if (a.x === b.x) return [a, b];
  const viaFront = a.y + b.y <= 2 * layout.length - a.y - b.y;
  const y = viaFront ? 0 : layout.length;
  return [a, { x: a.x, y }, { x: b.x, y }, b];
}

export function normalise(raw) {
  return {
    aisles: Number(raw.aisles),
    bays: Number(raw.bays_per_aisle),
    pitch: Number(raw.aisle_pitch_m),
    length: Number(raw.aisle_length_m),
    depot: Number(raw.depot_x_m),
  };
}

export function routePoints(layout, stops) {
  const depot = { x: layout.depot, y: 0 };
  const points = [depot, ...stops.map((s) => position(layout, s.aisle, s.bay)), depot];
  const path = [depot];
  for (let i = 1; i < points.length; i++) path.push(...leg(layout, points[i - 1], points[i]).slice(1));
  return path;
}

export function tripMap(task, rawLayout, currentId, t) {
  const layout = normalise(rawLayout);
  const stops = orderedStops(task).filter((s) => s.aisle && s.bay);
  const margin = 2.5;
  const width = Math.max((layout.aisles - 1) * layout.pitch, layout.depot);
  const flip = (y) => layout.length - y; // the front (and the depot) at the bottom
  const svg = el("svg", {
    viewBox: `${-margin} ${-margin} ${width + 2 * margin} ${layout.length + 2 * margin + 2}`,
    role: "img", "aria-labelledby": "trip-map-title", class: "trip-map", preserveAspectRatio: "xMidYMid meet",
  }, el("title", { id: "trip-map-title" }, t("map_title", { id: task.id })));
  const rackWidth = layout.pitch * 0.28;
  for (let a = 1; a <= layout.aisles; a++) {
    const x = (a - 1) * layout.pitch;
    for (const side of [-1, 1]) {
      svg.append(el("rect", {
        x: x + side * layout.pitch * 0.22 - (side < 0 ? rackWidth : 0), y: flip(layout.length - 1.2),
        width: rackWidth, height: layout.length - 2.4, class: "rack",
      }));
    }
    svg.append(el("text", { x, y: layout.length + 2.2, class: "aisle-label", "text-anchor": "middle" }, `A${a}`));
  }
  const path = routePoints(layout, stops);
  svg.append(el("polyline", { points: path.map((p) => `${p.x},${flip(p.y)}`).join(" "), class: "route" }));
  svg.append(el("rect", { x: layout.depot - 1, y: flip(0) - 1, width: 2, height: 2, class: "depot" }));
  const markers = stops.map((stop, index) => {
    const p = position(layout, stop.aisle, stop.bay);
    const state = stop.id === currentId ? "current" : stop.status === "open" ? "todo" : "done";
    return el("g", { class: `stop ${state}` },
      el("circle", { cx: p.x, cy: flip(p.y), r: state === "current" ? 1.6 : 1.1 }),
      el("text", { x: p.x, y: flip(p.y) + 0.45, "text-anchor": "middle" }, String(index + 1)));
  });
  // Later stops first, the current one last: where several stops share a bin, the next one is on top.
  svg.append(...markers.reverse().sort((a, b) => a.classList.contains("current") - b.classList.contains("current")));
  return svg;
}
