using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// llama-swap's `routing:` block (its newer home for groups and the scheduler): `routing.router.settings.groups` is
/// read exactly as top-level `groups` (one or the other, as llama-swap requires), and
/// `routing.scheduler.settings.fifo.priority` sets models' queue priorities; `use: matrix` chooses the matrix
/// (<see cref="MatrixKeys"/>).
/// </summary>
internal static class RoutingKeys
{
    public static readonly ConfigSection<RawConfig> RouterSettings = new("routing.router.settings", "Routing: router settings",
    [
        new("groups", LlamaSwap, "", "read exactly as top-level `groups` (set one or the other); unused with `use: matrix`", (at, c, v) =>
        {
            c.GroupsInRouting = true;
            at.Sections.ReadGroups(c, v, at.Path);
        }),
        new("matrix", LlamaSwap, "", "`vars`, `evict_costs` and `sets`: the matrix policy, chosen by `use: matrix`", (at, c, v) => c.RoutingMatrix = MatrixKeys.Read(at, v)),
    ]);

    public static readonly ConfigSection<RawConfig> Router = new("routing.router", "Routing: router",
    [
        new("use", LlamaSwap, "`group`", "`group` (llama-swap's groups) or `matrix` (see Swap policies)",
            (at, c, v) => at.Sections.ReadRouterUse(c, v, at.Path)),
        new("settings", LlamaSwap, "", "`groups` and `matrix`", (at, c, v) => RouterSettings.Read(at.Reader, at.Sections, c, v, at.Path)),
    ]);

    public static readonly ConfigSection<RawConfig> Fifo = new("routing.scheduler.settings.fifo", "Routing: FIFO scheduler",
    [
        new("priority", LlamaSwap, "", "model id → whole number (default 0): waiters for higher-priority models are served first, as a model's `priority`",
            (at, c, v) => at.Sections.ReadPriorities(c, v, at.Path)),
    ]);

    public static readonly ConfigSection<RawConfig> SchedulerSettings = new("routing.scheduler.settings", "Routing: scheduler settings",
    [
        new("fifo", LlamaSwap, "", "`priority`", (at, c, v) => Fifo.Read(at.Reader, at.Sections, c, v, at.Path)),
    ]);

    public static readonly ConfigSection<RawConfig> Scheduler = new("routing.scheduler", "Routing: scheduler",
    [
        new("use", LlamaSwap, "`fifo`", "`fifo` (the only scheduler)", (at, c, v) =>
        {
            if (at.Reader.String(v, at.Path) is { } use && use != "fifo")
                at.Diagnostics.Error(v, $"{at.Path}: unknown scheduler '{use}' (fifo is the only one)");
        }),
        new("settings", LlamaSwap, "", "`fifo`", (at, c, v) => SchedulerSettings.Read(at.Reader, at.Sections, c, v, at.Path)),
    ]);

    public static readonly ConfigSection<RawConfig> Section = new("routing", "Routing",
    [
        new("router", LlamaSwap, "", "`use` and `settings`", (at, c, v) => Router.Read(at.Reader, at.Sections, c, v, at.Path)),
        new("scheduler", LlamaSwap, "", "`use` and `settings`", (at, c, v) => Scheduler.Read(at.Reader, at.Sections, c, v, at.Path)),
    ]);
}
