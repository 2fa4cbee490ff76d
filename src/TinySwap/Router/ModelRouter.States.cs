using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter : IModelStateReader
{
    // Model id → the cell the loop copies that model's state into after every input. Readers do one dictionary lookup
    // and one volatile read; the loop replaces the dictionary only when a model is added or forgotten.
    private Dictionary<string, StateCell> _stateCells = new(StringComparer.Ordinal);

    // Loop thread only.
    private readonly Dictionary<ModelSlot, StateCell> _cellsBySlot = new(ReferenceEqualityComparer.Instance);

    public ModelState StateOf(string modelId) =>
        Volatile.Read(ref _stateCells).TryGetValue(modelId, out var cell) ? cell.State : ModelState.Stopped;

    /// <summary>Loop only, after each input: a few writes, no allocation unless the set of models changed.</summary>
    private void PublishStates()
    {
        var changed = _cellsBySlot.Count != _runtimes.Count;
        foreach (var slot in _runtimes.Keys)
        {
            if (!_cellsBySlot.TryGetValue(slot, out var cell))
            {
                _cellsBySlot.Add(slot, cell = new StateCell());
                changed = true;
            }
            cell.State = slot.State;
        }
        if (!changed)
            return;
        var cells = new Dictionary<string, StateCell>(StringComparer.Ordinal);
        foreach (var (slot, cell) in _cellsBySlot)
        {
            if (_runtimes.ContainsKey(slot))
                cells[slot.Config.Id] = cell;
        }
        foreach (var gone in _cellsBySlot.Keys.Where(slot => !_runtimes.ContainsKey(slot)).ToList())
            _cellsBySlot.Remove(gone);
        Volatile.Write(ref _stateCells, cells);
    }

    private sealed class StateCell
    {
        private int _state;

        public ModelState State
        {
            get => (ModelState)Volatile.Read(ref _state);
            set => Volatile.Write(ref _state, (int)value);
        }
    }
}
