// The dashboard reads the same public API as neoctl; no build step, no external scripts.
"use strict";

const api = "/api/v1";
const states = ["provisioning", "burn-in", "available", "cordoned", "draining", "quarantined", "repair", "rma", "decommissioned"];
const healths = ["unknown", "healthy", "degraded", "unhealthy"];
let nextCursor = null;

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.detail || body.title || response.statusText);
  }
  return body;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillCounts(tableId, counts) {
  const table = document.getElementById(tableId);
  table.replaceChildren();
  for (const [key, count] of Object.entries(counts)) {
    const tr = document.createElement("tr");
    tr.append(cell(key, `state-${key} health-${key}`), cell(String(count), "n"));
    table.append(tr);
  }
}

function fillOptions(name, values) {
  const select = document.querySelector(`select[name="${name}"]`);
  for (const value of values) {
    const option = document.createElement("option");
    option.value = option.textContent = value;
    select.append(option);
  }
}

async function loadSummary() {
  const summary = await getJson(`${api}/summary`);
  document.getElementById("total-nodes").textContent = summary.nodes;
  document.getElementById("total-gpus").textContent = summary.gpus;
  fillCounts("by-state", summary.byState);
  fillCounts("by-health", summary.byHealth);
  fillCounts("by-site", summary.bySite);
  fillCounts("by-sku", summary.bySku);
  return summary;
}

async function loadNodes(append) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) {
    if (value) params.set(key, value);
  }
  params.set("limit", "100");
  if (append && nextCursor) params.set("cursor", nextCursor);
  const status = document.getElementById("status");
  try {
    const page = await getJson(`${api}/nodes?${params}`);
    const body = document.querySelector("#nodes tbody");
    if (!append) body.replaceChildren();
    for (const node of page.items) {
      const tr = document.createElement("tr");
      tr.append(cell(node.id), cell(node.site), cell(node.rack), cell(node.sku), cell(String(node.gpuCount), "n"),
        cell(node.state, `state-${node.state}`), cell(node.health, `health-${node.health}`));
      body.append(tr);
    }
    nextCursor = page.nextCursor;
    document.getElementById("more").hidden = !nextCursor;
    status.className = "";
    status.textContent = `${body.children.length} shown${nextCursor ? ", more available" : ""}`;
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  }
}

document.getElementById("filters").addEventListener("submit", event => {
  event.preventDefault();
  loadNodes(false);
});
document.getElementById("more").addEventListener("click", () => loadNodes(true));

(async () => {
  fillOptions("state", states);
  fillOptions("health", healths);
  try {
    const summary = await loadSummary();
    fillOptions("site", Object.keys(summary.bySite));
    fillOptions("sku", Object.keys(summary.bySku));
  } catch (error) {
    document.getElementById("total-nodes").textContent = `summary unavailable: ${error.message}`;
  }
  await loadNodes(false);
  setInterval(loadSummary, 15000);
})();
