namespace TinySwap.Cli;

/// <summary>
/// --watch-config: calls <c>onChange</c> once the config file has been quiet for a moment after a change. Watches the
/// directory, not the file, because editors save by writing a new file and renaming it over the old one.
/// </summary>
internal sealed class ConfigFileWatcher : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;

    public ConfigFileWatcher(string configPath, Action onChange)
    {
        var fullPath = Path.GetFullPath(configPath);
        _debounce = new Timer(_ => onChange(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileName(fullPath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Restart();
        _watcher.Created += (_, _) => Restart();
        _watcher.Renamed += (_, _) => Restart();
        _watcher.EnableRaisingEvents = true;
    }

    // Saving fires several events (truncate, write, chmod...); reload once, after the last.
    private void Restart() => _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
