using System.Diagnostics;
using TinySwap.Config.Matrix;
using TinySwap.Router.Matrix;

// One set "target & (m0-0 | ... | m0-9) & ... & (m9-0 | ... | m9-9)": 10^10 combinations if expanded. The running
// sets rotate, so no two consecutive solves see the same picture; one of them holds two alternatives of a group, so
// the solver has a choice to make. Prints one line: key=value pairs for bench/measures.sh.
const int Groups = 10, Choices = 10;
var groups = Enumerable.Range(0, Groups).Select(g => "(" + string.Join(" | ", Enumerable.Range(0, Choices).Select(c => $"m{g}-{c}")) + ")");
var errors = new List<MatrixError>();
var program = MatrixCompiler.Compile([new("large", "target & " + string.Join(" & ", groups))], name => name, [], errors)
    ?? throw new InvalidOperationException(string.Join("; ", errors));
var costs = Enumerable.Range(0, Groups).ToDictionary(g => $"m{g}-3", g => 2 + g);
var solver = new MatrixSolver(program, costs);
string[][] runningSets =
[
    [.. Enumerable.Range(0, Groups).Select(g => $"m{g}-9"), "outside"],
    [.. Enumerable.Range(0, Groups).Select(g => $"m{g}-{g}")],
    ["m0-1", "m0-3", "m4-4", "m7-2", "outside"],
    ["m5-5"],
];

var evicted = 0;
void Run(int iterations)
{
    for (var i = 0; i < iterations; i++)
        evicted += solver.Solve("target", runningSets[i & 3]).Evict.Count;
}

Run(20_000); // let tiered compilation settle
var samples = new List<double>();
long allocated = 0;
const int PerRound = 20_000;
for (var round = 0; round < 7; round++)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    Run(PerRound);
    samples.Add(clock.Elapsed.TotalMicroseconds / PerRound);
    allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / PerRound;
}
samples.Sort();
Console.WriteLine($"median_us={samples[samples.Count / 2]:F2} min_us={samples[0]:F2} bytes_per_solve={allocated} nodes={program.Nodes.Count} evicted={evicted}");
