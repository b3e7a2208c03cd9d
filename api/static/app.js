// Footnote's chat page. Plain JavaScript, no dependencies, nothing fetched from elsewhere.
// Every piece of document or model text is inserted as text (textContent), never as HTML.
"use strict";

// A server with FOOTNOTE_API_KEYS answers 401: ask for a key once, keep it for this tab.
const KEY_STORE = "footnote-api-key";

async function api(path, options = {}) {
  const request = () => {
    const key = sessionStorage.getItem(KEY_STORE);
    const headers = { ...(options.headers || {}) };
    if (key) headers.Authorization = `Bearer ${key}`;
    return fetch(path, { ...options, headers });
  };
  let response = await request();
  if (response.status === 401) {
    const key = window.prompt("This Footnote needs an API key:");
    if (key) {
      sessionStorage.setItem(KEY_STORE, key.trim());
      response = await request();
    }
  }
  return response;
}

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const layout = document.querySelector(".layout");
const viewer = document.getElementById("viewer");
const viewerTitle = document.getElementById("viewer-title");
const viewerFile = document.getElementById("viewer-file");
const viewerText = document.getElementById("viewer-text");

let history = [];  // {role, content} turns sent with each question, for follow-ups
// The conversation survives a reload of this tab (not a new tab: it may be a shared machine).
const CONVERSATION_STORE = "footnote-conversation";
const KEPT_EXCHANGES = 50;
let exchanges = [];  // {question, response} as shown, in order
const chosen = new Set();  // documents ticked in the panel: questions go to them only
const sourceTexts = new Map();  // file name -> full text, fetched once

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addMessage(role, text) {
  const item = element("li", `msg ${role}`, text);
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function showError(item, message) {
  item.className = "msg error";
  item.textContent = message;
}

// Answer text with each [n] turned into a button that opens the cited passage.
function renderAnswer(item, response) {
  item.textContent = "";
  item.className = "msg assistant";
  if (response.abstained) item.classList.add("abstained");
  if (!response.grounded) item.classList.add("ungrounded");
  if (response.conflicts && response.conflicts.length) {
    item.appendChild(element("span", "badge", "Sources disagree"));
    item.appendChild(document.createElement("br"));
  }
  const byId = new Map(response.citations.map((c) => [c.id, c]));
  const parts = response.answer.split(/(\[\d+\])/);
  for (const part of parts) {
    const match = /^\[(\d+)\]$/.exec(part);
    const citation = match && byId.get(Number(match[1]));
    if (citation) {
      const button = element("button", "fn", `[${citation.id}]`);
      button.type = "button";
      button.dataset.id = String(citation.id);
      button.setAttribute("aria-label", `Source ${citation.id}: ${citation.source}`);
      button.addEventListener("click", () => openSource(citation, button));
      item.appendChild(button);
    } else {
      item.appendChild(document.createTextNode(part));
    }
  }
  if (response.citations.length) item.appendChild(sourcesList(response.citations));
  if (response.abstained && response.closest && response.closest.length) {
    item.appendChild(closestList(response.closest));
  }
  item.appendChild(tools(response));
}

// A refusal's nearest sentences, folded away: not an answer, but there to check the refusal.
function closestList(closest) {
  const box = element("details", "sources closest");
  box.appendChild(element("summary", "", "Closest passages (not an answer)"));
  const list = element("ul");
  for (const citation of closest) {
    const entry = element("li");
    const link = element("button", "", `“${citation.quote.replace(/\s+/g, " ")}”`);
    link.type = "button";
    link.setAttribute("aria-label", `Open ${citation.source} at this passage`);
    link.addEventListener("click", () => openSource(citation, null));
    entry.append(link, ` — ${headingPath(citation)} (${citation.source})`);
    list.appendChild(entry);
  }
  box.appendChild(list);
  return box;
}

// The quote's document title, then the headings it sits under ("Usage › Options").
function headingPath(citation) {
  return [citation.title, citation.section].filter(Boolean).join(" › ");
}

function sourcesList(citations) {
  const box = element("div", "sources", "Sources: ");
  const list = element("ul");
  const seen = new Set();
  for (const citation of citations) {
    if (seen.has(citation.source)) continue;
    seen.add(citation.source);
    const entry = element("li");
    const link = element("button", "", `${citation.title} (${citation.source})`);
    link.type = "button";
    link.addEventListener("click", () => openSource(citation, null));
    entry.appendChild(link);
    list.appendChild(entry);
  }
  box.appendChild(list);
  return box;
}

function tools(response) {
  const bar = element("div", "tools");
  const copy = element("button", "", "Copy answer");
  copy.type = "button";
  copy.addEventListener("click", async () => {
    const sources = response.citations
      .map((c) => `[${c.id}] ${c.source}: “${c.quote.replace(/\s+/g, " ")}”`)
      .join("\n");
    const text = sources ? `${response.answer}\n\nSources:\n${sources}` : response.answer;
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = "Copied";
    } catch {
      copy.textContent = "Copy failed";
    }
  });
  bar.appendChild(copy);
  return bar;
}

