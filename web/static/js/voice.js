// Voice in the chat: a push-to-talk microphone (hold to talk, or tap to start and tap to stop),
// a live level meter, and spoken answers with a stop button.
//
// Recording: MediaRecorder (webm/opus where the browser has it, else ogg/opus); when it stops,
// the recording goes over the chat WebSocket as audio_start, binary frames, audio_end (see
// docs/voice.md). Answers: the server's audio_reply (WAV) is played; when the server has no
// speech output (error code "no_tts") or the user chose the browser's voice, speechSynthesis
// reads the reply instead.
import { h } from "./dom.js";
import { icon as makeIcon } from "./icons.js";
import { toast } from "./toast.js";

const MAX_MS = 59_000; // the server refuses recordings over 60 seconds
const HOLD_MS = 350; // a press longer than this is push-to-talk; shorter is a tap (toggle)
const FRAME_BYTES = 512 * 1024; // the server takes frames up to 2 MiB
const MODE_KEY = "bw.voice.reply";
// How answers are spoken: by the server (WAV), by the browser (speechSynthesis), or not at all.
const MODES = [
  ["server", "speaker", "Answers are spoken (server voice)"],
  ["browser", "talk", "Answers are spoken by your browser"],
  ["off", "speakerOff", "Answers are not spoken"],
];

function pickFormat() {
  const options = [
    ["audio/webm;codecs=opus", "webm"],
    ["audio/ogg;codecs=opus", "ogg"],
    ["audio/webm", "webm"],
  ];
  for (const [mime, format] of options) {
    if (window.MediaRecorder?.isTypeSupported?.(mime)) return { mime, format };
  }
  return { mime: "", format: "webm" };
}

function micMessage(err) {
  const name = err?.name || "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "Microphone access was denied. Allow the microphone for this site in your browser's settings to talk to BudgetWise.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone was found on this device.";
  if (name === "NotReadableError") return "The microphone is busy in another app.";
  return `The microphone could not be started (${name || err}).`;
}

/**
 * Wires the chat form's hidden mic button. ``chat`` gives startVoiceTurn(id) and the socket
 * sends frames. Returns handlers the chat view calls for voice events.
 */
