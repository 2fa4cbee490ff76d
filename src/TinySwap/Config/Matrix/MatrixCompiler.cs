namespace TinySwap.Config.Matrix;

/// <summary>
/// Turns the written sets into a <see cref="MatrixProgram"/>: parses every expression, resolves names through the
/// caller's resolver (vars first, then model ids), checks every `+set` reference and rejects reference cycles. Every
/// mistake of every set is reported, not just the first one found.
/// </summary>
internal static class MatrixCompiler
{
    /// <param name="resolve">The model id a name stands for, or null when it names nothing.</param>
    /// <param name="knownNames">Names offered in "did you mean" hints for an unknown name.</param>
    public static MatrixProgram? Compile(
        IReadOnlyList<MatrixSetDefinition> definitions, Func<string, string?> resolve, IEnumerable<string> knownNames, List<MatrixError> errors)
    {
        var errorsBefore = errors.Count;
        if (definitions.Count == 0)
        {
            errors.Add(new(-1, 0, "the matrix defines no sets: add at least one under 'sets'"));
            return null;
        }

        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            if (!indexByName.TryAdd(definitions[i].Name, i))
                errors.Add(new(i, 0, $"set '{definitions[i].Name}' is defined twice"));
        }

        var parsed = new MatrixExpression?[definitions.Count];
        var models = new List<string>();
        var modelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = knownNames as IReadOnlyCollection<string> ?? knownNames.ToList();
        for (var i = 0; i < definitions.Count; i++)
        {
            if (!MatrixDslParser.TryParse(definitions[i].Expression, out parsed[i], out var syntax))
            {
                errors.Add(new(i, syntax.Column, $"set '{definitions[i].Name}': {syntax.Message}"));
                continue;
            }
            CheckNames(parsed[i]!, i);
        }

        void CheckNames(MatrixExpression expression, int set)
        {
            switch (expression)
            {
                case MatrixName name when resolve(name.Name) is { } model:
                    if (modelIndex.TryAdd(model, models.Count))
                        models.Add(model);
                    break;
                case MatrixName name:
                    errors.Add(new(set, name.Column,
                        $"set '{definitions[set].Name}': '{name.Name}' is neither a var nor a model id{KeySuggestion.Hint(name.Name, names)}"));
                    break;
                case MatrixReference reference when !indexByName.ContainsKey(reference.SetName):
                    errors.Add(new(set, reference.Column,
                        $"set '{definitions[set].Name}': '+{reference.SetName}' names no set{KeySuggestion.Hint(reference.SetName, indexByName.Keys)}"));
                    break;
                case MatrixAllOf all:
                    foreach (var operand in all.Operands)
                        CheckNames(operand, set);
                    break;
                case MatrixAnyOf any:
                    foreach (var alternative in any.Alternatives)
                        CheckNames(alternative, set);
                    break;
            }
        }

        var order = SolveOrder(definitions, parsed, indexByName, errors);
        if (errors.Count > errorsBefore)
            return null;
        return new MatrixGraphBuilder(models, modelIndex).Build(definitions, parsed!, order, resolve);
    }

    /// <summary>
    /// Depth first from each set in definition order, a set after the sets it references (in the order its expression
    /// names them): the order llama-swap breaks ties in. A reference back to a set still being visited is a cycle.
    /// </summary>
    private static List<int> SolveOrder(
        IReadOnlyList<MatrixSetDefinition> definitions, MatrixExpression?[] parsed, Dictionary<string, int> indexByName, List<MatrixError> errors)
    {
        const byte Unvisited = 0, Visiting = 1, Done = 2;
        var state = new byte[definitions.Count];
        var order = new List<int>(definitions.Count);
        var path = new List<int>();

        void Visit(int set)
        {
            state[set] = Visiting;
            path.Add(set);
            if (parsed[set] is { } expression)
                VisitReferences(expression, set);
            path.RemoveAt(path.Count - 1);
            state[set] = Done;
            order.Add(set);
        }

        void VisitReferences(MatrixExpression expression, int set)
        {
            switch (expression)
            {
                case MatrixReference reference when indexByName.TryGetValue(reference.SetName, out var target):
                    if (state[target] == Visiting)
                    {
                        var cycle = path.Skip(path.IndexOf(target)).Append(target).Select(i => definitions[i].Name);
                        errors.Add(new(set, reference.Column,
                            $"set '{definitions[set].Name}': '+{reference.SetName}' makes a reference cycle ({string.Join(" -> ", cycle)})"));
                    }
                    else if (state[target] == Unvisited)
                    {
                        Visit(target);
                    }
                    break;
                case MatrixAllOf all:
                    foreach (var operand in all.Operands)
                        VisitReferences(operand, set);
                    break;
                case MatrixAnyOf any:
                    foreach (var alternative in any.Alternatives)
                        VisitReferences(alternative, set);
                    break;
            }
        }

        for (var i = 0; i < definitions.Count; i++)
        {
            if (state[i] == Unvisited)
                Visit(i);
        }
        return order;
    }
}
