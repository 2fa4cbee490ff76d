// One streamed chat completion through the official openai SDK, read to its end with the SDK's stream iterator.
// Usage: node chat-stream.mjs BASE_URL MODEL. Prints one JSON line: {ok, content, reasoning, chunks, message}.
import OpenAI from "openai";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0 });
let content = "";
let reasoning = "";
let chunks = 0;
try {
  const stream = await client.chat.completions.create({
    model, stream: true, n_events: 3, messages: [{ role: "user", content: "hi" }],
  });
  for await (const chunk of stream) {
    chunks++;
    const delta = chunk.choices?.[0]?.delta ?? {};
    content += delta.content ?? "";
    reasoning += delta.reasoning_content ?? "";
  }
  console.log(JSON.stringify({ ok: true, content, reasoning, chunks }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, content, reasoning, chunks, message: String(error.message) }));
}
