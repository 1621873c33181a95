// The user's categories, read through the store: kept until a write touches the "categories" tag.
import { api } from "./api.js";
import { forget, read } from "./store.js";

export function categories() {
  return read("categories", ["categories"], () => api.get("/api/categories", { limit: 500 }).then((p) => p.items || []));
}

export async function categoryNames(kind) {
  // archived categories keep their history but are offered nowhere new
  return (await categories()).filter((c) => (!kind || c.kind === kind) && !c.archived).map((c) => c.name);
}

export function forgetCategories() {
  forget(["categories"]);
}
