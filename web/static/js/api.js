// fetch wrapper: bearer token, JSON in and out, one refresh on 401, readable errors.
import { emit } from "./bus.js";
import { accessToken, clearTokens, setTokens, tokens } from "./session.js";

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

const PLAIN = [
  [/^Value error,\s*/i, ""],
  [/^Assertion failed,\s*/i, ""],
  [/^Field required$/i, "is needed"],
  [/^Input should be a valid (decimal|number|integer)$/i, "should be a number, like 12.50"],
  [/^Input should be a valid date.*$/i, "should be a date"],
  [/^Input should be greater than or equal to (\S+)$/i, "should be at least $1"],
  [/^Input should be greater than (\S+)$/i, "should be more than $1"],
  [/^Input should be less than or equal to (\S+)$/i, "should be at most $1"],
  [/^Input should be less than (\S+)$/i, "should be less than $1"],
  [/^String should have at most (\d+) characters?$/i, "is too long (at most $1 characters)"],
  [/^String should have at least 1 character$/i, "is needed"],
  [/^String should have at least (\d+) characters$/i, "is too short (at least $1 characters)"],
  [/^Input should be (.+)$/i, "should be $1"],
  [/^Extra inputs are not permitted$/i, "is not something this form takes"],
];

/** A field name in words: "target_date" -> "Target date". */
export function fieldWords(name) {
  const t = String(name || "").replace(/_/g, " ").trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

/** A validator's message in plain words (never "Target_date must be ..., got ..."). */
export function plainMessage(msg) {
  let text = String(msg || "");
  for (const [rx, to] of PLAIN) text = text.replace(rx, to);
  // a field name the server put in its own sentence reads as words too
  return text.replace(/\b([A-Za-z]+_[a-z_]+)\b/g, (m) => fieldWords(m).toLowerCase());
}

/** FastAPI's detail: a sentence, or a list of {loc, msg}, said in plain words. */
export function describeError(body, status) {
  const detail = body?.detail;
  if (typeof detail === "string") return plainMessage(detail);
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const path = (d.loc || []).filter((p) => p !== "body" && p !== "query" && p !== "path");
      const where = path.length ? fieldWords(path[path.length - 1]) : "";
      const msg = plainMessage(d.msg);
      return where && !msg.toLowerCase().startsWith(where.toLowerCase()) ? `${where} ${msg}` : msg;
    }).join("; ");
  }
  if (status === 0) return "the server cannot be reached; check your connection";
  return `the request failed (${status})`;
}

let refreshing = null;

/** Trade the refresh token for new tokens (one at a time); true when it worked. */
export function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const rt = tokens()?.refresh_token;
      if (!rt) return false;
      try {
        const r = await fetch("/api/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: rt }),
        });
        // Another tab may have spent this refresh token a moment ago (it is single-use): its
        // new tokens are in localStorage, shared by every tab.
        if (!r.ok) return tokens()?.refresh_token !== rt && Boolean(tokens()?.refresh_token);
        setTokens(await r.json());
        emit("tokens-refreshed");
        return true;
      } catch {
        return false;
      }
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

function buildUrl(path, query) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  return url.pathname + url.search;
}

async function send(method, path, { body, query, form, auth = true } = {}) {
  const headers = {};
  const token = accessToken();
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  try {
    return await fetch(buildUrl(path, query), { method, headers, body: payload });
  } catch {
    throw new ApiError(0, describeError(null, 0));
  }
}

/** The raw Response (after a refresh and retry on 401); throws ApiError when not ok. */
export async function requestRaw(method, path, opts = {}) {
  let res = await send(method, path, opts);
  if (res.status === 401 && opts.auth !== false && (await refreshTokens())) {
    res = await send(method, path, opts);
  }
  if (res.status === 401 && opts.auth !== false) {
    clearTokens();
    emit("signed-out", { reason: "Your session has ended; please sign in again." });
  }
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, describeError(data, res.status), data);
  }
  return res;
}

export async function request(method, path, opts = {}) {
  const res = await requestRaw(method, path, opts);
  if (res.status === 204) return null;
  const type = res.headers.get("Content-Type") || "";
  return type.includes("json") ? res.json() : res.text();
}

export const api = {
  get: (path, query) => request("GET", path, { query }),
  post: (path, body, opts) => request("POST", path, { body, ...opts }),
  put: (path, body) => request("PUT", path, { body }),
  patch: (path, body) => request("PATCH", path, { body }),
  del: (path) => request("DELETE", path),
  upload: (path, formData) => request("POST", path, { form: formData }),
  /** Download a file with the bearer token (a plain link cannot send it). */
  async download(path, query, fallbackName) {
    const res = await requestRaw("GET", path, { query });
    const disposition = res.headers.get("Content-Disposition") || "";
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || fallbackName;
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return name;
  },
};
