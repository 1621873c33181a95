// The chat WebSocket: auth first, reconnect with backoff, queue while offline, keep-alive pings.
import { refreshTokens } from "./api.js";
import { emit } from "./bus.js";
import { accessToken, clearTokens } from "./session.js";

const CLOSE_UNAUTHORIZED = 4401;
const PING_EVERY_MS = 25_000;
const MAX_BACKOFF_MS = 15_000;

export class ChatSocket {
  /** onEvent(event) gets every server event; onStatus(status) "connecting" | "ready" | "offline". */
  constructor({ onEvent, onStatus }) {
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.ws = null;
    this.ready = false;
    this.stopped = true;
    this.attempt = 0;
    this.outbox = [];
    this.timer = null;
    this.pinger = null;
    this.refreshedOnce = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.outbox = [];
    if (this.ws) this.ws.close(1000);
    this.ws = null;
    this.ready = false;
  }

  connect() {
    if (this.stopped) return;
    const token = accessToken();
    if (!token) return;
    this.onStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws/chat`);
    this.ws = ws;
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "auth", token })));
    ws.addEventListener("message", (e) => this.handle(e.data));
    ws.addEventListener("close", (e) => this.closed(ws, e.code));
  }

  handle(raw) {
    let event;
    try {
      event = JSON.parse(raw);
    } catch {
      return;
    }
    if (event.type === "ready") {
      this.ready = true;
      this.attempt = 0;
      this.refreshedOnce = false;
      this.onStatus("ready");
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.sendNow({ type: "ping" }), PING_EVERY_MS);
      while (this.outbox.length && this.ready) this.sendNow(this.outbox.shift());
      return;
    }
    if (event.type === "pong") return;
    if (event.type === "notification") emit("notification", event.notification);
    this.onEvent(event);
  }

  async closed(ws, code) {
    if (ws !== this.ws) return;
    this.ready = false;
    clearInterval(this.pinger);
    if (this.stopped) return;
    this.onStatus("offline");
    if (code === CLOSE_UNAUTHORIZED) {
      // The access token expired or was revoked: refresh once, else the session is over.
      if (!this.refreshedOnce && (await refreshTokens())) {
        this.refreshedOnce = true;
        this.connect();
      } else {
        this.stop();
        clearTokens();
        emit("signed-out", { reason: "Your session has ended; please sign in again." });
      }
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  sendNow(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Send now when connected, else when the connection is back. */
  send(message) {
    if (this.ready) this.sendNow(message);
    else this.outbox.push(message);
  }

  /** After a token refresh elsewhere, hand the socket the fresh token. */
  reauth() {
    const token = accessToken();
    if (this.ready && token) this.sendNow({ type: "auth", token });
  }
}
