using System.Diagnostics;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>The page at /ui/ as a browser sees it: served from the binary, then driven in headless Chromium.</summary>
public sealed class WebPageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_IsServedWithAStrongETagAndRevalidates_RootRedirects_NoKeyNeeded()
    {
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("apiKeys: [sekrit]", new FakeModel("a")));

        var root = await RawHttp.GetAsync(tinyswap.Port, "/");
        Assert.Equal(302, root.Status);
        Assert.Equal("/ui/", root.Header("Location"));
        var page = await RawHttp.GetAsync(tinyswap.Port, "/ui/");
        Assert.Equal(200, page.Status);
        Assert.StartsWith("text/html", page.Header("Content-Type"));
        Assert.Contains("<title>tinyswap</title>", page.BodyText);
        Assert.InRange(page.Body.Length, 1, 100 * 1024);
        var etag = page.Header("ETag");
        Assert.Matches("^\"[0-9a-f]+-[0-9a-f]{16}\"$", etag);
        Assert.Contains("default-src 'none'", page.Header("Content-Security-Policy"));

        var again = await RawHttp.SendAsync(tinyswap.Port, "GET", "/ui/", extraHeaders: [$"If-None-Match: {etag}"]);
        Assert.Equal(304, again.Status);
        Assert.Empty(again.Body);
        // The data behind the page still needs the key.
        Assert.Equal(401, (await RawHttp.GetAsync(tinyswap.Port, "/api/events")).Status);
        Assert.Equal(401, (await RawHttp.GetAsync(tinyswap.Port, "/logs")).Status);
    }

    [ChromiumFact]
    public async Task Page_InChromium_ShowsBothModels_LoadAndUnloadChangeTheState_ALogLineArrives_ACaptureOpens()
    {
        if (!File.Exists(Chromium))
            await InstallChromiumAsync();
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "page-screenshots")).FullName;
        var profile = Directory.CreateTempSubdirectory("tinyswap-chromium-").FullName;
        int portA = FreePort.Next(), portB = FreePort.Next();
        string Model(string id, int port) =>
            $"  {id}:\n    cmd: sh -c \"echo hello-from-{id}; exec {RepoPaths.FakeUpstreamBinary} --port {port} --model {id}\"\n    proxy: http://127.0.0.1:{port}\n";
        await using var tinyswap = await TinySwapServer.StartAsync("captureBuffer: 1\nmodels:\n" + Model("a", portA) + Model("b", portB));
        try
        {
            var output = await NodeSdk.RunAsync("page-check.mjs", TimeSpan.FromMinutes(4), $"http://127.0.0.1:{tinyswap.Port}", shots, profile);
            var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
            Assert.True(result.GetProperty("ok").GetBoolean(), output);
            Assert.True(File.Exists(Path.Combine(shots, "page-loaded.png")));
            Assert.True(File.Exists(Path.Combine(shots, "page-capture.png")));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task InstallChromiumAsync()
    {
        var start = new ProcessStartInfo("apt-get", ["install", "-y", "-o", "DPkg::Lock::Timeout=600", "--no-install-recommends", "chromium"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var apt = Process.Start(start)!;
        var stderr = apt.StandardError.ReadToEndAsync();
        _ = apt.StandardOutput.ReadToEndAsync();
        await apt.WaitForExitAsync();
        Assert.True(apt.ExitCode == 0 && File.Exists(Chromium), $"apt-get install chromium failed ({apt.ExitCode}): {await stderr}");
    }
}

/// <summary>Runs when Chromium is installed or can be (root runs apt-get); otherwise skips with one line saying why.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!NodeSdk.IsAvailable)
            Skip = "node and npm are not on PATH: the page test (playwright-core driving Chromium) cannot run";
        else if (!File.Exists("/usr/bin/chromium") && Environment.UserName != "root")
            Skip = "chromium is not installed (apt-get install chromium) and the tests do not run as root to install it: the page test cannot run";
    }
}
