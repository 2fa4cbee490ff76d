using System.Buffers;
using System.Text.Json;
using TinySwap.Observability.Activity;
using TinySwap.Observability.Capture;

namespace TinySwap.Api;

/// <summary>
/// <c>GET /api/metrics/activity</c> and <c>/api/metrics/stats</c> in llama-swap's shapes (field names its UI and its
/// users' scripts read), with what llama-swap lacks added beside them: route, time to first byte, bytes.
/// </summary>
internal static class ActivityWriter
{
    /// <summary>
    /// <c>{"data":[…],"page":1,"limit":N,"total":T,"total_pages":1,"inflight":[…]}</c>, newest first; <c>inflight</c>
    /// (ours) lists the requests running now with the ids <c>POST /api/inflight/{id}/cancel</c> takes.
    /// </summary>
    public static void WriteActivity(IBufferWriter<byte> output, ActivityRing ring, int limit, CaptureStore? captures = null)
    {
        var entries = ring.Newest(limit);
        using var json = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        json.WriteStartObject();
        json.WriteStartArray("data"u8);
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            json.WriteNumber("id"u8, entry.Id);
            json.WriteString("timestamp"u8, entry.Started);
            json.WriteString("model"u8, entry.Model ?? "");
            json.WriteString("req_path"u8, entry.Route);
            json.WriteNumber("resp_status_code"u8, entry.Status);
            json.WriteStartObject("tokens"u8);
            json.WriteNumber("input_tokens"u8, entry.PromptTokens);
            json.WriteNumber("output_tokens"u8, entry.GeneratedTokens);
            json.WriteNumber("tokens_per_second"u8, Math.Round(entry.TokensPerSecond, 2));
            json.WriteEndObject();
            json.WriteNumber("duration_ms"u8, (long)Math.Round(entry.DurationMs));
            json.WriteNumber("ttfb_ms"u8, Math.Round(entry.FirstByteMs, 1));
            json.WriteNumber("resp_bytes"u8, entry.Bytes);
            json.WriteBoolean("has_capture"u8, captures?.Contains(entry.Id) == true);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("page"u8, 1);
        json.WriteNumber("limit"u8, limit);
        json.WriteNumber("total"u8, entries.Length);
        json.WriteNumber("total_pages"u8, 1);
        json.WriteStartArray("inflight"u8);
        foreach (var (id, started, model, route) in ring.InFlight())
        {
            json.WriteStartObject();
            json.WriteNumber("id"u8, id);
            json.WriteString("timestamp"u8, started);
            json.WriteString("model"u8, model ?? "");
            json.WriteString("req_path"u8, route);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>{"total_requests","total_input_tokens","total_output_tokens","total_cache_tokens"}</c> since start.</summary>
    public static void WriteStats(IBufferWriter<byte> output, ActivityRing ring)
    {
        var (requests, prompt, generated) = ring.Totals();
        using var json = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        json.WriteStartObject();
        json.WriteNumber("total_requests"u8, requests);
        json.WriteNumber("total_input_tokens"u8, prompt);
        json.WriteNumber("total_output_tokens"u8, generated);
        json.WriteNumber("total_cache_tokens"u8, 0);
        json.WriteNull("prompt_histogram"u8);
        json.WriteNull("gen_histogram"u8);
        json.WriteEndObject();
    }
}
