// Light / dark / system theme: the <html data-theme> attribute, remembered in localStorage.
const KEY = "bw.theme";

export function currentTheme() {
  return localStorage.getItem(KEY) || "system";
}

export function applyTheme(theme) {
  const t = theme === "light" || theme === "dark" ? theme : "system";
  if (t === "system") {
    delete document.documentElement.dataset.theme;
    localStorage.removeItem(KEY);
  } else {
    document.documentElement.dataset.theme = t;
    localStorage.setItem(KEY, t);
  }
  return t;
}
