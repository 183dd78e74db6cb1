// Shared helpers for the RelayChat dashboard: the token, API URLs, formatting, safe DOM building.
// Everything that comes from the server goes into the page through textContent (never innerHTML).
"use strict";

window.Relay = window.Relay || {};

(function (R) {
  const pageParams = new URLSearchParams(window.location.search);
  const token = pageParams.get("token");

  // The node answered this page's ?token= with an HttpOnly cookie that carries it from now on, for
  // the page's scripts, API calls, event stream and WebSocket alike: the token leaves the address
  // bar (and history) and goes into no other URL, where proxies and logs would see it.
  R.token = token && token.length > 0 ? token : null;
  if (R.token) {
    pageParams.delete("token");
    const rest = pageParams.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
  }

  /** An absolute URL for an API path, relative to the page (so a path prefix from a proxy still works). */
  R.apiUrl = function (path, params) {
    const url = new URL(path.replace(/^\//, ""), document.baseURI);
    if (params) {
      for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, String(v));
      }
    }
    return url.toString();
  };

  /** The WebSocket URL of /ws on the same host: ws:// or wss:// as the page. */
  R.wsUrl = function (path) {
    const url = new URL(R.apiUrl(path));
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  };

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }
  R.HttpError = HttpError;

  /** Listeners told about a 401 (show the token banner) or about any successful call (hide it). */
  R.onAuth = [];
  function authState(required) {
    for (const f of R.onAuth) f(required);
  }

  R.fetchJson = async function (path, params, signal) {
    let res;
    try {
      res = await fetch(R.apiUrl(path, params), {
        headers: { Accept: "application/json" },
        cache: "no-store",
        signal,
      });
    } catch (e) {
      if (e && e.name === "AbortError") throw e;
      throw new HttpError(0, "node unreachable");
    }
    if (res.status === 401) {
      authState(true);
      throw new HttpError(401, "token required");
    }
    if (!res.ok) {
      let msg = res.status + " " + res.statusText;
      try {
        const body = await res.json();
        if (body && typeof body.error === "string") msg = body.error;
      } catch (_) { /* not JSON */ }
      throw new HttpError(res.status, msg);
    }
    authState(false);
    return res.json();
  };

  // ---- formatting ------------------------------------------------------

  const intFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const rate1 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  R.isNum = (v) => typeof v === "number" && Number.isFinite(v);
  R.DASH = "—";

  R.fmtInt = (v) => (R.isNum(v) ? intFmt.format(v) : R.DASH);
  /** Rates: one decimal below 100/s, whole numbers above. */
  R.fmtRate = (v) => (R.isNum(v) ? (Math.abs(v) < 100 ? rate1.format(v) : intFmt.format(v)) : R.DASH);
  R.fmtText = (v) => (v === null || v === undefined || v === "" ? R.DASH : String(v));

  /** akka.tcp://relay@127.0.0.1:4051 -> 127.0.0.1:4051 */
  R.shortAddress = function (address) {
    if (typeof address !== "string" || address === "") return R.DASH;
    const at = address.lastIndexOf("@");
    return at >= 0 ? address.slice(at + 1) : address.replace(/^[a-z.]+:\/\//, "");
  };

  /** "12 s ago", "3 min ago", "2 h ago", "4 d ago" */
  R.fmtAgo = function (ms) {
    if (!R.isNum(ms)) return R.DASH;
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 5) return "just now";
    if (s < 60) return s + " s ago";
    const m = Math.floor(s / 60);
    if (m < 60) return m + " min ago";
    const h = Math.floor(m / 60);
    if (h < 48) return h + " h ago";
    return Math.floor(h / 24) + " d ago";
  };

  /** reportedMsAgo as "0.3 s", "12 s", "4 min" */
  R.fmtAge = function (ms) {
    if (!R.isNum(ms)) return R.DASH;
    if (ms < 10000) return (ms / 1000).toFixed(1) + " s";
    const s = Math.round(ms / 1000);
    if (s < 120) return s + " s";
    return Math.round(s / 60) + " min";
  };

  // ---- DOM ----------------------------------------------------------------

  /** el("td", {class: "num", dataset: {col: "in"}, title: "…"}, "text" | Node, …) */
  R.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "dataset") Object.assign(node.dataset, v);
        else if (k === "text") node.textContent = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  };

  /** Sets textContent only when it changed (keeps selections and avoids layout work). */
  R.setText = function (node, text) {
    const s = String(text);
    if (node.textContent !== s) node.textContent = s;
  };

  R.setAttr = function (node, name, value) {
    if (value === null || value === undefined) {
      if (node.hasAttribute(name)) node.removeAttribute(name);
    } else if (node.getAttribute(name) !== String(value)) {
      node.setAttribute(name, String(value));
    }
  };

  R.$ = (id) => document.getElementById(id);

  /** Keeps only digits (for id inputs). */
  R.digitsOnly = function (input) {
    input.addEventListener("input", () => {
      const clean = input.value.replace(/[^0-9]/g, "");
      if (clean !== input.value) input.value = clean;
    });
  };
})(window.Relay);
