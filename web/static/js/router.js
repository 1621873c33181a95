// Hash router: "#/name" -> a view module's render(root, ctx). One view at a time.
export function currentRoute() {
  const name = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return name || "";
}

export function go(name) {
  if (currentRoute() === name) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = `#/${name}`;
}
