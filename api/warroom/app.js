// The Vigil war room: open incidents, live over graphql-transport-ws, no build step.
// Every GraphQL operation comes from /warroom/operations.graphql (a copy of
// frontend-schema/operations/warroom.graphql): each is sent with only the fragments it
// uses, so one the server cannot validate leaves the others working.
"use strict";

const TOKEN_KEY = "vigil.token";
const ACTIVE = new Set(["TRIGGERED", "ACKNOWLEDGED"]);
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const ON_CALL_REFRESH_MS = 60000;

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  operations: null,
  incidents: new Map(),
  selected: null,
  onCall: new Map(), // serviceId -> {names, fetchedAt} | {pending: true}
  onCallSupported: true,
  freshUntil: new Map(), // incidentId -> ms: highlight rows that just appeared
  live: null,
};

class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.codes = errors.map((e) => (e.extensions || {}).code);
  }
}

async function loadOperations() {
  const response = await fetch("/warroom/operations.graphql", { cache: "no-cache" });
  if (!response.ok) throw new Error(`could not load the page's operations (${response.status})`);
  return splitDefinitions(await response.text());
}

// Name -> text of each top-level definition. Enough for our own file, which holds no
// strings: comments are dropped, then each definition ends where its braces balance.
function splitDefinitions(source) {
  const text = source.replace(/#[^\n]*/g, "");
  const definitions = new Map();
  const header = /\b(query|mutation|subscription|fragment)\s+(\w+)/g;
  let match;
  while ((match = header.exec(text)) !== null) {
    let depth = 0;
    let parens = 0;
    let end = text.length;
    for (let i = header.lastIndex; i < text.length; i += 1) {
      const c = text[i];
      if (c === "(") parens += 1;
      else if (c === ")") parens -= 1;
      else if (c === "{") depth += 1;
      else if (c === "}" && --depth === 0 && parens === 0) {
        end = i + 1;
        break;
      }
    }
    definitions.set(match[2], text.slice(match.index, end));
    header.lastIndex = end;
  }
  return definitions;
}

// The operation with the fragments it spreads, transitively.
function documentFor(operationName) {
  const parts = new Map();
  const add = (name) => {
    if (parts.has(name)) return;
    const text = state.operations.get(name);
    if (!text) throw new Error(`${name} is not in operations.graphql`);
    parts.set(name, text);
    for (const [, spread] of text.matchAll(/\.\.\.\s*(\w+)/g)) if (spread !== "on") add(spread);
  };
  add(operationName);
  return [...parts.values()].join("\n");
}

async function request(operationName, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${state.token}` },
    body: JSON.stringify({ query: documentFor(operationName), operationName, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
  return body.data;
}

// --- graphql-transport-ws ------------------------------------------------------------

class LiveConnection {
  constructor({ onEvent, onResync, onStatus, onRejected }) {
    Object.assign(this, { onEvent, onResync, onStatus, onRejected });
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
    this.stopped = false;
    this.everConnected = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000, "logged out");
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/graphql`, "graphql-transport-ws");
    this.socket = socket;
    this.onStatus("reconnecting", this.everConnected ? "Reconnecting…" : "Connecting…");
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({
        type: "connection_init",
        payload: { authorization: `Bearer ${state.token}` },
      }));
    });
    socket.addEventListener("message", (message) => this.receive(socket, JSON.parse(message.data)));
    socket.addEventListener("close", (event) => this.closed(socket, event));
  }

  receive(socket, message) {
    switch (message.type) {
      case "connection_ack":
        socket.send(JSON.stringify({
          id: "incident-events",
          type: "subscribe",
          payload: { query: documentFor("WarRoomIncidentEvents"), operationName: "WarRoomIncidentEvents" },
        }));
        this.attempt = 0;
        this.onStatus("live", "Live");
        // Whatever happened while we were away is not replayed: fetch the state anew.
        this.onResync(this.everConnected);
        this.everConnected = true;
        break;
      case "next":
        if (message.payload.errors) this.onStatus("live", "Live (an update failed)");
        else this.onEvent(message.payload.data.incidentEvents);
        break;
      case "error":
        this.onStatus("offline", `Subscription refused: ${message.payload.map((e) => e.message).join("; ")}`);
        break;
      case "complete":
        // The server ended the feed: a new connection starts it again.
        socket.close(1000, "completed");
        break;
      case "ping":
        socket.send(JSON.stringify({ type: "pong" }));
        break;
      default:
        break;
    }
  }

  closed(socket, event) {
    if (socket !== this.socket || this.stopped) return;
    // 4401/4403: the token was refused; retrying would not help.
    if (event.code === 4401 || event.code === 4403) {
      this.onRejected(event.reason || "The token was refused.");
      return;
    }
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    // Jitter keeps a room of screens from reconnecting in lockstep after a restart.
    const wait = delay / 2 + Math.random() * (delay / 2);
    this.onStatus("reconnecting", `Connection lost; retrying in ${Math.ceil(wait / 1000)} s`);
    this.timer = setTimeout(() => this.connect(), wait);
  }
}

