// Drives tinyswap's page (/ui/) in headless Chromium: both models listed, load and unload change the state shown,
// a model's log line arrives, a request's capture opens from the activity table. Usage: node page-check.mjs BASE_URL SCREENSHOT_DIR USER_DATA_DIR
import { chromium } from "playwright-core";
import path from "node:path";

const [base, shots, userDataDir] = process.argv.slice(2);
const bound = 60_000;
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1100, height: 800 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const steps = [];
const pageErrors = [];
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(bound);
  page.on("pageerror", error => pageErrors.push(String(error)));
  const stateOf = model => page.locator(`tr[data-model="${model}"] [data-role="state"]`);
  const waitState = async (model, state) => {
    await page.waitForFunction(([m, s]) =>
      document.querySelector(`tr[data-model="${m}"] [data-role="state"]`)?.textContent.startsWith(s), [model, state]);
    steps.push(`${model} ${state}`);
  };

  const response = await page.goto(base + "/");
  steps.push(`opened ${new URL(page.url()).pathname} (${response.status()})`);
  await waitState("a", "stopped");
  await waitState("b", "stopped");

  await page.click('tr[data-model="a"] button[data-action="load"]');
  await waitState("a", "ready");
  await page.waitForFunction(() => document.getElementById("log").textContent.includes("hello-from-a"));
  steps.push("log line arrived");
  await page.screenshot({ path: path.join(shots, "page-loaded.png"), fullPage: true });

  // captureBuffer is on: a completion sent from the page shows in the activity table with a capture link, and the
  // link opens the request and the answer.
  await page.evaluate(() => fetch("/v1/chat/completions", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: "a", messages: [{ role: "user", content: "capture-me" }], stream: true, n_events: 2 }) }).then(r => r.text()));
  await page.click("#activity a.capture");
  await page.waitForFunction(() => document.getElementById("captureRequest").textContent.includes("capture-me")
    && document.getElementById("captureResponse").textContent.includes("── content ──"));
  steps.push("capture shown");
  await page.screenshot({ path: path.join(shots, "page-capture.png"), fullPage: true });
  await page.click("#captureDialog button");

  await page.click('tr[data-model="a"] button[data-action="unload"]');
  await waitState("a", "stopped");

  await page.selectOption("#logSource", "a");
  await page.waitForFunction(() => document.getElementById("log").textContent.includes("hello-from-a"));
  steps.push("model log shown");
  await page.screenshot({ path: path.join(shots, "page-unloaded.png"), fullPage: true });
  console.log(JSON.stringify({ ok: pageErrors.length === 0, steps, pageErrors, b: await stateOf("b").textContent() }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, steps, pageErrors, error: String(error) }));
} finally {
  await context.close();
}
