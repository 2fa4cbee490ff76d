namespace TinySwap.Contracts;

/// <summary>
/// Each model's state as the router loop last published it, readable from any thread without a message to the loop
/// (selectors read it per request). An unknown id reads as <see cref="ModelState.Stopped"/>.
/// </summary>
internal interface IModelStateReader
{
    ModelState StateOf(string modelId);
}