// --- rendering -----------------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

const badge = (kind, value) => element("span", { className: `badge ${kind}-${value}` }, value.toLowerCase());

function age(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d`;
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function onCallText(serviceId) {
  if (!state.onCallSupported) return "—";
  const known = state.onCall.get(serviceId);
  if (!known || known.pending) return "…";
  return known.names.length ? known.names.join(", ") : "nobody";
}

function renderIncidents() {
  const rows = $("incident-rows");
  const open = [...state.incidents.values()]
    .filter((incident) => ACTIVE.has(incident.status))
    .sort((a, b) => b.number - a.number);
  rows.replaceChildren(...open.map((incident) => {
    const openButton = element("button", { type: "button", "data-incident": incident.id }, incident.title);
    openButton.addEventListener("click", () => select(incident.id));
    const row = element(
      "tr",
      { "data-incident-row": incident.id, className: incident.id === state.selected ? "selected" : "" },
      element("td", { className: "number" }, `#${incident.number}`),
      element("td", {}, badge("sev", incident.severity)),
      element("td", { "data-field": "status" }, badge("st", incident.status)),
      element("td", { className: "title" }, openButton, element("div", { className: "meta" }, incident.service.name)),
      element("td", { "data-field": "age", "data-created": incident.createdAt }, age(incident.createdAt)),
      element("td", { "data-field": "alerts" }, `${incident.alertCount} (${incident.openAlertCount} firing)`),
      element("td", { "data-field": "oncall" }, onCallText(incident.service.id)),
    );
    if ((state.freshUntil.get(incident.id) || 0) > Date.now()) row.classList.add("fresh");
    return row;
  }));
  $("incident-count").textContent = `(${open.length})`;
  $("no-incidents").hidden = open.length > 0;
  for (const incident of open) refreshOnCall(incident.service.id);
}

function tickAges() {
  for (const cell of document.querySelectorAll("[data-created]")) cell.textContent = age(cell.dataset.created);
}

function renderDetail(incident) {
  $("detail").hidden = false;
  $("detail-heading").textContent = `#${incident.number} ${incident.title}`;
  const meta = [incident.severity.toLowerCase(),
    `service ${incident.service.name}`, `opened ${age(incident.createdAt)} ago`,
    `${incident.alertCount} alerts, ${incident.openAlertCount} firing`];
  if (incident.acknowledgedBy) meta.push(`acknowledged by ${incident.acknowledgedBy}`);
  if (incident.resolvedBy) meta.push(`resolved by ${incident.resolvedBy}`);
  $("detail-meta").replaceChildren(badge("st", incident.status), " ", meta.join(" · "));
  $("acknowledge").disabled = incident.status !== "TRIGGERED";
  $("resolve").disabled = incident.status === "RESOLVED";
  $("alert-total").textContent = `(${incident.alertCount})`;
  $("alerts").replaceChildren(...incident.alerts.edges.map(({ node }) => alertItem(node)));
  $("timeline").replaceChildren(...incident.timeline.edges.map(({ node }) => element(
    "li", {},
    element("span", { className: "when" }, clock(node.at)), " ",
    element("strong", {}, node.kind.toLowerCase().replaceAll("_", " ")), ` ${node.message} `,
    element("span", { className: "meta" }, `(${node.actor})`),
  )));
}

function alertItem(alert) {
  const why = alert.correlation;
  let explanation = null;
  if (why) {
    const parts = [`${why.reason}`, `score ${why.score.toFixed(2)}`];
    if (why.linkedAlert) parts.push(`linked to "${why.linkedAlert.summary}" on ${why.linkedAlert.serviceName}`);
    if (why.signals.length) {
      parts.push(`signals: ${why.signals.map((s) => `${s.name} ${s.value.toFixed(2)}`).join(", ")}`);
    }
    explanation = element("div", { className: "why" }, `Why here: ${parts.join(" · ")}`);
  }
  return element(
    "li", {},
    badge("sev", alert.severity), " ",
    element("strong", {}, alert.summary),
    element("div", { className: "meta" },
      `${alert.serviceName} · ${alert.source} · ${alert.status.toLowerCase()} · ×${alert.count} · ${clock(alert.occurredAt)}`),
    explanation,
  );
}

function setStatus(kind, text) {
  const status = $("connection");
  status.dataset.state = kind;
  status.textContent = text;
}

function announce(text) {
  $("announcer").textContent = text;
}

function showError(where, error) {
  $(where).textContent = error ? error.message : "";
}

// --- data ------------------------------------------------------------------------------