async function sourceText(name) {
  if (!sourceTexts.has(name)) {
    const response = await api(`/sources/${name.split("/").map(encodeURIComponent).join("/")}`);
    if (!response.ok) throw new Error(await problemDetail(response));
    sourceTexts.set(name, (await response.json()).text);
  }
  return sourceTexts.get(name);
}

// Show the whole source beside the chat with the cited passage highlighted from its offsets.
async function openSource(citation, button) {
  document.querySelectorAll(".fn.active").forEach((b) => b.classList.remove("active"));
  if (button) button.classList.add("active");
  library.hidden = true;
  viewer.hidden = false;
  layout.classList.add("with-viewer");
  viewerTitle.textContent = headingPath(citation);
  viewerFile.textContent = citation.source;
  viewerText.textContent = "Loading…";
  try {
    const text = await sourceText(citation.source);
    const mark = element("mark", "", text.slice(citation.start, citation.end));
    viewerText.replaceChildren(
      document.createTextNode(text.slice(0, citation.start)),
      mark,
      document.createTextNode(text.slice(citation.end)),
    );
    mark.scrollIntoView({ block: "center" });
    viewerText.focus({ preventScroll: true });
  } catch (error) {
    viewerText.textContent = `Could not load the source: ${error.message}`;
  }
}

