namespace TinySwap.Tests.Config.Compat;

internal static partial class CompatCases
{
    /// <summary>llama-swap's own examples across its versions, oldest to newest (config.example.yaml, docker/, docs/examples/).</summary>
    private static readonly CompatCase[] LlamaSwapExamples =
    [
        new("llama-swap.config.example.v0.0.1.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "b63b81b121f1b521231a20e2d32e81d7d696a926", "7fa8ddac0856e71426ee4ac94099ed88285c23b2")
        {
            Targets = "v0.0.1 (llama-swap's own example as of 2024-10-03)",
            Models = ["llama", "qwen"],
            Groups = ["(default): llama qwen (swap exclusive)"],
            Swaps = ["llama -> llama", "qwen -> qwen", "llama -> llama"],
        },
        new("llama-swap.config.example.v0.0.51.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "533162ce6af65e5cd67fba573a311d0855f0d858", "e660b1108556f84a7a39263b6056d597b2e2b608")
        {
            Targets = "v0.0.51 (llama-swap's own example as of 2024-11-19)",
            Models = ["broken", "broken_timeout", "llama", "qwen", "simple"],
            Aliases = ["gpt-3.5-turbo=qwen", "gpt-4o-mini=llama"],
            Groups = ["(default): broken broken_timeout llama qwen simple (swap exclusive)"],
            Swaps = ["gpt-4o-mini -> llama", "qwen -> qwen", "gpt-3.5-turbo -> qwen", "simple -> simple"],
        },
        new("llama-swap.config.example.v102.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "b8f888f8640eef9cd4ed0ada719224b1ef0c03c3", "8aa650afcc1f9a7bc5272658c60d3e720762a5ed")
        {
            Targets = "v102 (llama-swap's own example as of 2025-04-04)",
            LlamaSwapRefuses = "profile must be a mapping with description and pins; the legacy list syntax is no longer supported (internal/config/config.go ProfileConfig.UnmarshalYAML)",
            Divergence = "legacy-profiles",
            NotImplemented = ["89:1: profiles"],
            Models = ["bge-reranker", "broken", "broken_timeout", "dockertest", "llama", "nomic", "qwen", "simple"],
            Aliases = ["gpt-3.5-turbo=qwen", "gpt-4o-mini=llama"],
            Groups =
            [
                "(default): bge-reranker broken broken_timeout dockertest llama nomic qwen simple (swap exclusive)",
            ],
            Swaps =
            [
                "gpt-4o-mini -> llama",
                "nomic -> nomic",
                "bge-reranker -> bge-reranker",
                "dockertest -> dockertest",
            ],
        },
        new("llama-swap.config.example.v151.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "5dc6b3e6d936893fa45e98dadb6a829416f4b2d0", "77d68beb9b609404051e7559c9273be2dbeaf56f")
        {
            Targets = "v151 (llama-swap's own example as of 2025-08-14)",
            LlamaSwapRefuses = "creating group router: no model config for \"modelA\" (or another missing member): internal/router/group.go NewGroup, called by internal/server/server.go New at start (LoadConfig itself accepts unknown group members)",
            Errors =
            [
                "198:9: groups.group2.members: no model 'modelA'",
                "199:9: groups.group2.members: no model 'modelB'",
                "214:9: groups.forever.members: no model 'forever-modelA'",
                "215:9: groups.forever.members: no model 'forever-modelB'",
                "216:9: groups.forever.members: no model 'forever-modelc'",
            ],
        },
        new("llama-swap.config.example.v171.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "a89b803d4acf29757ba4488e7babe6ff8aa62ca0", "03b9ee688b155f00cf6ed5390bb287619420079d")
        {
            Targets = "v171 (llama-swap's own example as of 2025-10-29)",
            LlamaSwapRefuses = "creating group router: no model config for \"modelA\" (or another missing member): internal/router/group.go NewGroup, called by internal/server/server.go New at start (LoadConfig itself accepts unknown group members)",
            Errors =
            [
                "273:9: groups.group2.members: no model 'modelA'",
                "274:9: groups.group2.members: no model 'modelB'",
                "289:9: groups.forever.members: no model 'forever-modelA'",
                "290:9: groups.forever.members: no model 'forever-modelB'",
                "291:9: groups.forever.members: no model 'forever-modelc'",
            ],
        },
        new("llama-swap.config.example.v184.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "124007cc985db0df0ad5ca7e93b449432896d88d", "9814b050e71c8618428fe20308b8195b032bc8b9")
        {
            Targets = "v184 (llama-swap's own example as of 2026-01-16)",
            Environment = new Dictionary<string, string> { ["HOME"] = "/home/ai", ["VAR_NAME"] = "value" },
            LlamaSwapRefuses = "creating group router: no model config for \"modelA\" (or another missing member): internal/router/group.go NewGroup, called by internal/server/server.go New at start (LoadConfig itself accepts unknown group members)",
            Errors =
            [
                "327:9: groups.group2.members: no model 'modelA'",
                "328:9: groups.group2.members: no model 'modelB'",
                "343:9: groups.forever.members: no model 'forever-modelA'",
                "344:9: groups.forever.members: no model 'forever-modelB'",
                "345:9: groups.forever.members: no model 'forever-modelc'",
            ],
        },
        new("llama-swap.config.example.v202.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "35193f82f11b516f68c90bb31816cf50de2f9ad1", "5569dd335fff0e6930aa36655562a522c517c710")
        {
            Targets = "v202 (llama-swap's own example as of 2026-04-14)",
            Environment = new Dictionary<string, string> { ["HOME"] = "/home/ai", ["VAR_NAME"] = "value", ["API_KEY_1"] = "sk-1", ["API_KEY_2"] = "sk-2", ["OPENROUTER_API_KEY"] = "sk-or" },
            LlamaSwapRefuses = "matrix: var key \"g\" references unknown model \"gemma-model\" (internal/config/matrix.go ValidateMatrix, from load.go)",
            Errors =
            [
                "368:8: matrix.vars.g: no model 'gemma-model'",
                "369:8: matrix.vars.q: no model 'qwen-model'",
                "370:8: matrix.vars.m: no model 'mistral-model'",
                "371:8: matrix.vars.v: no model 'voxtral-model'",
                "372:8: matrix.vars.e: no model 'reranker-model'",
                "373:8: matrix.vars.L: no model 'llama-70B'",
                "374:9: matrix.vars.sd: no model 'stable-diffusion'",
                "378:5: matrix.evict_costs: 'v' is neither a var nor a model id",
                "379:5: matrix.evict_costs: 'L' is neither a var nor a model id",
                "398:17: matrix.sets: set 'standard': 'g' is neither a var nor a model id",
                "398:21: matrix.sets: set 'standard': 'q' is neither a var nor a model id",
                "398:25: matrix.sets: set 'standard': 'm' is neither a var nor a model id",
                "398:30: matrix.sets: set 'standard': 'v' is neither a var nor a model id",
                "402:20: matrix.sets: set 'with_rerank': 'g' is neither a var nor a model id",
                "402:24: matrix.sets: set 'with_rerank': 'q' is neither a var nor a model id",
                "402:29: matrix.sets: set 'with_rerank': 'v' is neither a var nor a model id",
                "402:33: matrix.sets: set 'with_rerank': 'e' is neither a var nor a model id",
                "406:17: matrix.sets: set 'creative': 'g' is neither a var nor a model id",
                "406:21: matrix.sets: set 'creative': 'q' is neither a var nor a model id",
                "406:26: matrix.sets: set 'creative': 'sd' is neither a var nor a model id",
                "410:12: matrix.sets: set 'full': 'L' is neither a var nor a model id",
            ],
        },
        new("llama-swap.config.example.v240.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "cd22a8c0109242dff4d73388e03a4e4bff6f2f73", "67770a511b8f1578393b7f4f55542dc2b01a7d91")
        {
            Targets = "v240 (llama-swap's own example as of 2026-07-14)",
            Environment = new Dictionary<string, string> { ["HOME"] = "/home/ai", ["VAR_NAME"] = "value", ["API_KEY_1"] = "sk-1", ["API_KEY_2"] = "sk-2", ["OPENROUTER_API_KEY"] = "sk-or" },
            LlamaSwapRefuses = "routing.scheduler.settings.fifo.priority references unknown model \"A\" (internal/config/load.go); its groups name missing models too",
            Errors =
            [
                "478:15: groups.group1.members: no model 'llama'",
                "492:15: groups.group2.members: no model 'modelA'",
                "493:15: groups.group2.members: no model 'modelB'",
                "507:15: groups.forever.members: no model 'forever-modelA'",
                "508:15: groups.forever.members: no model 'forever-modelB'",
                "509:15: groups.forever.members: no model 'forever-modelc'",
                "591:11: routing.scheduler.settings.fifo.priority: no model 'A'",
                "592:11: routing.scheduler.settings.fifo.priority: no model 'B'",
                "593:11: routing.scheduler.settings.fifo.priority: no model 'C'",
                "594:11: routing.scheduler.settings.fifo.priority: no model 'D'",
            ],
        },
        new("llama-swap.config.example.v249.yaml", "mostlygeek/llama-swap", "config.example.yaml",
            "f94c94ac61a142f15a4d156015bfb8c0511b3bbb", "efd5645c615af969c5e5cb9dfbbb0cdb4c3e0274")
        {
            Targets = "v249 (llama-swap's own example as of 2026-08-09)",
            Environment = new Dictionary<string, string> { ["HOME"] = "/home/ai", ["VAR_NAME"] = "value", ["API_KEY_1"] = "sk-1", ["API_KEY_2"] = "sk-2", ["OPENROUTER_API_KEY"] = "sk-or" },
            LlamaSwapRefuses = "model unlisted-model: proxy uses ${PORT} but cmd does not (internal/config/macros.go resolveConfigMacros: the default proxy is http://localhost:${PORT})",
            Errors =
            [
                "208:9: selectors.coding-model.targets[1]: no model, alias or peer model 'qwen-unlisted'",
                "227:9: selectors.llama.targets[1]: no model, alias or peer model 'modelA'",
                "228:9: selectors.llama.targets[2]: no model, alias or peer model 'modelB'",
                "458:3: models.unlisted-model: cmd does not use ${PORT}, so set `proxy:` to where the server listens",
                "556:15: groups.group1.members: no model 'llama'",
                "557:15: groups.group1.members: no model 'qwen-unlisted'",
                "570:15: groups.group2.members: no model 'modelA'",
                "571:15: groups.group2.members: no model 'modelB'",
                "585:15: groups.forever.members: no model 'forever-modelA'",
                "586:15: groups.forever.members: no model 'forever-modelB'",
                "587:15: groups.forever.members: no model 'forever-modelc'",
                "669:11: routing.scheduler.settings.fifo.priority: no model 'A'",
                "670:11: routing.scheduler.settings.fifo.priority: no model 'B'",
                "671:11: routing.scheduler.settings.fifo.priority: no model 'C'",
                "672:11: routing.scheduler.settings.fifo.priority: no model 'D'",
            ],
        },
        new("llama-swap.docker.config.example.v140.yaml", "mostlygeek/llama-swap", "docker/config.example.yaml",
            "87dce5f8f64c207dafd4960dce0ba4535fd50c02", "9f5f23ba8b34ea178d491e7bac3ee939803a7b5a")
        {
            Targets = "v140 (llama-swap's own example as of 2025-07-21)",
            NotImplemented = ["2:1: logRequests"],
            Models = ["qwen2.5", "smollm2"],
            Groups = ["(default): qwen2.5 smollm2 (swap exclusive)"],
            Swaps = ["qwen2.5 -> qwen2.5", "smollm2 -> smollm2", "qwen2.5 -> qwen2.5"],
        },
        new("llama-swap.docker.config.example.v189.yaml", "mostlygeek/llama-swap", "docker/config.example.yaml",
            "bc01e6f539c4148161db4fe1d2c12597fda1a27a", "ee8bce5820876994ea7bd0ca6c376f224d509e41")
        {
            Targets = "v189 (llama-swap's own example as of 2026-02-01)",
            LlamaSwapRefuses = "model z-image: proxy uses ${PORT} but cmd does not (internal/config/macros.go resolveConfigMacros)",
            Errors = ["20:3: models.z-image: cmd does not use ${PORT}, so set `proxy:` to where the server listens"],
        },
        new("llama-swap.docker-unified.config.example.v250.yaml", "mostlygeek/llama-swap", "docker/unified/config.example.yaml",
            "60226b63776efac11e15828abe0bb302ec259699", "563e3bb5eb035b10e262d49ab8125ffd6fcce44c")
        {
            Targets = "v250 (llama-swap's own example as of 2026-08-14)",
            LlamaSwapRefuses = "model image: proxy uses ${PORT} but cmd does not (internal/config/macros.go resolveConfigMacros)",
            Errors = ["30:3: models.image: cmd does not use ${PORT}, so set `proxy:` to where the server listens"],
        },
        new("llama-swap.aider-qwq-coder.v167.yaml", "mostlygeek/llama-swap", "docs/examples/aider-qwq-coder/llama-swap.yaml",
            "9fc0431531ceedd9b3dd68cda399359018ea79e1", "64006c4ee45953c62a17afaddc1087f7634ba43b")
        {
            Targets = "v167 (llama-swap's own example as of 2025-10-19)",
            LlamaSwapRefuses = "profile must be a mapping with description and pins; the legacy list syntax is no longer supported (internal/config/config.go ProfileConfig.UnmarshalYAML)",
            Divergence = "legacy-profiles",
            NotImplemented = ["4:1: profiles"],
            Models = ["QwQ", "qwen-coder-32B"],
            Aliases = ["coder=qwen-coder-32B"],
            Groups = ["(default): QwQ qwen-coder-32B (swap exclusive)"],
            Swaps = ["coder -> qwen-coder-32B", "QwQ -> QwQ", "qwen-coder-32B -> qwen-coder-32B"],
        },
    ];
}
