using TinySwap.Config;

namespace TinySwap.Supervisor;

/// <summary>Creates <see cref="ModelProcess"/>es that share one set of <see cref="SupervisorOptions"/>.</summary>
internal sealed class ModelProcessFactory : IModelProcessFactory
{
    private readonly SupervisorOptions _options;

    public ModelProcessFactory(SupervisorOptions options)
    {
        _options = options;
        if (options.Launcher is null)
            SupervisorLog.NoLauncher(options.Logger, Environment.ProcessPath);
    }

    public IModelProcess Create(ModelConfig config, Action<ModelFault> onFault) => new ModelProcess(config, onFault, _options);
}
