// A small store with tagged invalidation. A read is cached under a key with the tags of the data
// it shows; a write names what it changed (WRITES), which drops the cached reads with those tags
// and tells the parts of the page watching them, so each re-fetches only what changed (the
// dashboard's insights do not reload for a renamed goal; the goals list keeps what is typed).
// No imports: the fetcher is the caller's, so this module runs anywhere (tests run it in Node).

/** The tags: one per kind of data a part of the page shows. */
export const TAGS = Object.freeze([
  "transactions", "budgets", "dashboard", "insights", "reports", "subscriptions", "goals", "categories", "settings",
]);

/** What each kind of write makes stale. */
export const WRITES = Object.freeze({
  transaction: ["transactions", "budgets", "dashboard", "insights", "reports"],
  budget: ["budgets", "dashboard", "insights"],
  subscription: ["subscriptions", "dashboard", "insights"],
  goal: ["goals", "dashboard"],
  category: ["categories", "transactions", "budgets", "dashboard", "insights", "reports", "subscriptions"],
  // an exchange rate, the currency or the income: every total is said again
  rates: TAGS.filter((t) => t !== "categories"),
  settings: TAGS,
  // the assistant ran a write tool: it may be any of the above (a new category too)
  chat: TAGS,
});

const entries = new Map(); // key -> { tags: Set, value: Promise }
const watchers = new Set(); // { tags: Set, fn }

function tagsOf(write) {
  if (Array.isArray(write)) return write;
  const tags = WRITES[write];
  if (!tags) throw new Error(`unknown write: ${write}`);
  return tags;
}

/**
 * The cached value under `key`, else `fetcher()` kept under `tags` until one of them is
 * invalidated. A failed fetch is not kept (the next read tries again).
 */
export function read(key, tags, fetcher) {
  const hit = entries.get(key);
  if (hit) return hit.value;
  const value = Promise.resolve().then(fetcher);
  const entry = { tags: new Set(tags), value };
  entries.set(key, entry);
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

/**
 * A write happened: `write` is a key of WRITES (or a list of tags). Cached reads with any of its
 * tags are dropped; each watcher of one of them is called once with {tags, source}.
 * `source` names who wrote (a view may skip re-fetching what it just redrew itself).
 */
export function invalidate(write, { source = "" } = {}) {
  const tags = new Set(tagsOf(write));
  for (const [key, entry] of entries) {
    if ([...entry.tags].some((t) => tags.has(t))) entries.delete(key);
  }
  const detail = { tags: [...tags], source: source || (Array.isArray(write) ? "" : write) };
  for (const w of [...watchers]) {
    if (!watchers.has(w)) continue; // an earlier watcher stopped it
    if ([...w.tags].some((t) => tags.has(t))) {
      try {
        w.fn(detail);
      } catch (err) {
        queueMicrotask(() => { throw err; }); // one broken part never stops the others
      }
    }
  }
  return detail;
}

/** Call `fn({tags, source})` after each write touching one of `tags`; returns the stop function. */
export function watch(tags, fn) {
  const w = { tags: new Set(tags), fn };
  watchers.add(w);
  return () => watchers.delete(w);
}

/** Drop the cached reads with one of `tags`, telling no one (the next read fetches again). */
export function forget(tags) {
  const drop = new Set(tags);
  for (const [key, entry] of entries) {
    if ([...entry.tags].some((t) => drop.has(t))) entries.delete(key);
  }
}

/** Forget every cached read (sign-out: the next user shares nothing). */
export function clear() {
  entries.clear();
}

/** How many reads are cached and parts are watching (for tests and debugging). */
export function stats() {
  return { cached: entries.size, watching: watchers.size };
}
