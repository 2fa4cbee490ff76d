using System.Buffers;
using System.Text;
using System.Text.Json;
using TinySwap.Config.Keys;

namespace TinySwap.Config;

/// <summary>
/// Canonical text (compact JSON, in key-table order) of everything that shapes a model's running process: the value of
/// every key whose table row has a fingerprint (argv, environment, stop command, where it listens and how it is
/// probed, its hooks and the timeouts the supervisor uses). Keys without one (aliases, filters, metadata, ttl,
/// priority, apiKey...) are left out: a reload changing only those keeps the process.
/// </summary>
internal static class ModelFingerprint
{
    public static string Of(ModelConfig model)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var key in GlobalKeys.Section.Keys)
            {
                if (key.Fingerprint is { } global)
                    json.WriteString(key.Name, global(model));
            }
            foreach (var key in ModelKeys.Section.Keys)
            {
                if (key.Fingerprint is { } part)
                    json.WriteString(key.Name, part(model));
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
