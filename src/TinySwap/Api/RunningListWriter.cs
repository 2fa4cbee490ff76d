using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// GET /running in llama-swap's shape: <c>{"running":[{"model","state","cmd","proxy","ttl","name","description"}]}</c>,
/// plus <c>pid</c> and <c>inFlight</c>. llama-swap lists only ready processes; this lists every model with a process
/// (starting, ready, sleeping, stopping) — the state says which. A model removed by a reload but still stopping is
/// listed with empty cmd and proxy. Sorted by model id.
/// </summary>
internal static class RunningListWriter
{
    /// <example><c>RunningListWriter.Write(output, config, statusSource.Snapshot());</c></example>
    public static void Write(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot)
    {
        var running = new List<ModelStatus>(snapshot);
        running.RemoveAll(status => !ModelStateNames.HasProcess(status.State));
        running.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));

        using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("running"u8);
        foreach (var status in running)
        {
            var model = config.FindModel(status.Id);
            writer.WriteStartObject();
            writer.WriteString("model"u8, status.Id);
            writer.WriteString("state"u8, ModelStateNames.Utf8(status.State));
            writer.WriteString("cmd"u8, model is null ? "" : JoinCommand(model.Command));
            writer.WriteString("proxy"u8, model?.Proxy.OriginalString ?? "");
            // llama-swap's "ttl" is the model's unload-after in whole seconds (0: never).
            writer.WriteNumber("ttl"u8, model is null ? 0 : (long)model.Ttl.TotalSeconds);
            writer.WriteString("name"u8, model?.Name ?? "");
            writer.WriteString("description"u8, model?.Description ?? "");
            if (status.Pid is { } pid)
                writer.WriteNumber("pid"u8, pid);
            else
                writer.WriteNull("pid"u8);
            writer.WriteNumber("inFlight"u8, status.InFlight);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>argv back to one line a shell would split the same way (llama-swap shows its cmd string).</summary>
    internal static string JoinCommand(ImmutableArray<string> argv)
    {
        var line = new StringBuilder();
        foreach (var arg in argv)
        {
            if (line.Length > 0)
                line.Append(' ');
            if (arg.Length > 0 && arg.AsSpan().IndexOfAnyExcept(PlainShellWord) < 0)
                line.Append(arg);
            else
                line.Append('\'').Append(arg.Replace("'", "'\\''")).Append('\'');
        }
        return line.ToString();
    }

    private static readonly SearchValues<char> PlainShellWord =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%");
}
