// Drives the supervisor dashboard in headless Chromium through playwright-core, as a supervisor would.
// Usage: node dashboard-browser.cjs <config.json>; prints one JSON line with the measurements and checks.
"use strict";
const fs = require("fs");
const path = require("path");
const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { chromium } = require(config.playwrightModule);

async function main() {
  // A fresh user-data dir per run (Playwright takes it as launchPersistentContext's first argument, not as a flag).
  // App Service authentication puts the principal on every request; here the browser context does.
  const context = await chromium.launchPersistentContext(config.userDataDir, {
    executablePath: config.chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1366, height: 768 },
    extraHTTPHeaders: { "X-MS-CLIENT-PRINCIPAL": config.principal },
  });
  const out = { steps: [] };
  try {
    const page = context.pages()[0] || await context.newPage();
    const shot = async name => { const file = path.join(config.screenshots, name + ".png"); await page.screenshot({ path: file, fullPage: true }); out.steps.push(file); };

    if (config.mode === "status") {
      // A fail-safe (storage unreachable, or no rebalance lately): the page says what it means for the agents, in the
      // status line, and how the agents' rows read then.
      await page.goto(config.baseUrl + "/api/dashboard?queue=" + encodeURIComponent(config.queue) + "&poll=1000", { waitUntil: "load" });
      await page.waitForFunction(prefix => document.getElementById("status").textContent.startsWith(prefix), config.statusPrefix, { timeout: 60000 });
      out.statusText = await page.textContent("#status");
      out.statusClass = await page.getAttribute("#status", "class");
      out.agentModes = await page.$$eval("#agents tr", rows => rows.map(r => r.children.length > 1 ? r.children[1].textContent : ""));
      out.crossSellCard = await page.textContent("#n-cs");
      out.serviceOnlyCard = await page.textContent("#n-so");
      await shot(config.screenshot);
      out.ok = true;
      process.stdout.write(JSON.stringify(out) + "\n");
      return;
    }

    const started = Date.now();
    await page.goto(config.baseUrl + "/api/dashboard?queue=" + encodeURIComponent(config.queue) + "&poll=1000", { waitUntil: "load" });
    out.loadMs = Date.now() - started;
    // The posted snapshot's waiting calls appear in the card: the first paint with data.
    out.dataPaintMs = await page.waitForFunction(expected => document.getElementById("waiting").textContent === String(expected) ? performance.now() : null,
      config.waitingCalls, { timeout: 10000 }).then(h => h.jsonValue());
    // Read after the data is on screen: by then the paint entries exist (read at "load" they sometimes do not yet).
    out.firstContentfulPaintMs = await page.evaluate(() => {
      const p = performance.getEntriesByType("paint").find(e => e.name === "first-contentful-paint");
      return p ? p.startTime : null;
    });
    out.waitingShown = await page.textContent("#waiting");
    out.agentRows = await page.locator("#agents tr").count();
    out.firstFlip = await page.textContent("#flips tr:first-child td:nth-child(4)");
    // Today's cross-sell results, loaded from the queue's KPI report after the first summary.
    await page.waitForFunction(() => document.querySelectorAll("#kpi tr.total").length === 1, null, { timeout: 10000 });
    out.kpiRows = await page.$$eval("#kpi tr", rows => rows.map(r => [...r.children].map(c => c.textContent)));
    out.kpiNote = await page.textContent("#kpi-note");
    // The month's CSV link downloads the same report as CSV (fetched in the page, with the page's credentials).
    out.kpiMonthCsv = await page.evaluate(async () => {
      const link = [...document.querySelectorAll("#kpi-note a")].find(a => a.textContent.startsWith("this month"));
      const r = await fetch(link.href);
      return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
    });
    await shot("dashboard-loaded");

    // The decision log: the rebalance's decision for one agent, then a bad agent id shown inline.
    await page.getByLabel("Agent id (empty = every agent)").fill("a1");
    await page.getByRole("button", { name: "Show decisions" }).click();
    await page.waitForFunction(() => document.getElementById("log-msg").textContent.includes("decision(s)"), null, { timeout: 10000 });
    out.logRows = await page.$$eval("#log tr", rows => rows.map(r => [...r.children].map(c => c.textContent)));
    out.logMessage = await page.textContent("#log-msg");
    await shot("decision-log");
    await page.getByLabel("Agent id (empty = every agent)").fill("a b");
    await page.getByRole("button", { name: "Show decisions" }).click();
    await page.waitForFunction(() => document.getElementById("log-err-agentId").textContent.length > 0, null, { timeout: 10000 });
    out.logAgentError = await page.textContent("#log-err-agentId");

    // Again on a warm host (what a supervisor sees after the first visit of the day).
    const warmStart = Date.now();
    await page.reload({ waitUntil: "load" });
    out.warmLoadMs = Date.now() - warmStart;
    out.warmDataPaintMs = await page.waitForFunction(expected => document.getElementById("waiting").textContent === String(expected) ? performance.now() : null,
      config.waitingCalls, { timeout: 10000 }).then(h => h.jsonValue());
    out.warmFirstContentfulPaintMs = await page.evaluate(() => {
      const p = performance.getEntriesByType("paint").find(e => e.name === "first-contentful-paint");
      return p ? p.startTime : null;
    });

    // A valid change is saved and shows up in the audit.
    await page.getByLabel("Idle reserve (agents)").fill(String(config.newIdleReserve));
    await page.getByLabel("Reason for the change (goes into the audit)").fill("browser test: fewer idle agents");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForFunction(() => document.getElementById("settings-msg").textContent.startsWith("Saved"), null, { timeout: 10000 });
    await page.waitForFunction(expected => [...document.querySelectorAll("#audit tr")].some(r => r.textContent.includes(expected)),
      "idleReserve: " + config.oldIdleReserve + " → " + config.newIdleReserve, { timeout: 10000 });
    out.auditFirstRow = await page.textContent("#audit tr:first-child");
    await shot("settings-saved-and-audited");

    // A bad value shows its error inline, next to the field, and is not saved.
    await page.getByLabel("Service-level target (share, 0–1)").fill("80");
    await page.getByLabel("Reason for the change (goes into the audit)").fill("browser test: a percentage by mistake");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForFunction(() => document.getElementById("err-serviceLevelTarget").textContent.length > 0, null, { timeout: 10000 });
    out.serviceLevelError = await page.textContent("#err-serviceLevelTarget");
    out.serviceLevelInvalid = await page.getAttribute("#s-serviceLevelTarget", "aria-invalid");
    await shot("settings-validation-error");

    if (config.whatIfDay) {
      await page.getByRole("button", { name: "Discard changes" }).click();
      await page.getByLabel("Service-level target (share, 0–1)").fill("0.95");
      await page.getByLabel("Past day").fill(config.whatIfDay);
      const t0 = Date.now();
      await page.getByRole("button", { name: "Simulate current vs proposed" }).click();
      await page.waitForSelector("#whatif-out table, #whatif-out p.bad", { timeout: 60000 });
      out.whatIfMs = Date.now() - t0;
      out.whatIfText = await page.textContent("#whatif-out");
      await shot("what-if");
    }
    // The same panel on the queue's own recorded day.
    await page.getByRole("button", { name: "Discard changes" }).click();
    await page.getByLabel("Traffic").selectOption("queue");
    await page.getByLabel("Past day").fill(config.queueWhatIfDay);
    await page.getByRole("button", { name: "Simulate current vs proposed" }).click();
    await page.waitForFunction(() => /Recorded that day|No traffic|Not enough|No handle/.test(document.getElementById("whatif-out").textContent), null, { timeout: 60000 });
    out.queueWhatIfText = await page.textContent("#whatif-out");
    await shot("what-if-own-traffic");
    out.ok = true;
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch(e => { process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.stack || e) }) + "\n"); process.exit(1); });
