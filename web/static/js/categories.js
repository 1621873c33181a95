// The user's categories, fetched once per sign-in.
import { api } from "./api.js";

let cache = null;

export async function categories() {
  if (!cache) {
    cache = api.get("/api/categories", { limit: 500 }).then((p) => p.items || []).catch((err) => {
      cache = null;
      throw err;
    });
  }
  return cache;
}

export async function categoryNames(kind) {
  // archived categories keep their history but are offered nowhere new
  return (await categories()).filter((c) => (!kind || c.kind === kind) && !c.archived).map((c) => c.name);
}

export function forgetCategories() {
  cache = null;
}
