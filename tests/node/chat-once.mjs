// One chat completion through the official openai SDK with its default retries, as an application would make it.
// Usage: node chat-once.mjs BASE_URL MODEL. Prints one JSON line: {ok, elapsedMs, status, message}.
import OpenAI from "openai";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "not-needed" });
const started = performance.now();
try {
  await client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
  console.log(JSON.stringify({ ok: true, elapsedMs: performance.now() - started }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, elapsedMs: performance.now() - started, status: error.status ?? null, message: String(error.message) }));
}
