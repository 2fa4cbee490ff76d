using System.Text;
using TinySwap.LlamaCpp;

namespace TinySwap.Supervisor;

// `slots:`: llama-server's KV-cache slot files, restored once healthy and saved before the stop signal (what the
// afterHealthy/beforeStop curl hooks of reference 002 did by hand), one POST /slots/N?action=... per slot.
internal sealed partial class ModelProcess
{
    private async Task RunSlotActionsAsync(string action, bool enabled, CancellationToken cancel)
    {
        if (!enabled)
            return;
        var prefix = Config.Proxy.AbsolutePath.TrimEnd('/');
        for (var slot = 0; slot < Config.Slots.Count; slot++)
        {
            var url = new Uri(Config.Proxy, $"{prefix}/slots/{slot}?action={action}");
            var body = Encoding.UTF8.GetBytes($"{{\"filename\":\"{SlotSettings.FileName(slot)}\"}}");
            var result = await _options.HealthProbe.PostJsonAsync(url, body, Config.HookTimeout, cancel);
            // A failed restore is normal on a first start (no file yet) and a failed save loses only a cache: log, go on.
            SupervisorLog.SlotAction(_options.Logger, Config.Id, slot, action, result.StatusCode is >= 200 and < 300 ? "done" : result.ToString());
        }
    }
}
