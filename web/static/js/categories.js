// The user's categories, read through the store: kept until a write touches the "categories" tag.
import { api } from "./api.js";
import { h, select } from "./dom.js";
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

// A transaction form's kind and category pickers (test ids ``<prefix>-kind``, ``<prefix>-category``):
// the categories offered follow the kind, income ones for income, expense ones otherwise.
export function kindAndCategory(prefix, refundLabel, expenseCats, incomeCats) {
  const kindSel = select({ name: "kind", testid: `${prefix}-kind` }, [["expense", "Expense"], ["income", "Income"], ["refund", refundLabel]]);
  const catSel = select({ name: "category", testid: `${prefix}-category` }, [["", "Guess for me"], ...expenseCats]);
  kindSel.addEventListener("change", () => {
    const names = kindSel.value === "income" ? incomeCats : expenseCats;
    catSel.replaceChildren(...[["", "Guess for me"], ...names].map((o) => {
      const [v, l] = Array.isArray(o) ? o : [o, o];
      return h("option", { value: v }, l);
    }));
  });
  return [kindSel, catSel];
}
