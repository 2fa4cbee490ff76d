namespace TinySwap.Contracts;

/// <summary>The operations the API offers on models (the router implements them).</summary>
internal interface IModelControl
{
    /// <summary>Loads a model and waits until it is ready; null on success, else why not.</summary>
    Task<GateRefusal?> LoadAsync(string modelId);

    /// <summary>Stops a model and waits until it is gone; false for an unknown id.</summary>
    Task<bool> UnloadAsync(string modelId);

    Task UnloadAllAsync();
}
