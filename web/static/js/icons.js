// Icons as inline SVG drawn with currentColor: they need no emoji font (headless and minimal
// Linux installs have none), follow the theme's text colour, and are hidden from screen readers
// (the button's aria-label says what it does).
import { s } from "./dom.js";

const PATHS = {
  mic: ["M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z", "M5 11a7 7 0 0 0 14 0", "M12 18v3", "M8 21h8"],
  speaker: ["M4 9h4l5-4v14l-5-4H4z", "M16.5 8.5a5 5 0 0 1 0 7", "M19 6a8.5 8.5 0 0 1 0 12"],
  speakerOff: ["M4 9h4l5-4v14l-5-4H4z", "M17 9l5 6", "M22 9l-5 6"],
  talk: ["M4 5h16v11H9l-5 4z", "M8 9.5h8", "M8 12.5h5"],
};

/** icon("mic") -> an <svg> of 1em, stroked in the current text colour. */
export function icon(name) {
  return s(
    "svg",
    { class: `icon icon-${name}`, viewBox: "0 0 24 24", width: "1.15em", height: "1.15em", "aria-hidden": "true",
      focusable: "false", fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round",
      "stroke-linejoin": "round" },
    (PATHS[name] || []).map((d) => s("path", { d })),
  );
}
