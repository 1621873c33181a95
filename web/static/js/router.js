// Hash router: "#/name" -> a view module's render(root, ctx). One view at a time.
export function currentRoute() {
  const name = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return name || "";
}

export function go(name) {
  if (currentRoute() === name) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = `#/${name}`;
}

/** A query parameter of the current hash ("#/dashboard?month=2026-11" -> "2026-11"). */
export function routeParam(name) {
  const q = location.hash.split("?")[1] || "";
  return new URLSearchParams(q).get(name) || "";
}

/** Go to a view with query parameters; the URL keeps them (a bookmark or reload shows the same). */
export function goWith(name, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined));
  const hash = `#/${name}${q.toString() ? `?${q}` : ""}`;
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}
