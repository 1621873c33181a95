// The add / edit form of a list view (transactions, subscriptions, goals): "Add" until a row is
// picked for editing, then that row's heading, "Save changes" and a "Cancel edit" button; saved
// or cancelled, the form goes back to "Add".
import { api } from "./api.js";
import { formData } from "./dom.js";
import { invalidate } from "./store.js";
import { toast, toastError } from "./toast.js";

/**
 * The form's mode. `editing` is what `edit(row, heading)` was given (null while adding);
 * `reset()` calls `onReset` (clear the fields) and shows "Add" again, as "Cancel edit" does.
 */
export function editMode({ title, saveBtn, cancelBtn, addTitle, addLabel = "Add", onReset }) {
  const mode = {
    editing: null,
    reset() {
      mode.editing = null;
      onReset();
      title.textContent = addTitle;
      saveBtn.textContent = addLabel;
      cancelBtn.hidden = true;
    },
    edit(row, heading) {
      mode.editing = row;
      title.textContent = heading;
      saveBtn.textContent = "Save changes";
      cancelBtn.hidden = false;
    },
  };
  cancelBtn.addEventListener("click", () => mode.reset());
  return mode;
}

/**
 * Submitting `form`: `body(fields)` (with the picked category, if any) is POSTed to `path`, or
 * PATCHed to `path/{id}` while the row with that id is edited. Then `done(body, editedId)` as a
 * toast, the form back to "Add", the write announced (`invalidate(write, { source })`) and
 * `reload()`; a refusal is a toast and the form keeps what was typed.
 */
export function saveOnSubmit(form, mode, { path, body, done, write, source, reload }) {
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const fields = formData(form);
    const payload = body(fields);
    if (fields.category) payload.category = fields.category;
    const id = mode.editing;
    try {
      if (id) await api.patch(`${path}/${id}`, payload);
      else await api.post(path, payload);
      toast(done(payload, id));
      mode.reset();
      invalidate(write, { source });
      reload();
    } catch (err) {
      toastError(err);
    }
  });
}