async function refetchIncidents() {
  const data = await request("WarRoomOpenIncidents");
  state.incidents = new Map(data.incidents.edges.map(({ node }) => [node.id, node]));
  renderIncidents();
}

async function refreshOnCall(serviceId, force = false) {
  if (!state.onCallSupported) return;
  const known = state.onCall.get(serviceId);
  if (known && (known.pending || (!force && Date.now() - known.fetchedAt < ON_CALL_REFRESH_MS))) return;
  state.onCall.set(serviceId, { pending: true });
  try {
    const data = await request("WarRoomOnCall", { serviceId });
    state.onCall.set(serviceId, { names: data.whoIsOnCall.map((u) => u.name), fetchedAt: Date.now() });
  } catch (error) {
    // A server without escalation policies answers a validation error: drop the column's data.
    if (error instanceof GraphQLError && error.codes.includes("GRAPHQL_VALIDATION")) {
      state.onCallSupported = false;
    } else {
      state.onCall.delete(serviceId);
      return;
    }
  }
  renderIncidentsSoon();
}

let renderPending = false;
function renderIncidentsSoon() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    renderIncidents();
  });
}

async function refetchDetail() {
  if (!state.selected) return;
  try {
    const data = await request("WarRoomIncidentDetail", { id: state.selected });
    renderDetail(data.incident);
  } catch (error) {
    showError("action-error", error);
  }
}

let detailTimer = null;
function refetchDetailSoon() {
  // A storm brings many events a second for one incident: refetch at most every 500 ms.
  if (detailTimer) return;
  detailTimer = setTimeout(() => {
    detailTimer = null;
    refetchDetail();
  }, 500);
}

function select(id) {
  state.selected = id;
  // A link to this view (pages carry one: /warroom#incident=<id>) survives a reload.
  history.replaceState(null, "", `#incident=${encodeURIComponent(id)}`);
  renderIncidents();
  refetchDetail().then(() => $("detail-heading").focus());
}

function onEvent(event) {
  const incident = event.incident;
  const known = state.incidents.get(incident.id);
  state.incidents.set(incident.id, incident);
  if (!known) state.freshUntil.set(incident.id, Date.now() + 3000);
  if (event.kind === "CREATED" || (!known && ACTIVE.has(incident.status))) {
    announce(`New ${incident.severity.toLowerCase()} incident #${incident.number}: ${incident.title}`);
  } else if (event.kind === "ACKNOWLEDGED" || event.kind === "RESOLVED") {
    announce(`Incident #${incident.number} ${event.kind.toLowerCase()}`);
  }
  if (!ACTIVE.has(incident.status)) state.incidents.delete(incident.id);
  renderIncidentsSoon();
  if (incident.id === state.selected) refetchDetailSoon();
}

async function onResync(again) {
  try {
    state.onCall.clear();
    await refetchIncidents();
    await refetchDetail();
    if (again) announce("Reconnected; the board is up to date.");
  } catch (error) {
    setStatus("offline", `Could not load incidents: ${error.message}`);
  }
}

// --- actions and login -------------------------------------------------------------------

async function act(operationName, variables) {
  showError("action-error", null);
  try {
    await request(operationName, variables);
    await refetchDetail();
  } catch (error) {
    showError("action-error", error);
  }
}

function showLogin(message) {
  if (state.live) state.live.stop();
  state.live = null;
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $("board").hidden = true;
  $("logout").hidden = true;
  $("who").textContent = "";
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  setStatus("offline", "Not connected");
  $("token").focus();
}

async function start() {
  try {
    const data = await request("WarRoomMe");
    $("who").textContent = `Logged in as ${data.me.name}`;
  } catch (error) {
    showLogin(error.message);
    return;
  }
  $("login").hidden = true;
  $("board").hidden = false;
  $("logout").hidden = false;
  state.live = new LiveConnection({
    onEvent,
    onResync,
    onStatus: setStatus,
    onRejected: (reason) => showLogin(reason),
  });
  state.live.start();
  const linked = /^#incident=(.+)$/.exec(location.hash);
  if (linked) select(decodeURIComponent(linked[1]));
}

async function main() {
  try {
    state.operations = await loadOperations();
  } catch (error) {
    setStatus("offline", error.message);
    return;
  }
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.token = $("token").value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    $("token").value = "";
    start();
  });
  $("logout").addEventListener("click", () => showLogin(""));
  $("acknowledge").addEventListener("click", () => act("WarRoomAcknowledge", { id: state.selected }));
  $("resolve").addEventListener("click", () => act("WarRoomResolve", { id: state.selected }));
  $("note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = $("note").value.trim();
    if (!body) return;
    $("note").value = "";
    act("WarRoomAddNote", { id: state.selected, body });
  });
  setInterval(tickAges, 15000);
  if (state.token) start();
  else showLogin("");
}

main();
