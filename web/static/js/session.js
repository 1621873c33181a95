// The signed-in session: tokens in localStorage, and the current user once loaded.
const KEY = "bw.tokens";

export const state = { me: null };

export function tokens() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

export function setTokens(answer) {
  const old = tokens() || {};
  localStorage.setItem(KEY, JSON.stringify({
    access_token: answer.access_token,
    refresh_token: answer.refresh_token || old.refresh_token || null,
  }));
}

export function clearTokens() {
  localStorage.removeItem(KEY);
  state.me = null;
}

export function accessToken() {
  return tokens()?.access_token || null;
}

export function signedIn() {
  return Boolean(accessToken());
}

export function currency() {
  return state.me?.currency || "USD";
}
