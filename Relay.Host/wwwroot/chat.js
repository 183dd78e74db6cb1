// Browser chat: a WebSocket to /ws speaking the JSON protocol (docs/protocol.md, "JSON"),
// one JSON object per WebSocket text message, both ways.
"use strict";

window.Relay = window.Relay || {};

(function (R) {
  const $ = R.$;
  const el = R.el;
  const MAX_LOG = 500;
  const ROOM_NAME = /^[A-Za-z0-9_.\-]{1,64}$/;

  const chat = {
    ws: null,
    id: null,
    rooms: new Set(),
    userClosed: false,
  };

  function setState(state, label) {
    const s = $("chat-state");
    s.dataset.state = state;
    R.setText(s, label);
  }

  function setConnected(open) {
    $("chat-connect").disabled = open || (chat.ws !== null);
    $("chat-disconnect").disabled = !chat.ws;
    for (const id of ["chat-send", "chat-broadcast", "chat-join", "chat-leave", "chat-room-send"]) {
      $(id).disabled = !open;
    }
  }

  // ---- the log -------------------------------------------------------------------------

  /** One log line: op is the op of the object (data-op), dir in|out|local, parts: text or [class, text]. */
  function log(op, dir, ...parts) {
    const ul = $("chat-log");
    const atBottom = ul.scrollHeight - ul.scrollTop - ul.clientHeight < 24;
    const time = new Date();
    // The time is shown by CSS (li::before) so that an entry's text is just the message ("from 3: hi").
    const li = el("li", {
      class: "log-" + dir + " op-" + String(op).replace(/[^a-z_-]/gi, ""),
      dataset: { op, dir, time: time.toLocaleTimeString("en-GB", { hour12: false }) },
      title: time.toLocaleString(),
    });
    for (const p of parts) {
      if (Array.isArray(p)) li.append(el("span", { class: p[0] }, p[1]));
      else li.append(document.createTextNode(String(p)));
    }
    ul.append(li);
    while (ul.children.length > MAX_LOG) ul.firstElementChild.remove();
    if (atBottom || dir === "out") ul.scrollTop = ul.scrollHeight;
  }

  const str = (v) => (v === undefined || v === null ? "" : String(v));

  function renderRooms() {
    const box = $("chat-rooms");
    box.replaceChildren(...[...chat.rooms].sort().map((r) => {
      const b = el("button", { type: "button", class: "chip", title: "talk in " + r, dataset: { room: r } }, r);
      b.addEventListener("click", () => useRoom(r));
      return b;
    }));
  }

  function useRoom(name) {
    $("chat-room").value = name;
    $("chat-form").scrollIntoView({ block: "nearest" });
    $("chat-text").focus({ preventScroll: true });
  }

  // ---- incoming ------------------------------------------------------------------------

  function onObject(m) {
    if (!m || typeof m !== "object" || Array.isArray(m) || typeof m.op !== "string") return;
    switch (m.op) {
      case "hello":
        if (R.isNum(m.id)) {
          chat.id = m.id;
          R.setText($("chat-id"), String(m.id));
          // A connection that never sends a command is closed after relay.connection.idle-timeout;
          // a chat panel that only listens has said this much.
          if (chat.ws && chat.ws.readyState === WebSocket.OPEN) chat.ws.send(JSON.stringify({ op: "ping", ref: "keepalive" }));
          setState("open", "connected");
          log("hello", "in", "connected: your id is ", ["me", String(m.id)]);
        }
        break;
      case "from":
        log("from", "in", ["who", "from " + str(m.from)], ": ", ["msg", str(m.text)]);
        break;
      case "all":
        log("all", "in", ["tag", "[all]"], " ", ["who", str(m.from)], ": ", ["msg", str(m.text)]);
        break;
      case "room":
        log("room", "in", ["tag", "[" + str(m.room) + "]"], " ", ["who", str(m.from)], ": ", ["msg", str(m.text)]);
        break;
      case "ok": {
        const cmd = str(m.command);
        if (cmd === "join" && m.room) chat.rooms.add(String(m.room));
        if (cmd === "leave" && m.room) chat.rooms.delete(String(m.room));
        renderRooms();
        const arg = m.room !== undefined ? " " + str(m.room) : m.on !== undefined ? " " + (m.on ? "on" : "off") : "";
        log("ok", "in", "ok: ", cmd, arg);
        break;
      }
      case "joined":
        log("joined", "in", "joined: ", str(m.id));
        break;
      case "left":
        log("left", "in", "left: ", str(m.id));
        break;
      case "delivered":
        log("delivered", "in", "delivered ", str(m.ref));
        break;
      case "reconnect":
        log("reconnect", "in", ["warn", "node is leaving: "], str(m.text), " (connect again for a new id)");
        break;
      case "error":
        log("error", "in", ["err", "error " + str(m.code) + (m.cause ? " " + str(m.cause) : "") + ": " + str(m.text)]);
        break;
      case "pong":
        // The page's own keepalive (ref "keepalive") is not the user's business.
        if (m.ref !== "keepalive") log("pong", "in", "pong");
        break;
      default:
        // ops this page does not know are ignored, as the protocol asks
        break;
    }
  }

  // ---- connection ----------------------------------------------------------------------

  function connect() {
    if (chat.ws) return;
    let ws;
    try {
      ws = new WebSocket(R.wsUrl("ws"));
    } catch (e) {
      log("local", "local", ["err", "cannot open a WebSocket: " + e.message]);
      return;
    }
    chat.ws = ws;
    chat.userClosed = false;
    let opened = false;
    setState("connecting", "connecting…");
    setConnected(false);

    ws.addEventListener("open", () => {
      if (chat.ws !== ws) return;
      // A node with client tokens (relay.auth) says nothing until the first message presents one.
      const token = $("chat-token").value;
      if (token) ws.send(JSON.stringify({ op: "auth", token: token }));
      opened = true;
      setState("open", "connected");
      setConnected(true);
    });
    ws.addEventListener("message", (e) => {
      if (chat.ws !== ws || typeof e.data !== "string") return;
      let m;
      try {
        m = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      onObject(m);
    });
    ws.addEventListener("close", (e) => {
      if (chat.ws !== ws) return;
      chat.ws = null;
      chat.id = null;
      chat.rooms.clear();
      renderRooms();
      R.setText($("chat-id"), "—");
      setState("closed", "offline");
      setConnected(false);
      if (!opened) {
        log("local", "local", ["err", "could not connect to /ws" +
          (R.token ? "" : " (if this node requires a dashboard token, open the page with ?token=…)")]);
      } else if (chat.userClosed) {
        log("local", "local", "disconnected");
      } else {
        log("local", "local", ["warn", "connection closed" + (e.code ? " (" + e.code + (e.reason ? ": " + e.reason : "") + ")" : "")]);
      }
    });
  }

  function disconnect() {
    if (!chat.ws) return;
    chat.userClosed = true;
    try {
      chat.ws.close(1000, "bye");
    } catch (_) { /* already closing */ }
  }

  /** Sends one object (or its JSON text, already built). */
  function send(obj) {
    if (!chat.ws || chat.ws.readyState !== WebSocket.OPEN) {
      log("local", "local", ["err", "not connected"]);
      return false;
    }
    chat.ws.send(typeof obj === "string" ? obj : JSON.stringify(obj));
    return true;
  }

  // ---- outgoing ------------------------------------------------------------------------

  function text() {
    return $("chat-text").value;
  }

  function clearText() {
    $("chat-text").value = "";
    $("chat-text").focus({ preventScroll: true });
  }

  function bad(msg, focus) {
    log("local", "local", ["err", msg]);
    if (focus) $(focus).focus({ preventScroll: true });
  }

  /** The target id as canonical digits (ids may have up to 18 digits: more than a JS number holds exactly). */
  function targetId() {
    const v = $("chat-to").value.trim().replace(/^0+/, "");
    return /^[1-9][0-9]{0,17}$/.test(v) ? v : null;
  }

  function roomName() {
    const v = $("chat-room").value.trim();
    return ROOM_NAME.test(v) ? v : null;
  }

  function checkText(t) {
    if (/[\r\n]/.test(t)) {
      bad("one line per message: line breaks cannot be sent");
      return false;
    }
    return true;
  }

  function sendTo() {
    const to = targetId();
    if (to === null) return bad("enter the id of the client to send to", "chat-to");
    const t = text();
    if (!checkText(t)) return;
    if (send('{"op":"to","to":' + to + ',"text":' + JSON.stringify(t) + "}")) {
      log("to", "out", ["who", "to " + to], ": ", ["msg", t]);
      clearText();
    }
  }

  function broadcast() {
    const t = text();
    if (!checkText(t)) return;
    if (send({ op: "all", text: t })) {
      log("all", "out", ["tag", "[all]"], " ", ["who", "you"], ": ", ["msg", t]);
      clearText();
    }
  }

  function roomCommand(op) {
    const room = roomName();
    if (room === null) return bad("room names are 1–64 characters of A-Z a-z 0-9 _ . -", "chat-room");
    if (send({ op, room })) log(op, "out", op + " " + room);
  }

  function roomSend() {
    const room = roomName();
    if (room === null) return bad("room names are 1–64 characters of A-Z a-z 0-9 _ . -", "chat-room");
    const t = text();
    if (!checkText(t)) return;
    if (send({ op: "room", room, text: t })) {
      log("room", "out", ["tag", "[" + room + "]"], " ", ["who", "you"], ": ", ["msg", t]);
      clearText();
    }
  }

  function markDefault() {
    $("chat-send").classList.add("btn-default");
    R.setText($("chat-hint"), "Enter: send to id");
  }

  function setup() {
    R.digitsOnly($("chat-to"));
    $("chat-connect").addEventListener("click", connect);
    $("chat-disconnect").addEventListener("click", disconnect);
    $("chat-broadcast").addEventListener("click", broadcast);
    $("chat-room-send").addEventListener("click", roomSend);
    $("chat-join").addEventListener("click", () => roomCommand("join"));
    $("chat-leave").addEventListener("click", () => roomCommand("leave"));
    $("chat-send").addEventListener("click", sendTo);
    // Enter: in the room field it joins, elsewhere it sends to the id. Never to all or to a room:
    // those reach many people and take a click.
    // (No submit button, so the browser does not submit by itself; IME composition is left alone.)
    $("chat-form").addEventListener("submit", (e) => e.preventDefault());
    $("chat-form").addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.isComposing || e.keyCode === 229 || e.target.tagName !== "INPUT") return;
      e.preventDefault();
      if (!chat.ws || chat.ws.readyState !== WebSocket.OPEN) return;
      if (e.target.id === "chat-room") return roomCommand("join");
      sendTo();
    });
    markDefault();
    setConnected(false);
  }

  R.chat = { useRoom, connect, disconnect };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})(window.Relay);
