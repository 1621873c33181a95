// App-wide events: "data-changed" (the ledger changed), "notification", "signed-out", "me".
const target = new EventTarget();

export function emit(name, detail) {
  target.dispatchEvent(new CustomEvent(name, { detail }));
}

export function on(name, fn) {
  const listener = (e) => fn(e.detail);
  target.addEventListener(name, listener);
  return () => target.removeEventListener(name, listener);
}
