// Tiny DOM builders. Text always goes in as text nodes (never parsed as HTML).

const SVG_NS = "http://www.w3.org/2000/svg";

function setProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = String(value);
    else if (key === "testid") el.dataset.testid = value;
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "value" && "value" in el) el.value = String(value);
    else if (key === "checked" && "checked" in el) el.checked = Boolean(value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** h("button", {class: "btn", onclick}, "Save") */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  appendAll(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  appendAll(el, children);
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** A labelled form field: <label>Text <input ...></label>. */
export function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, label), control,
    hint ? h("span", { class: "hint" }, hint) : null);
}

export function select(props, options, selected) {
  const el = h("select", props);
  for (const opt of options) {
    const [value, label] = Array.isArray(opt) ? opt : [opt, opt];
    const o = h("option", { value }, label);
    if (String(value) === String(selected ?? "")) o.selected = true;
    el.append(o);
  }
  return el;
}

/** A section card with a heading. */
export function card(title, props, ...children) {
  return h("section", { class: "card", ...props }, title ? h("h2", null, title) : null, ...children);
}

export function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}