async function problemDetail(response) {
  try {
    const body = await response.json();
    return body.detail || `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

// Reads Server-Sent Events from a fetch response, calling onEvent(name, data) for each.
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      onEvent(name, data ? JSON.parse(data) : {});
    }
  }
}

async function ask(question) {
  const pending = [...history, { role: "user", content: question }];
  addMessage("user", question);
  const item = addMessage("assistant", "…");
  send.disabled = true;
  let streamed = "";
  let answered = false;
  try {
    const response = await api("/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        messages: pending,
        stream: true,
        ...(chosen.size ? { sources: [...chosen] } : {}),
      }),
    });
    if (!response.ok) throw new Error(await problemDetail(response));
    await readEvents(response, (name, data) => {
      if (name === "delta") {
        streamed += data.text;
        item.textContent = streamed;
        item.scrollIntoView({ block: "end" });
      } else if (name === "citations") {
        answered = true;
        renderAnswer(item, data);
        history = [...pending, { role: "assistant", content: data.answer }];
        exchanges.push({ question, response: data });
        saveConversation();
      } else if (name === "error") {
        throw new Error(data.detail || "The answer failed midway.");
      }
    });
    if (!answered) throw new Error("The connection closed before the answer was complete.");
  } catch (error) {
    const message = error instanceof TypeError ? "Footnote cannot be reached. Is the server running?" : error.message;
    showError(item, message);
  } finally {
    send.disabled = false;
    input.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question || send.disabled) return;
  input.value = "";
  ask(question);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

function saveConversation() {
  exchanges = exchanges.slice(-KEPT_EXCHANGES);
  try {
    sessionStorage.setItem(CONVERSATION_STORE, JSON.stringify(exchanges));
  } catch {
    // storage full or switched off: the conversation stays on the page until a reload
  }
}

function restoreConversation() {
  try {
    exchanges = JSON.parse(sessionStorage.getItem(CONVERSATION_STORE) || "[]");
  } catch {
    exchanges = [];
  }
  for (const { question, response } of exchanges) {
    addMessage("user", question);
    renderAnswer(addMessage("assistant", ""), response);
    history.push({ role: "user", content: question }, { role: "assistant", content: response.answer });
  }
}

document.getElementById("new-chat").addEventListener("click", () => {
  history = [];
  exchanges = [];
  sessionStorage.removeItem(CONVERSATION_STORE);
  log.replaceChildren();
  closeViewer();
  input.focus();
});

function closeViewer() {
  viewer.hidden = true;
  if (library.hidden) layout.classList.remove("with-viewer");
}

document.getElementById("viewer-close").addEventListener("click", closeViewer);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !viewer.hidden) closeViewer();
});

// The documents panel: list, upload (button or drag and drop) and delete.
const library = document.getElementById("library");
const libraryButton = document.getElementById("show-library");
const drop = document.getElementById("drop");
const upload = document.getElementById("upload");
const status = document.getElementById("library-status");
const documentsList = document.getElementById("documents");

// Ticked documents: the bar above the question box names them; questions go to them only.
const scope = document.getElementById("scope");

function renderScope() {
  scope.hidden = chosen.size === 0;
  const names = [...chosen].sort();
  document.getElementById("scope-text").textContent =
    `Asking only ${names.length === 1 ? names[0] : `${names.length} documents: ${names.join(", ")}`}.`;
  for (const box of document.querySelectorAll("#documents input[type=checkbox]")) {
    box.checked = chosen.has(box.value);
  }
}

document.getElementById("scope-clear").addEventListener("click", () => {
  chosen.clear();
  renderScope();
  input.focus();
});

function setStatus(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

async function loadDocuments() {
  const response = await api("/documents");
  if (!response.ok) return setStatus(await problemDetail(response), true);
  const documents = await response.json();
  const listed = new Set(documents.map((doc) => doc.name));
  for (const name of chosen) if (!listed.has(name)) chosen.delete(name);  // deleted elsewhere
  documentsList.replaceChildren(
    ...documents.map((doc) => {
      const item = element("li");
      const pick = element("input");
      pick.type = "checkbox";
      pick.value = doc.name;
      pick.setAttribute("aria-label", `Ask only ticked documents: ${doc.name}`);
      pick.addEventListener("change", () => {
        if (pick.checked) chosen.add(doc.name);
        else chosen.delete(doc.name);
        renderScope();
      });
      const label = element("div", "doc");
      label.appendChild(element("div", "", doc.title));
      label.appendChild(element("div", "meta", `${doc.name} · ${doc.format} · ${doc.passages} passages`));
      const remove = element("button", "", "Delete");
      remove.type = "button";
      remove.setAttribute("aria-label", `Delete ${doc.name}`);
      remove.addEventListener("click", async () => {
        const reply = await api(`/documents/${encodeURIComponent(doc.name)}`, { method: "DELETE" });
        if (!reply.ok) return setStatus(await problemDetail(reply), true);
        sourceTexts.delete(doc.name);
        chosen.delete(doc.name);
        setStatus(`Deleted ${doc.name}.`);
        loadDocuments();
      });
      item.append(pick, label, remove);
      return item;
    }),
  );
  renderScope();
}

async function uploadFiles(files) {
  if (!files.length) return;
  const form = new FormData();
  for (const file of files) form.append("files", file);
  setStatus(`Adding ${files.length} file(s)…`);
  const response = await api("/documents", { method: "POST", body: form });
  if (!response.ok) return setStatus(await problemDetail(response), true);
  setStatus((await response.json()).summary);
  loadDocuments();
}

function toggleLibrary(open) {
  library.hidden = !open;
  libraryButton.setAttribute("aria-expanded", String(open));
  if (open) {
    closeViewer();
    layout.classList.add("with-viewer");
    loadDocuments();
  } else if (viewer.hidden) {
    layout.classList.remove("with-viewer");
  }
}

libraryButton.addEventListener("click", () => toggleLibrary(library.hidden));
document.getElementById("library-close").addEventListener("click", () => toggleLibrary(false));
upload.addEventListener("change", () => uploadFiles([...upload.files]).finally(() => (upload.value = "")));
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  uploadFiles([...event.dataTransfer.files]);
});

restoreConversation();
input.focus();
