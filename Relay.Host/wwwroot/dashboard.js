// The RelayChat dashboard: totals, chart, nodes, clients and rooms, kept live from /api/events.
"use strict";

(function (R) {
  const $ = R.$;
  const el = R.el;
  const PAGE = 50;
  const ROOMS_PAGE = 50;
  const STALE_MS = 5000;      // no overview for this long while "live": the stream is stuck, reconnect
  const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

  // ---- connection indicator ---------------------------------------------------

  const live = {
    es: null,
    state: "connecting",
    lastEventAt: 0,
    attempt: 0,
    retryTimer: null,
    authRequired: false,
  };

  function setLive(state, detail) {
    live.state = state;
    const box = $("live");
    box.dataset.state = state;
    document.body.dataset.live = state; // the numbers are dimmed while they are not live
    const label = { live: "live", connecting: "connecting", reconnecting: "reconnecting", auth: "token required" }[state] || state;
    R.setText($("live-state"), label);
    R.setText($("live-detail"), detail || "");
  }

  R.onAuth.push((required) => {
    live.authRequired = required;
    $("auth-banner").hidden = !required;
    if (required) setLive("auth");
  });

  function showError(msg) {
    const b = $("error-banner");
    if (msg) {
      R.setText(b, msg);
      b.hidden = false;
    } else if (!b.hidden) {
      b.hidden = true;
    }
  }

  // ---- the event stream --------------------------------------------------------

  function openStream() {
    clearTimeout(live.retryTimer);
    live.retryTimer = null;
    if (live.es) live.es.close();
    const es = new EventSource(R.apiUrl("api/events"));
    live.es = es;

    es.addEventListener("open", () => {
      if (live.es !== es) return;
      live.lastEventAt = Date.now();
      setLive("live");
    });

    const onOverview = (e) => {
      if (live.es !== es) return;
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      live.lastEventAt = Date.now();
      live.attempt = 0;
      if (live.authRequired) R.onAuth.forEach((f) => f(false));
      setLive("live");
      applyOverview(data, true);
    };
    es.addEventListener("overview", onOverview);
    es.addEventListener("message", onOverview); // the same object sent without an event name

    es.addEventListener("error", () => {
      if (live.es !== es) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error such as 401, or not an event stream): retry ourselves.
        scheduleRetry();
      } else {
        // The browser retries by itself.
        if (live.state !== "auth") setLive("reconnecting", lastUpdate());
      }
    });
  }

  function lastUpdate() {
    return live.lastEventAt ? "last update " + new Date(live.lastEventAt).toLocaleTimeString("en-GB", { hour12: false }) : "";
  }

  function scheduleRetry(detail) {
    if (live.es) {
      live.es.close();
      live.es = null;
    }
    const delay = BACKOFF_MS[Math.min(live.attempt, BACKOFF_MS.length - 1)];
    live.attempt++;
    const until = Date.now() + delay;
    clearTimeout(live.retryTimer);
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (live.state !== "auth") {
        setLive("reconnecting", [detail, lastUpdate(), "retry in " + Math.max(left, 0) + " s"].filter(Boolean).join(" · "));
      }
      if (left <= 0) {
        live.retryTimer = null;
        probeThenOpen();
      } else {
        live.retryTimer = setTimeout(tick, 1000);
      }
    };
    tick();
  }

  // Before reopening the stream, ask /api/overview: it tells a 401 from a node that is down,
  // and keeps the page's numbers fresh while the stream is away.
  async function probeThenOpen() {
    try {
      const data = await R.fetchJson("api/overview");
      applyOverview(data, false);
      showError(null);
      openStream();
    } catch (e) {
      if (e.status === 401) {
        scheduleRetry();
      } else {
        scheduleRetry(e.status ? "HTTP " + e.status : "node unreachable");
      }
    }
  }

  // A stream that is open but silent is not live.
  setInterval(() => {
    if (live.state === "live" && live.es && Date.now() - live.lastEventAt > STALE_MS) {
      scheduleRetry("stream silent");
    }
  }, 1000);

  // ---- overview: header, tiles, chart, nodes -------------------------------------

  let chart = null;
  let lastOverview = null;

  function setNumber(id, value, fmt) {
    const node = $(id);
    R.setText(node, fmt(value));
    R.setAttr(node, "data-value", R.isNum(value) ? value : null);
  }

  function applyOverview(ov, fromStream) {
    if (!ov || typeof ov !== "object") return;
    lastOverview = ov;
    const t = ov.totals || {};

    const self = $("node-self");
    R.setText(self, ov.self || R.DASH);
    R.setAttr(self, "title", ov.self ? "this page is served by " + ov.self : null);

    setNumber("total-clients", t.clients, R.fmtInt);
    setNumber("rate-in", t.inPerSecond, R.fmtRate);
    setNumber("rate-out", t.outPerSecond, R.fmtRate);
    setNumber("total-in", t.messagesIn, R.fmtInt);
    setNumber("total-out", t.messagesOut, R.fmtInt);
    setNumber("nodes-up", t.nodesUp, R.fmtInt);
    setNumber("nodes-total", t.nodes, R.fmtInt);
    setNumber("total-rooms", t.rooms, R.fmtInt);

    const nodesTile = $("tile-nodes");
    const degraded = R.isNum(t.nodesUp) && R.isNum(t.nodes) && t.nodesUp < t.nodes;
    nodesTile.classList.toggle("tile-warn", degraded);
    R.setText($("nodes-sub"), degraded ? t.nodes - t.nodesUp + " not up" : R.isNum(t.nodes) ? "all up" : "\u00a0");

    const nodes = Array.isArray(ov.nodes) ? ov.nodes : [];
    const selfNode = nodes.find((n) => n && n.self);
    R.setText(
      $("total-clients-sub"),
      selfNode && R.isNum(selfNode.clients) ? R.fmtInt(selfNode.clients) + " on this node" : "\u00a0"
    );

    document.title = "RelayChat · " + (R.isNum(t.clients) ? R.fmtInt(t.clients) + " clients" : "dashboard");

    renderNodes(nodes);
    if (chart && fromStream) chart.push(t.inPerSecond, t.outPerSecond);
    R.setText($("foot-updated"), "updated " + new Date().toLocaleTimeString("en-GB", { hour12: false }) + (fromStream ? "" : " (polled)"));

    refreshClients();
    refreshRooms();
  }

  function statusClass(status) {
    switch (String(status || "").toLowerCase()) {
      case "up": return "ok";
      case "unreachable": case "down": return "bad";
      case "leaving": case "exiting": case "weaklyup": return "warn";
      default: return "idle"; // joining, removed, unknown
    }
  }

  const nodeRows = new Map();

  function nodeRow(address) {
    let tr = nodeRows.get(address);
    if (tr) return tr;
    const td = (col, cls) => el("td", { class: cls, dataset: { col } });
    tr = el("tr", { "data-address": address },
      td("address", "addr"), td("status"), td("endpoint", "mono"), td("clients", "num"), td("blocks", "num"),
      td("in", "num"), td("out", "num"), td("transports"), td("reported", "num"));
    nodeRows.set(address, tr);
    return tr;
  }

  function cell(tr, col) {
    return tr.querySelector('td[data-col="' + col + '"]');
  }

  function renderNodes(nodes) {
    const tbody = $("nodes-table").tBodies[0];
    const seen = new Set();
    nodes.forEach((n, i) => {
      if (!n || typeof n.address !== "string") return;
      seen.add(n.address);
      const tr = nodeRow(n.address);
      const status = n.status ? String(n.status).toLowerCase() : "unknown";
      R.setAttr(tr, "data-status", status);
      tr.classList.toggle("self", !!n.self);

      const addr = cell(tr, "address");
      const addrKey = n.address + (n.self ? "|self" : "");
      if (addr.dataset.key !== addrKey) {
        addr.dataset.key = addrKey;
        // "akka.tcp://relay@" is dimmed (and dropped on narrow screens); host:port is what tells nodes apart.
        const at = n.address.lastIndexOf("@");
        addr.replaceChildren(el("span", { class: "mono addr-full", title: n.address },
          at >= 0 ? el("span", { class: "addr-proto" }, n.address.slice(0, at + 1)) : null,
          at >= 0 ? n.address.slice(at + 1) : n.address));
        if (n.self) addr.append(el("span", { class: "tag", title: "the node serving this page" }, "this node"));
      }

      const st = cell(tr, "status");
      if (st.dataset.key !== status) {
        st.dataset.key = status;
        st.replaceChildren(el("span", { class: "badge badge-" + statusClass(status) }, status));
      }

      setCell(cell(tr, "endpoint"), R.fmtText(n.clientEndpoint));
      setCell(cell(tr, "clients"), R.fmtInt(n.clients));
      setCell(cell(tr, "blocks"), R.fmtInt(n.blocks));
      setCell(cell(tr, "in"), R.fmtRate(n.inPerSecond));
      setCell(cell(tr, "out"), R.fmtRate(n.outPerSecond));

      const tc = cell(tr, "transports");
      const tp = n.transports && typeof n.transports === "object" ? n.transports : null;
      const tkey = tp ? JSON.stringify(tp) : "";
      if (tc.dataset.key !== tkey || !tc.firstChild) {
        tc.dataset.key = tkey;
        if (!tp) tc.replaceChildren(R.DASH);
        else {
          const keys = ["tcp", "udp", "ws"].concat(Object.keys(tp).filter((k) => !["tcp", "udp", "ws"].includes(k)));
          tc.replaceChildren(...keys.map((k) =>
            el("span", { class: "tp" + (R.isNum(tp[k]) && tp[k] > 0 ? "" : " tp-zero"), dataset: { transport: k } },
              el("span", { class: "tp-k" }, k), " ", R.fmtInt(R.isNum(tp[k]) ? tp[k] : 0))));
        }
      }

      const rep = cell(tr, "reported");
      R.setText(rep, R.fmtAge(n.reportedMsAgo));
      rep.classList.toggle("stale", R.isNum(n.reportedMsAgo) && n.reportedMsAgo > 3000);
      R.setAttr(rep, "title", R.isNum(n.reportedMsAgo) ? "last summary " + R.fmtAge(n.reportedMsAgo) + " ago" : "no summary yet");

      if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] || null);
    });
    for (const [address, tr] of nodeRows) {
      if (!seen.has(address)) {
        tr.remove();
        nodeRows.delete(address);
      }
    }
    R.setText($("nodes-count"), nodes.length === 1 ? "1 member" : nodes.length + " members");
  }

  // ---- clients (cursor paging) ---------------------------------------------------------

  const clients = {
    from: 0,
    history: [],      // the `from` of the pages before this one, for "prev"
    next: null,
    highlight: null,  // the id asked for with "go to id"
    toTop: false,     // a new page starts at the top; refreshes of the same page keep the scroll position
    seq: 0,
    inflight: false,
    pending: false,
    lastIds: [],
  };
  const clientRows = new Map();

  function navigate(from, opts) {
    clients.from = from;
    clients.highlight = opts && opts.highlight !== undefined ? opts.highlight : null;
    clients.toTop = true;
    clients.seq++;
    clients.inflight = false; // a newer request replaces the one in flight
    refreshClients();
  }

  async function refreshClients() {
    if (clients.inflight) {
      clients.pending = true;
      return;
    }
    clients.inflight = true;
    const seq = clients.seq;
    const from = clients.from;
    try {
      const data = await R.fetchJson("api/clients", { from, limit: PAGE });
      if (seq !== clients.seq) return;
      renderClients(data, from);
      showError(null);
    } catch (e) {
      if (seq !== clients.seq) return;
      if (e.status !== 401) showError("could not load clients: " + e.message);
    } finally {
      if (seq === clients.seq) {
        clients.inflight = false;
        if (clients.pending) {
          clients.pending = false;
          refreshClients();
        }
      }
    }
  }

  function clientRow(id) {
    let tr = clientRows.get(id);
    if (tr) return tr;
    const td = (col, cls) => el("td", { class: cls, dataset: { col } });
    tr = el("tr", { "data-id": id },
      td("id", "num mono id"), td("node", "mono"), td("transport"), td("protocol"), td("remote", "mono"),
      td("since", "since"), td("in", "num"), td("out", "num"), td("rooms", "rooms"));
    R.setText(cell(tr, "id"), String(id));
    clientRows.set(id, tr);
    return tr;
  }

  function setCell(td, text, title) {
    R.setText(td, text);
    R.setAttr(td, "title", title || null);
    td.classList.toggle("missing", text === R.DASH);
  }

  function renderClients(data, from) {
    const list = Array.isArray(data && data.clients) ? data.clients : [];
    const tbody = $("clients-table").tBodies[0];
    const now = Date.now();
    const seen = new Set();
    let i = 0;
    for (const c of list) {
      if (!c || !R.isNum(c.id)) continue;
      seen.add(c.id);
      const tr = clientRow(c.id);
      const known = c.transport != null || c.protocol != null || c.connectedAt != null;
      tr.classList.toggle("partial", !known);
      R.setAttr(tr, "title", known ? null : "its node did not answer in time: details unknown");

      setCell(cell(tr, "node"), R.shortAddress(c.node), c.node || null);
      setCell(cell(tr, "transport"), R.fmtText(c.transport));
      setCell(cell(tr, "protocol"), R.fmtText(c.protocol));
      setCell(cell(tr, "remote"), R.fmtText(c.remote));
      const at = typeof c.connectedAt === "string" ? Date.parse(c.connectedAt) : NaN;
      setCell(cell(tr, "since"), Number.isFinite(at) ? R.fmtAgo(now - at) : R.DASH, Number.isFinite(at) ? c.connectedAt : null);
      setCell(cell(tr, "in"), R.fmtInt(c.messagesIn));
      setCell(cell(tr, "out"), R.fmtInt(c.messagesOut));
      const rooms = Array.isArray(c.rooms) ? c.rooms.join(", ") : null;
      setCell(cell(tr, "rooms"), rooms === null ? R.DASH : rooms, rooms || null);

      const hl = clients.highlight !== null && c.id === clients.highlight;
      tr.classList.toggle("highlight", hl);
      if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] || null);
      i++;
    }
    for (const [id, tr] of clientRows) {
      if (!seen.has(id)) {
        tr.remove();
        clientRows.delete(id);
      }
    }

    clients.next = R.isNum(data.next) ? data.next : null;
    const total = R.isNum(data.total) ? data.total : null;
    const ids = [...seen];

    R.setText($("clients-summary"), total === null ? "" : R.fmtInt(total) + (total === 1 ? " client" : " clients"));
    let page;
    if (!ids.length) page = "";
    else page = "ids " + ids[0] + "–" + ids[ids.length - 1];
    if (clients.highlight === null && clients.from === 0) page = (page ? page + " · " : "") + "page 1";
    else if (clients.highlight === null && clients.history.length) page += " · page " + (clients.history.length + 1);
    R.setText($("clients-page"), page);

    let notice = "";
    if (!ids.length) notice = from > 0 ? "no clients with id ≥ " + from : "";
    else if (clients.highlight !== null && ids[0] !== clients.highlight) notice = "no client " + clients.highlight + "; showing the next ids";
    R.setText($("clients-notice"), notice);

    const empty = $("clients-empty");
    empty.hidden = ids.length > 0;
    R.setText(empty, from > 0 ? "no clients with id ≥ " + from : "no clients connected");

    $("clients-next").disabled = clients.next === null;
    $("clients-prev").disabled = clients.history.length === 0;
    $("clients-first").disabled = clients.from === 0 && clients.history.length === 0;

    if (clients.toTop) {
      clients.toTop = false;
      $("clients-table").parentElement.scrollTop = 0;
    }
  }

  function setupClients() {
    $("clients-next").addEventListener("click", () => {
      if (clients.next === null) return;
      clients.history.push(clients.from);
      navigate(clients.next);
    });
    $("clients-prev").addEventListener("click", () => {
      if (!clients.history.length) return;
      navigate(clients.history.pop());
    });
    $("clients-first").addEventListener("click", () => {
      clients.history = [];
      navigate(0);
    });
    const input = $("goto-id");
    R.digitsOnly(input);
    $("goto-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (!/^[0-9]{1,18}$/.test(v)) {
        input.focus();
        return;
      }
      const id = Number(v); // exact up to 2^53; ids are far below that in practice
      clients.history = clients.from !== id ? [] : clients.history;
      navigate(id, { highlight: id });
    });
  }

  // ---- rooms ---------------------------------------------------------------------------

  const rooms = { pages: 1, list: [], more: false, inflight: false, pending: false };
  const roomRows = new Map();

  async function refreshRooms() {
    if (rooms.inflight) {
      rooms.pending = true;
      return;
    }
    rooms.inflight = true;
    try {
      const list = [];
      let after = null;
      let more = false;
      for (let p = 0; p < rooms.pages; p++) {
        const data = await R.fetchJson("api/rooms", { after, limit: ROOMS_PAGE });
        const page = Array.isArray(data && data.rooms) ? data.rooms : [];
        list.push(...page);
        more = !!(data && data.more) && page.length > 0;
        if (!more) break;
        after = page[page.length - 1].name;
      }
      rooms.list = list;
      rooms.more = more;
      renderRooms();
    } catch (e) {
      if (e.status !== 401) showError("could not load rooms: " + e.message);
    } finally {
      rooms.inflight = false;
      if (rooms.pending) {
        rooms.pending = false;
        refreshRooms();
      }
    }
  }

  function renderRooms() {
    const tbody = $("rooms-table").tBodies[0];
    const seen = new Set();
    let i = 0;
    for (const r of rooms.list) {
      if (!r || typeof r.name !== "string" || seen.has(r.name)) continue;
      seen.add(r.name);
      let tr = roomRows.get(r.name);
      if (!tr) {
        const name = el("button", { type: "button", class: "linkish", title: "use this room in the chat" }, r.name);
        name.addEventListener("click", () => R.chat && R.chat.useRoom(r.name));
        tr = el("tr", { "data-room": r.name },
          el("td", { dataset: { col: "name" } }, name),
          el("td", { class: "num", dataset: { col: "members" } }));
        roomRows.set(r.name, tr);
      }
      R.setText(cell(tr, "members"), R.fmtInt(r.members));
      if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] || null);
      i++;
    }
    for (const [name, tr] of roomRows) {
      if (!seen.has(name)) {
        tr.remove();
        roomRows.delete(name);
      }
    }
    $("rooms-empty").hidden = seen.size > 0;
    $("rooms-more").hidden = !rooms.more;
    const total = lastOverview && lastOverview.totals ? lastOverview.totals.rooms : null;
    R.setText($("rooms-count"),
      R.isNum(total) && total > seen.size ? "showing " + seen.size + " of " + R.fmtInt(total) : seen.size ? String(seen.size) : "");
  }

  function setupRooms() {
    $("rooms-more").addEventListener("click", () => {
      rooms.pages++;
      refreshRooms();
    });
  }

  // ---- start ---------------------------------------------------------------------------

  function start() {
    chart = new R.RateChart($("rate-chart"));
    setupClients();
    setupRooms();
    setLive("connecting");
    // One plain request first: the page fills at once, and a 401 is told apart from a down node.
    R.fetchJson("api/overview")
      .then((ov) => {
        applyOverview(ov, false);
        openStream();
      })
      .catch((e) => {
        if (e.status === 401) scheduleRetry();
        else {
          showError("could not load the overview: " + e.message);
          openStream();
        }
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.Relay);
