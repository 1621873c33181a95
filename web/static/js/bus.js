// App-wide events: "notification", "signed-out", "tokens-refreshed", "me". A change of the user's
// data is not an event here: it goes through store.js (invalidate / watch, by tag).
const target = new EventTarget();

export function emit(name, detail) {
  target.dispatchEvent(new CustomEvent(name, { detail }));
}

export function on(name, fn) {
  const listener = (e) => fn(e.detail);
  target.addEventListener(name, listener);
  return () => target.removeEventListener(name, listener);
}