export function setupVoice({ mic, form, socket, startVoiceTurn }) {
  const supported = Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder);
  const meterBar = h("span", { class: "mic-meter-bar" });
  const meter = h("span", { class: "mic-meter", hidden: true, "aria-hidden": "true", testid: "mic-meter" }, meterBar);
  const modeBtn = h("button", { type: "button", class: "btn icon voice-mode", testid: "voice-mode" });
  const stopBtn = h("button", { type: "button", class: "btn small voice-stop", hidden: true, testid: "voice-stop" }, "■ Stop");
  let mode = localStorage.getItem(MODE_KEY) || "server";
  let serverSpeaks = true;

  function showMode() {
    const [, icon, label] = MODES.find(([m]) => m === mode) || MODES[0];
    modeBtn.replaceChildren(makeIcon(icon));
    modeBtn.title = label;
    modeBtn.setAttribute("aria-label", label);
    modeBtn.dataset.mode = mode;
  }
  modeBtn.addEventListener("click", () => {
    const i = MODES.findIndex(([m]) => m === mode);
    mode = MODES[(i + 1) % MODES.length][0];
    if (mode === "browser" && !window.speechSynthesis) mode = "off";
    localStorage.setItem(MODE_KEY, mode);
    showMode();
    toast(MODES.find(([m]) => m === mode)[2]);
  });
  showMode();

  mic.hidden = false;
  mic.setAttribute("aria-pressed", "false");
  mic.title = "Hold to talk, or tap to start and tap again to send";
  mic.append(meter); // inside the button: showing it moves nothing under the pointer
  form.append(modeBtn, stopBtn);

  let rec = null; // { recorder, stream, chunks, ctx, raf, timer, started, cancelled }

  function setRecording(on) {
    mic.classList.toggle("recording", on);
    mic.setAttribute("aria-pressed", String(on));
    mic.setAttribute("aria-label", on ? "Stop and send" : "Speak a message");
    meter.hidden = !on;
    if (!on) meterBar.style.width = "0%";
  }

  function startMeter(stream) {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const buf = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) sum += ((v - 128) / 128) ** 2;
        const rms = Math.sqrt(sum / buf.length);
        meterBar.style.width = `${Math.min(100, Math.round(rms * 400))}%`;
        if (rec) rec.raf = requestAnimationFrame(tick);
      };
      return { ctx, raf: requestAnimationFrame(tick) };
    } catch {
      return { ctx: null, raf: 0 }; // no Web Audio: record without the meter
    }
  }

  async function start() {
    if (rec) return;
    if (!supported) {
      toast(window.isSecureContext ? "This browser cannot record audio." : "Voice needs a secure page (https or localhost).", { kind: "error" });
      return;
    }
    if (!socket.ready) {
      toast("Not connected to the assistant yet; try again in a moment.", { kind: "error" });
      return;
    }
    stopPlayback();
    const pending = { starting: true, cancelled: false };
    rec = pending;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (err) {
      rec = null;
      toast(micMessage(err), { kind: "error", title: "Microphone", timeout: 10000 });
      return;
    }
    if (pending.cancelled) { // released before the permission prompt was answered
      stream.getTracks().forEach((t) => t.stop());
      rec = null;
      return;
    }
    const { mime, format } = pickFormat();
    const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
    Object.assign(pending, { starting: false, recorder, stream, format, chunks: [], started: Date.now() });
    recorder.addEventListener("dataavailable", (e) => { if (e.data?.size) pending.chunks.push(e.data); });
    recorder.addEventListener("stop", () => send(pending));
    Object.assign(pending, startMeter(stream));
    pending.timer = setTimeout(() => stop(), MAX_MS);
    recorder.start(250);
    setRecording(true);
  }

  function stop(cancel = false) {
    const r = rec;
    if (!r) return;
    if (r.starting) { r.cancelled = true; rec = null; return; }
    rec = null;
    r.cancelled = cancel;
    clearTimeout(r.timer);
    cancelAnimationFrame(r.raf);
    r.ctx?.close().catch(() => {});
    if (r.recorder.state !== "inactive") r.recorder.stop();
    r.stream.getTracks().forEach((t) => t.stop());
    setRecording(false);
  }

  async function send(r) {
    if (r.cancelled) return;
    const blob = new Blob(r.chunks, { type: r.recorder.mimeType || "audio/webm" });
    if (!blob.size || Date.now() - r.started < 300) {
      toast("That was too short: hold the microphone button while you speak, or tap once to start and again to send.");
      return;
    }
    const ws = socket.ws;
    if (!socket.ready || !ws || ws.readyState !== WebSocket.OPEN) {
      toast("The connection dropped; your recording was not sent.", { kind: "error" });
      return;
    }
    const id = startVoiceTurn();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    ws.send(JSON.stringify({ type: "audio_start", id, format: r.format, speak: mode === "server" && serverSpeaks }));
    for (let i = 0; i < bytes.length; i += FRAME_BYTES) ws.send(bytes.slice(i, i + FRAME_BYTES));
    ws.send(JSON.stringify({ type: "audio_end" }));
  }

  // Hold to talk, or tap to toggle; Space/Enter on the focused button toggles.
  let downAt = 0;
  mic.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    if (rec) { stop(); downAt = 0; return; }
    mic.setPointerCapture?.(e.pointerId); // the release comes here even if the pointer drifts off
    downAt = Date.now();
    start();
  });
  const release = () => {
    if (downAt && rec && Date.now() - downAt > HOLD_MS) stop();
    downAt = 0;
  };
  mic.addEventListener("pointerup", release);
  mic.addEventListener("pointercancel", release);
  mic.addEventListener("keydown", (e) => {
    if (e.key !== " " && e.key !== "Enter") return;
    e.preventDefault();
    if (e.repeat) return;
    if (rec) stop(); else start();
  });
  mic.addEventListener("click", (e) => e.preventDefault());
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && rec) { stop(true); toast("Recording cancelled."); } });

  // ---- answers
  let audio = null;
  // The server speaks a reply sentence by sentence (audio_reply index 0, 1, ...): later
  // sentences wait here while an earlier one plays.
  let pending = [];

  function stopPlayback() {
    pending = [];
    if (audio) { audio.pause(); audio = null; }
    window.speechSynthesis?.cancel();
    stopBtn.hidden = true;
  }
  stopBtn.addEventListener("click", stopPlayback);

  function startWav(base64) {
    audio = new Audio(`data:audio/wav;base64,${base64}`);
    audio.dataset.testid = "voice-audio";
    audio.addEventListener("ended", playNext);
    stopBtn.hidden = false;
    audio.play().catch(() => { stopPlayback(); }); // autoplay refused: the text is there
  }

  function playNext() {
    const next = pending.shift();
    if (next) startWav(next);
    else { audio = null; stopBtn.hidden = true; }
  }

  function playWav(base64) {
    stopPlayback();
    startWav(base64);
  }

  function speakText(text) {
    if (!window.speechSynthesis || !text) return;
    stopPlayback();
    const u = new SpeechSynthesisUtterance(text);
    u.addEventListener("end", () => { stopBtn.hidden = true; });
    stopBtn.hidden = false;
    window.speechSynthesis.speak(u);
  }

  return {
    /** An audio_reply event. */
    onAudioReply(ev) {
      if (mode !== "server") return;
      if (ev.index > 0 && audio) pending.push(ev.data); // the next sentence of the answer playing now
      else if (ev.index > 0) startWav(ev.data);
      else playWav(ev.data);
    },
    /** The server cannot speak (error code no_tts): say so once, and let the browser read. */
    onNoTts(ev, replyText) {
      if (serverSpeaks) {
        serverSpeaks = false;
        toast(window.speechSynthesis ? `${ev.message} Using your browser's voice instead.` : ev.message, { title: "Speech" });
      }
      if (mode !== "off") speakText(replyText);
    },
    /** A voice turn's answer came in as text. */
    onReplyText(text) { if (mode === "browser" || (mode === "server" && !serverSpeaks)) speakText(text); },
  };
}
