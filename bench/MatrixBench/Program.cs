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
// Wall time and CPU time of the process: on a shared, loaded machine the wall clock also counts the time other
// programs held the core, the CPU time only what the solves cost.
var wall = new List<double>();
var cpu = new List<double>();
long allocated = 0;
const int PerRound = 20_000;
var process = Process.GetCurrentProcess();
for (var round = 0; round < 7; round++)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    Run(PerRound);
    wall.Add(clock.Elapsed.TotalMicroseconds / PerRound);
    process.Refresh();
    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / PerRound);
    allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / PerRound;
}
wall.Sort();
cpu.Sort();
Console.WriteLine($"cpu_us={cpu[cpu.Count / 2]:F2} wall_us={wall[wall.Count / 2]:F2} bytes_per_solve={allocated} nodes={program.Nodes.Count} evicted={evicted}");
