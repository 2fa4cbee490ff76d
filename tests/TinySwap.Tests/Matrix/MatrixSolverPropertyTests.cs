using TinySwap.Config.Matrix;
using TinySwap.Router.Matrix;

namespace TinySwap.Tests.Matrix;

/// <summary>
/// The solver against the rule as llama-swap documents it, computed the slow way: expand every set into all its
/// combinations in written order, cost each, keep the first cheapest. Small random configs from a fixed seed, many
/// of them with ties (costs 1 to 3), shared references and repeated models.
/// </summary>
public sealed class MatrixSolverPropertyTests
{
    private static readonly string[] Models = ["a", "b", "c", "d", "e", "f"];

    [Fact]
    public void Solve_AgreesWithExpandingEveryCombination_OnRandomConfigs()
    {
        var random = new Random(20261201);
        var compared = 0;
        var withTies = 0;
        for (var instance = 0; instance < 3000; instance++)
        {
            var sets = RandomSets(random);
            var errors = new List<MatrixError>();
            var program = MatrixCompiler.Compile(sets, name => Models.Contains(name) ? name : null, [], errors);
            if (program is null)
            {
                Assert.All(errors, error => Assert.Contains("reference cycle", error.Message));
                continue;
            }
            var costs = Models.Where(_ => random.Next(2) == 0).ToDictionary(model => model, _ => random.Next(1, 4));
            string[] running = [.. Models.Append("outside").Where(_ => random.Next(3) == 0).OrderBy(_ => random.Next())];
            var target = random.Next(8) == 0 ? "nowhere" : Models[random.Next(Models.Length)];

            var expected = Reference.Solve(sets, target, running, costs);
            var actual = new MatrixSolver(program, costs).Solve(target, running);

            var context = $"sets {string.Join("; ", sets.Select(set => $"{set.Name}: {set.Expression}"))}, target {target}, running [{string.Join(",", running)}], costs {string.Join(",", costs)}";
            Assert.True(expected.Evict.SequenceEqual(actual.Evict), $"evict [{string.Join(",", actual.Evict)}], expected [{string.Join(",", expected.Evict)}] for {context}");
            Assert.True(expected.SetName == actual.SetName, $"set {actual.SetName}, expected {expected.SetName} for {context}");
            Assert.Equal(expected.Combination.Order(StringComparer.Ordinal), actual.Combination.Distinct().Order(StringComparer.Ordinal));
            Assert.Equal(expected.Cost, actual.Cost);
            compared++;
            withTies += expected.Tied ? 1 : 0;
        }

        // The property only means something if most instances compiled and many had to break a tie.
        Assert.InRange(compared, 2000, 3000);
        Assert.InRange(withTies, 300, 3000);
    }

    [Fact]
    public void Reference_ExpandsLikeLlamaSwapsDocumentation()
    {
        // config.example.yaml: "(a | b) & (c | d)" → [a,c], [a,d], [b,c], [b,d].
        Assert.True(MatrixDslParser.TryParse("(a | b) & (c | d)", out var expression, out _));
        var combinations = Reference.Expand(expression!, []).Select(set => string.Join(",", set.Order(StringComparer.Ordinal)));

        Assert.Equal(["a,c", "a,d", "b,c", "b,d"], combinations);
    }

    private static List<MatrixSetDefinition> RandomSets(Random random)
    {
        var count = random.Next(1, 5);
        var names = Enumerable.Range(0, count).Select(i => $"s{i}").ToArray();
        return [.. names.Select(name => new MatrixSetDefinition(name, RandomExpression(random, names, depth: 0)))];
    }

    private static string RandomExpression(Random random, string[] sets, int depth)
    {
        var roll = random.Next(10);
        if (depth >= 3 || roll < 3)
            return Models[random.Next(Models.Length)];
        if (roll == 3 && sets.Length > 1)
            return "+" + sets[random.Next(sets.Length)];
        var op = roll < 7 ? " & " : " | ";
        var operands = Enumerable.Range(0, random.Next(2, 4)).Select(_ => RandomExpression(random, sets, depth + 1));
        return "(" + string.Join(op, operands) + ")";
    }

    /// <summary>The slow, obviously right solver.</summary>
    private static class Reference
    {
        public sealed record Result(List<string> Evict, List<string> Combination, string? SetName, int Cost, bool Tied);

        public static Result Solve(List<MatrixSetDefinition> sets, string target, string[] running, Dictionary<string, int> costs)
        {
            int Cost(string model) => costs.TryGetValue(model, out var cost) ? cost : 1;
            if (running.Contains(target))
                return new([], [], null, 0, false);

            var parsed = sets.ToDictionary(set => set.Name, set => Parse(set.Expression));
            // llama-swap's set order: definition order, each set after the sets it references (depth first).
            var order = new List<string>();
            void Visit(string name)
            {
                if (order.Contains(name))
                    return;
                foreach (var referenced in References(parsed[name]))
                    Visit(referenced);
                order.Add(name);
            }
            foreach (var set in sets)
                Visit(set.Name);
            HashSet<string>? best = null;
            string? bestSet = null;
            var bestCost = int.MaxValue;
            var tied = false;
            foreach (var name in order)
            {
                foreach (var combination in Expand(parsed[name], parsed))
                {
                    if (!combination.Contains(target))
                        continue;
                    var cost = running.Where(model => !combination.Contains(model)).Sum(Cost);
                    tied |= cost == bestCost;
                    if (cost < bestCost)
                        (best, bestSet, bestCost, tied) = (combination, name, cost, false);
                }
            }
            if (best is null)
                return new([.. running], [target], null, running.Sum(Cost), false);
            return new([.. running.Where(model => !best.Contains(model))], [.. best], bestSet, bestCost, tied);
        }

        public static IEnumerable<HashSet<string>> Expand(MatrixExpression expression, Dictionary<string, MatrixExpression> sets) => expression switch
        {
            MatrixName name => [[name.Name]],
            MatrixReference reference => Expand(sets[reference.SetName], sets),
            MatrixAnyOf any => any.Alternatives.SelectMany(alternative => Expand(alternative, sets)),
            MatrixAllOf all => all.Operands.Aggregate(
                (IEnumerable<HashSet<string>>)[[]],
                (combinations, operand) => combinations.SelectMany(left => Expand(operand, sets).Select(right => left.Union(right).ToHashSet()))),
            _ => throw new ArgumentException(expression.GetType().Name),
        };

        private static IEnumerable<string> References(MatrixExpression expression) => expression switch
        {
            MatrixReference reference => [reference.SetName],
            MatrixAnyOf any => any.Alternatives.SelectMany(References),
            MatrixAllOf all => all.Operands.SelectMany(References),
            _ => [],
        };

        private static MatrixExpression Parse(string text)
        {
            Assert.True(MatrixDslParser.TryParse(text, out var expression, out var error), error.Message);
            return expression!;
        }
    }
}
