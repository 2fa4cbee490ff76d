namespace TinySwap.Tests.Config.Compat;

internal static partial class CompatCases
{
    /// <summary>Configs people publish: homelab repositories, dotfiles, docker-compose stacks.</summary>
    private static readonly CompatCase[] Published =
    [
        new("cameronr.dotfiles.yaml", "cameronr/dotfiles", "llama-swap/config.yaml",
            "6aaa3d1df2f2611ec2e65c7f5ad1ac23c1f8f859", "093593ca1fa112e91cefa02de37e438527f9d5cf")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-22)",
            Environment = new Dictionary<string, string> { ["OPENROUTER_API_KEY"] = "sk-or" },
            Divergence = "no-cmd-model, https-model-proxy",
            Errors =
            [
                "156:3: models.openrouter-laguna: `cmd:` is missing",
                "157:12: models.openrouter-laguna.proxy: tinyswap speaks plain HTTP to the servers it runs",
            ],
        },
        new("HarshVaragiya.HomeLab.yaml", "HarshVaragiya/HomeLab", "llama-swap/config.yaml",
            "f1932d764acc62c276bff560031188de4e1b3fbf", "6861ecaaff9d2b16fb01bbe19e54594ec17dbc4c")
        {
            Targets = "v182 (the newest llama-swap release when the file was committed, 2026-01-04)",
            Models =
            [
                "GLM-4.5-Air",
                "GLM-4.6V-Flash",
                "Qwen3-Coder-30B-A3B-AWQ",
                "deepseek-r1-0528-qwen3-8b",
                "deepseek-r1-0528-qwen3-8b-int8",
                "deepseek-v3.1-terminus",
                "devestral-small-2507",
                "gemma-3-12b",
                "gemma-3-27b-awq",
                "gpt-oss-120b",
                "gpt-oss-20b",
                "llama-3.1-8b-instruct",
                "llama-3.2-3b-instruct",
                "ministral-8b-instruct-2410",
                "mistral-7b-instruct-v0.3",
                "nomic-embed-text-v1.5",
                "phi-4-instruct",
                "phi-4-mini-instruct",
                "qwen3-14b",
                "qwen3-32b",
                "qwen3-8b",
                "qwen3-8b-int8",
                "snowflake-arctic-embed-v2.0",
            ],
            Groups =
            [
                "embedding: snowflake-arctic-embed-v2.0 nomic-embed-text-v1.5 (swap)",
                "llms: phi-4-instruct phi-4-mini-instruct gemma-3-12b mistral-7b-instruct-v0.3 llama-3.1-8b-instruct llama-3.2-3b-instruct deepseek-r1-0528-qwen3-8b qwen3-8b qwen3-14b qwen3-32b deepseek-r1-0528-qwen3-8b-int8 ministral-8b-instruct-2410 (swap)",
                "huge-models: Qwen3-Coder-30B-A3B-AWQ gemma-3-27b-awq gpt-oss-20b (swap exclusive)",
                "ultra-massive-models: deepseek-v3.1-terminus gpt-oss-120b (swap exclusive)",
                "(default): GLM-4.5-Air GLM-4.6V-Flash devestral-small-2507 qwen3-8b-int8 (swap exclusive)",
            ],
            Swaps =
            [
                "nomic-embed-text-v1.5 -> nomic-embed-text-v1.5",
                "qwen3-8b -> nomic-embed-text-v1.5, qwen3-8b", // llms is not exclusive: embedding stays
                "phi-4-instruct -> nomic-embed-text-v1.5, phi-4-instruct", // llms swaps: qwen3-8b goes
                "snowflake-arctic-embed-v2.0 -> phi-4-instruct, snowflake-arctic-embed-v2.0",
                "gpt-oss-20b -> gpt-oss-20b", // huge-models is exclusive: every other group goes
                "qwen3-8b -> gpt-oss-20b, qwen3-8b", // a non-exclusive group leaves an exclusive one running
                "gemma-3-27b-awq -> gemma-3-27b-awq",
                "gpt-oss-120b -> gpt-oss-120b",
                "GLM-4.5-Air -> GLM-4.5-Air",
            ],
        },
        new("skygrip.dotfiles.yaml", "skygrip/dotfiles", "llama-swap/config.yaml",
            "cfbe076aca08a9cf628560904d6a328c4997a687", "e949c7ede5b1370e66a960a85d3aa3e4a8c581ac")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-18)",
            Warnings = ["5:1: config: unknown key 'host' ignored", "6:1: config: unknown key 'port' ignored"],
            NotImplemented =
            [
                "69:5: models.gemma4-12b.capabilities",
                "85:7: models.gemma4-12b.filters.setParamsByID",
                "101:5: models.gemma4-26ba4b.capabilities",
                "115:7: models.gemma4-26ba4b.filters.setParamsByID",
                "127:5: models.qwen3.6-35ba3b.capabilities",
                "141:7: models.qwen3.6-35ba3b.filters.setParamsByID",
                "158:5: models.gemma4-31b.capabilities",
                "171:7: models.gemma4-31b.filters.setParamsByID",
                "183:5: models.qwen3.8-27b.capabilities",
                "196:7: models.qwen3.8-27b.filters.setParamsByID",
                "213:5: models.gemma4-12b-abliterated.capabilities",
                "229:7: models.gemma4-12b-abliterated.filters.setParamsByID",
                "241:5: models.gemma4-26ba4b-abliterated.capabilities",
                "255:7: models.gemma4-26ba4b-abliterated.filters.setParamsByID",
            ],
            Models =
            [
                "gemma4-12b",
                "gemma4-12b-abliterated",
                "gemma4-26ba4b",
                "gemma4-26ba4b-abliterated",
                "gemma4-31b",
                "qwen3.6-35ba3b",
                "qwen3.8-27b",
            ],
            SetParamsByIdAliases =
            [
                "gemma4-12b-abliterated:no_think=gemma4-12b-abliterated",
                "gemma4-12b:no_think=gemma4-12b",
                "gemma4-26ba4b-abliterated:no_think=gemma4-26ba4b-abliterated",
                "gemma4-26ba4b:no_think=gemma4-26ba4b",
                "gemma4-31b:no_think=gemma4-31b",
                "qwen3.6-35ba3b:no_think=qwen3.6-35ba3b",
                "qwen3.8-27b:no_think=qwen3.8-27b",
            ],
            Groups =
            [
                "(default): gemma4-12b gemma4-12b-abliterated gemma4-26ba4b gemma4-26ba4b-abliterated gemma4-31b qwen3.6-35ba3b qwen3.8-27b (swap exclusive)",
            ],
            Swaps = ["gemma4-12b -> gemma4-12b", "qwen3.8-27b -> qwen3.8-27b", "gemma4-31b -> gemma4-31b"],
        },
        new("waflores.local-ai-configs.yaml", "waflores/local-ai-configs", "llama-swap/config.yaml",
            "622800c4ab9731bb855f85a8a907540b372a0afb", "06612618574eb0f270aa26946e591c930c490a38")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-15)",
            Warnings =
            [
                "141:5: models.NVIDIA-Nemotron-3-Nano-4B-GGUF: unknown key 'tools' ignored",
                "193:5: models.Qwen3.5-9B-GGUF: unknown key 'tools' ignored",
                "205:5: models.Bonsai-27B-GGUF: unknown key 'tools' ignored",
                "217:5: models.Qwythos-9B-Claude-Mythos-5-1M-GGUF: unknown key 'tools' ignored",
                "305:5: models.FastContext-1.0-4B-SFT-Q4_K_M-GGUF: unknown key 'tools' ignored",
            ],
            NotImplemented = ["31:1: logTimeFormat", "32:1: logToStdout", "306:1: performance"],
            Models =
            [
                "Bonsai-27B-GGUF",
                "CodeLlama-7B-Instruct",
                "DeepSeek-R1-0528-Qwen3-8B-GGUF",
                "Devstral-Small-2-24B-Instruct-2512-GGUF",
                "FastContext-1.0-4B-SFT-Q4_K_M-GGUF",
                "LFM2-24B-A2B-GGUF",
                "Meta-Llama-3.1-8B-Instruct",
                "Ministral-3-14B-Reasoning-2512-GGUF",
                "Ministral-3-3B-Instruct-2512-GGUF",
                "Mistral-Nemo-Instruct-2407-GGUF",
                "NVIDIA-Nemotron-3-Nano-4B-GGUF",
                "Phi-4-mini-reasoning-GGUF",
                "Phi-4-reasoning-plus-GGUF",
                "Qwen3-4B-Thinking-2507-GGUF",
                "Qwen3-VL-8B-Instruct-GGUF",
                "Qwen3.5-9B-GGUF",
                "Qwen3.6-27B-GGUF",
                "Qwythos-9B-Claude-Mythos-5-1M-GGUF",
                "gemma-4-E4B-it-GGUF",
                "granite-4-h-tiny",
                "granite-4.1-8b-GGUF",
                "olmOCR-2-7B-1025-GGUF",
                "rnj-1-instruct-GGUF",
                "zerank-1-small-gguf",
                "zerank-2-gguf",
            ],
            Groups =
            [
                "swappable: Meta-Llama-3.1-8B-Instruct CodeLlama-7B-Instruct Qwen3.5-9B-GGUF Qwen3.6-27B-GGUF Qwen3-4B-Thinking-2507-GGUF DeepSeek-R1-0528-Qwen3-8B-GGUF Ministral-3-3B-Instruct-2512-GGUF Ministral-3-14B-Reasoning-2512-GGUF Mistral-Nemo-Instruct-2407-GGUF Phi-4-mini-reasoning-GGUF Phi-4-reasoning-plus-GGUF gemma-4-E4B-it-GGUF NVIDIA-Nemotron-3-Nano-4B-GGUF Devstral-Small-2-24B-Instruct-2512-GGUF LFM2-24B-A2B-GGUF Qwen3-VL-8B-Instruct-GGUF olmOCR-2-7B-1025-GGUF rnj-1-instruct-GGUF zerank-2-gguf zerank-1-small-gguf (swap exclusive)",
                "(default): Bonsai-27B-GGUF FastContext-1.0-4B-SFT-Q4_K_M-GGUF Qwythos-9B-Claude-Mythos-5-1M-GGUF granite-4-h-tiny granite-4.1-8b-GGUF (swap exclusive)",
            ],
            Swaps =
            [
                "Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF",
                "zerank-2-gguf -> zerank-2-gguf",
                "Bonsai-27B-GGUF -> Bonsai-27B-GGUF",
                "granite-4-h-tiny -> granite-4-h-tiny",
                "Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF",
            ],
        },
        new("waflores.local-ai-configs.tweaking.yaml", "waflores/local-ai-configs", "llama-swap/tweaking-config.yaml",
            "622800c4ab9731bb855f85a8a907540b372a0afb", "9201c3b24eb1126ea8c1c8c98817beee3923ac8e")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-15)",
            NotImplemented = ["31:1: logTimeFormat", "32:1: logToStdout", "261:1: performance"],
            Models =
            [
                "Bonsai-27B-GGUF",
                "CodeLlama-7B-Instruct",
                "DeepSeek-R1-0528-Qwen3-8B-GGUF",
                "Devstral-Small-2-24B-Instruct-2512-GGUF",
                "FastContext-1.0-4B-SFT-Q4_K_M-GGUF",
                "LFM2-24B-A2B-GGUF",
                "Meta-Llama-3.1-8B-Instruct",
                "Ministral-3-14B-Reasoning-2512-GGUF",
                "Ministral-3-3B-Instruct-2512-GGUF",
                "Mistral-Nemo-Instruct-2407-GGUF",
                "NVIDIA-Nemotron-3-Nano-4B-GGUF",
                "Phi-4-mini-reasoning-GGUF",
                "Phi-4-reasoning-plus-GGUF",
                "Qwen3-4B-Thinking-2507-GGUF",
                "Qwen3-VL-8B-Instruct-GGUF",
                "Qwen3.5-9B-GGUF",
                "Qwen3.6-27B-GGUF",
                "Qwythos-9B-Claude-Mythos-5-1M-GGUF",
                "gemma-4-E4B-it-GGUF",
                "granite-4-h-tiny",
                "granite-4.1-8b-GGUF",
                "olmOCR-2-7B-1025-GGUF",
                "rnj-1-instruct-GGUF",
                "zerank-1-small-gguf",
                "zerank-2-gguf",
            ],
            Groups =
            [
                "swappable: Meta-Llama-3.1-8B-Instruct CodeLlama-7B-Instruct Qwen3.5-9B-GGUF Qwen3.6-27B-GGUF Qwen3-4B-Thinking-2507-GGUF DeepSeek-R1-0528-Qwen3-8B-GGUF Ministral-3-3B-Instruct-2512-GGUF Ministral-3-14B-Reasoning-2512-GGUF Mistral-Nemo-Instruct-2407-GGUF Phi-4-mini-reasoning-GGUF Phi-4-reasoning-plus-GGUF gemma-4-E4B-it-GGUF NVIDIA-Nemotron-3-Nano-4B-GGUF Devstral-Small-2-24B-Instruct-2512-GGUF LFM2-24B-A2B-GGUF Qwen3-VL-8B-Instruct-GGUF olmOCR-2-7B-1025-GGUF rnj-1-instruct-GGUF zerank-2-gguf zerank-1-small-gguf (swap exclusive)",
                "(default): Bonsai-27B-GGUF FastContext-1.0-4B-SFT-Q4_K_M-GGUF Qwythos-9B-Claude-Mythos-5-1M-GGUF granite-4-h-tiny granite-4.1-8b-GGUF (swap exclusive)",
            ],
            Swaps =
            [
                "Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF",
                "zerank-2-gguf -> zerank-2-gguf",
                "Bonsai-27B-GGUF -> Bonsai-27B-GGUF",
                "granite-4-h-tiny -> granite-4-h-tiny",
                "Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF",
            ],
        },
        new("waflores.local-ai-configs.inferhost.yaml", "waflores/local-ai-configs", "other_experiments/inferhost/llama-swap.yaml",
            "622800c4ab9731bb855f85a8a907540b372a0afb", "033680b2eb2a7e2748b101da04ec9c1a44a64123")
        {
            Targets = "v228 (the newest llama-swap release when the file was committed, 2026-06-19)",
            NotImplemented = ["2:1: logRequests"],
            Models = ["Qwen3.5-9B-GGUF"],
            Groups = ["swappable: Qwen3.5-9B-GGUF (swap exclusive)"],
            Swaps = ["Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF", "Qwen3.5-9B-GGUF -> Qwen3.5-9B-GGUF"],
        },
        new("luksamuk.ai-dotfiles.yaml", "luksamuk/ai-dotfiles", "llama-swap/config.yaml",
            "8ee3f6029a6b60a031f7a92c8154fafc98c61fb1", "4ca9a144962aedc82ad340c0d30832e092be170a")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-17)",
            Environment = new Dictionary<string, string> { ["HOME"] = "/home/ai" },
            Divergence = "typo-guard",
            Errors =
            [
                "177:5: models.qwen3.5-4b: unknown key 'health_check_timeout'",
                "259:5: models.qwen3.5-4b-abliterated: unknown key 'health_check_timeout'",
                "345:5: models.qwen3.5-9b: unknown key 'health_check_timeout'",
                "418:5: models.gemma4-e2b: unknown key 'health_check_timeout'",
                "498:5: models.lfm2.5-2.6b: unknown key 'health_check_timeout'",
                "582:5: models.ornith-1.0-35b: unknown key 'health_check_timeout'",
                "677:5: models.bonsai-27b-1bit: unknown key 'health_check_timeout'",
                "750:5: models.qwen3-vl-4b: unknown key 'health_check_timeout'",
                "818:5: models.lfm2.5-vl-3b: unknown key 'health_check_timeout'",
                "913:5: models.nanbeige4.2-3b: unknown key 'health_check_timeout'",
                "1229:5: models.empero-qwen3.8-2b: unknown key 'health_check_timeout'",
                "1304:5: models.empero-qwen3.8-4b: unknown key 'health_check_timeout'",
                "1385:5: models.glm-4.7-flash: unknown key 'health_check_timeout'",
                "1534:5: models.lfm2.5-8b-a1b: unknown key 'health_check_timeout'",
                "1583:5: models.qwen3-tts: unknown key 'health_check_timeout'",
                "1650:5: models.translategemma-4b: unknown key 'health_check_timeout'",
            ],
        },
        new("luksamuk.ai-dotfiles.sisyphus.yaml", "luksamuk/ai-dotfiles", "sisyphus/llama-swap-config.yml",
            "8ee3f6029a6b60a031f7a92c8154fafc98c61fb1", "a4af86dafe9b305a05347b0d5ad5c88c5ed973d8")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-15)",
            Warnings =
            [
                "27:5: models.gemma4-e2b: unknown key 'unload'",
                "53:5: models.lfm2.5-vl-450m: unknown key 'unload'",
                "81:5: models.lfm2.5-230m: unknown key 'unload'",
                "110:5: models.lfm2.5-8b-a1b: unknown key 'unload'",
                "140:5: models.lfm2.5-2.6b: unknown key 'unload'",
            ],
            NotImplemented = ["3:1: logTimeFormat", "4:1: logToStdout"],
            Models = ["gemma4-e2b", "lfm2.5-2.6b", "lfm2.5-230m", "lfm2.5-8b-a1b", "lfm2.5-vl-450m"],
            Groups = ["(default): gemma4-e2b lfm2.5-2.6b lfm2.5-230m lfm2.5-8b-a1b lfm2.5-vl-450m (swap exclusive)"],
            Swaps = ["gemma4-e2b -> gemma4-e2b", "lfm2.5-230m -> lfm2.5-230m", "lfm2.5-vl-450m -> lfm2.5-vl-450m"],
        },
        new("Paxjy.dotfiles.yaml", "Paxjy/dotfiles", "llama-swap/config.yaml",
            "e95bd919fab1aab8ca8929bd8e605eadeb902589", "cd7ef30d996c0a5ca1e5cd571c5703ba54d95b8b")
        {
            Targets = "v202 (the newest llama-swap release when the file was committed, 2026-04-16)",
            Models =
            [
                "Bonsai-8B",
                "Gemma4-26B-4A-Q4_K_M",
                "Gemma4-26B-4A-Q6_K_L",
                "Gemma4-31B",
                "Gemma4-E4B",
                "glm-4.7-flash",
                "gpt-oss",
                "qwen3.5-27b-code",
                "qwen3.5-27b-general",
                "qwen3.5-35b-3a-code",
                "qwen3.5-35b-3a-general",
                "qwen3.5-9b-code",
                "qwen3.5-9b-general",
            ],
            Groups =
            [
                "(default): Bonsai-8B Gemma4-26B-4A-Q4_K_M Gemma4-26B-4A-Q6_K_L Gemma4-31B Gemma4-E4B glm-4.7-flash gpt-oss qwen3.5-27b-code qwen3.5-27b-general qwen3.5-35b-3a-code qwen3.5-35b-3a-general qwen3.5-9b-code qwen3.5-9b-general (swap exclusive)",
            ],
            Swaps = ["gpt-oss -> gpt-oss", "Gemma4-E4B -> Gemma4-E4B", "qwen3.5-9b-code -> qwen3.5-9b-code"],
        },
        new("TheWizardTower.abrazo.yaml", "TheWizardTower/abrazo", "llama-swap/config.yaml",
            "f62a81c81572dc1098eba98db92e5173aeaa7af7", "c5d7e46a17cfdb60634192e35266c6d4e719ea04")
        {
            Targets = "v229 (the newest llama-swap release when the file was committed, 2026-06-23)",
            Warnings =
            [
                "44:5: models.GLM-4.5-Air-Q6_K: unknown key 'recommended_use' ignored",
                "57:5: models.GLM-4.7-Flash-THEROCK: unknown key 'recommended_use' ignored",
                "72:5: models.Qwen3.5-35B-A3B-Claude-4.6-Opus-Reasoning-Distilled-Q8_0: unknown key 'recommended_use' ignored",
                "94:5: models.RNJ-1-Instruct: unknown key 'recommended_use' ignored",
                "119:5: models.Gemma4-Coding-Q8_0: unknown key 'recommended_use' ignored",
                "137:5: models.Qwable-27B-Q4_K_M: unknown key 'recommended_use' ignored",
                "153:5: models.Gemma-4-12B-IT-BF16: unknown key 'recommended_use' ignored",
                "171:5: models.Nex-AGI-N2-Pro-IQ1_M: unknown key 'recommended_use' ignored",
                "196:5: models.Qwen3-Coder-Next-UD-Q8: unknown key 'recommended_use' ignored",
                "224:5: models.Qwen3-Coder-Next-UD-Q8-old: unknown key 'recommended_use' ignored",
                "251:5: models.Qwen3.6-35B-A3B-MTP-UD-Q8: unknown key 'recommended_use' ignored",
                "281:5: models.Gemma-4-26B-A4B-UD-Q8: unknown key 'recommended_use' ignored",
                "305:1: config: unknown key 'validation' ignored",
            ],
            Models =
            [
                "GLM-4.5-Air-Q6_K",
                "GLM-4.7-Flash-THEROCK",
                "Gemma-4-12B-IT-BF16",
                "Gemma-4-26B-A4B-UD-Q8",
                "Gemma4-Coding-Q8_0",
                "Nex-AGI-N2-Pro-IQ1_M",
                "Qwable-27B-Q4_K_M",
                "Qwen3-Coder-Next-UD-Q8",
                "Qwen3-Coder-Next-UD-Q8-old",
                "Qwen3.5-35B-A3B-Claude-4.6-Opus-Reasoning-Distilled-Q8_0",
                "Qwen3.6-35B-A3B-MTP-UD-Q8",
                "RNJ-1-Instruct",
            ],
            Groups =
            [
                "(default): GLM-4.5-Air-Q6_K GLM-4.7-Flash-THEROCK Gemma-4-12B-IT-BF16 Gemma-4-26B-A4B-UD-Q8 Gemma4-Coding-Q8_0 Nex-AGI-N2-Pro-IQ1_M Qwable-27B-Q4_K_M Qwen3-Coder-Next-UD-Q8 Qwen3-Coder-Next-UD-Q8-old Qwen3.5-35B-A3B-Claude-4.6-Opus-Reasoning-Distilled-Q8_0 Qwen3.6-35B-A3B-MTP-UD-Q8 RNJ-1-Instruct (swap exclusive)",
            ],
            Swaps =
            [
                "RNJ-1-Instruct -> RNJ-1-Instruct",
                "GLM-4.5-Air-Q6_K -> GLM-4.5-Air-Q6_K",
                "RNJ-1-Instruct -> RNJ-1-Instruct",
            ],
        },
        new("thesephirot.pi-config.yaml", "thesephirot/pi-config", "llama-swap/config.yaml",
            "4373d5414614b6720743bb4caccc7026102c4455", "01e47aa2f984f8a0f6e62d35597f75ae0253fa5f")
        {
            Targets = "v236 (the newest llama-swap release when the file was committed, 2026-07-07)",
            NotImplemented =
            [
                "12:7: models.gemma31q4.filters.setParamsByID",
                "41:7: models.gemma26.filters.setParamsByID",
                "70:7: models.qwen36-a3b-q6.filters.setParamsByID",
                "115:7: models.qwen36-27b-mtp-q3.filters.setParamsByID",
            ],
            Models =
            [
                "codestral-22b-q8",
                "gemma26",
                "gemma31q4",
                "ornith-1.0-9B",
                "qwen-image-2512-Q4_K_M",
                "qwen36-27b-mtp-q3",
                "qwen36-a3b-q4",
                "qwen36-a3b-q6",
            ],
            SetParamsByIdAliases =
            [
                "gemma26:nothinking=gemma26",
                "gemma26:thinking=gemma26",
                "gemma31q4:nothinking=gemma31q4",
                "gemma31q4:thinking=gemma31q4",
                "qwen36-27b-mtp-q3:nothinking=qwen36-27b-mtp-q3",
                "qwen36-27b-mtp-q3:thinking=qwen36-27b-mtp-q3",
                "qwen36-a3b-q6:nothinking=qwen36-a3b-q6",
                "qwen36-a3b-q6:thinking=qwen36-a3b-q6",
            ],
            Groups =
            [
                "clever: qwen36-27b-mtp-q3 gemma26 ()",
                "(default): codestral-22b-q8 gemma31q4 ornith-1.0-9B qwen-image-2512-Q4_K_M qwen36-a3b-q4 qwen36-a3b-q6 (swap exclusive)",
            ],
            Swaps =
            [
                "gemma26 -> gemma26",
                "qwen36-27b-mtp-q3 -> gemma26, qwen36-27b-mtp-q3", // clever has swap: false
                "gemma31q4 -> gemma31q4", // the default group is exclusive: clever goes
                "gemma26 -> gemma26, gemma31q4", // clever is not exclusive: the default group stays
                "qwen36-a3b-q6 -> qwen36-a3b-q6", // default swaps gemma31q4 out and, exclusive, clever too
            ],
        },
        new("kbak.local-ai-stack.yaml", "kbak/local-ai-stack", "llama-swap.yaml",
            "243b33ef7a2c56b50d7969181451592ceddcaa60", "5433e5d28be9094c2dd926c86cb538a32ca63efa")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-14)",
            Models =
            [
                "bge-reranker-v2-m3",
                "flux-dev",
                "muse-glimmer-30B-FP8",
                "qwen-coder-7B",
                "qwen3.6-35B-A3B-FP8",
                "qwen3.8-27B-FP8",
            ],
            Groups =
            [
                "cuda0_main: qwen3.6-35B-A3B-FP8 qwen3.8-27B-FP8 muse-glimmer-30B-FP8 (swap persistent)",
                "cuda0_coder: qwen-coder-7B (persistent)",
                "cuda0_image: flux-dev (swap)",
                "cuda1_reranker: bge-reranker-v2-m3 (persistent)",
            ],
            Swaps =
            [
                "qwen3.6-35B-A3B-FP8 -> qwen3.6-35B-A3B-FP8",
                "qwen-coder-7B -> qwen-coder-7B, qwen3.6-35B-A3B-FP8", // no group is exclusive
                "bge-reranker-v2-m3 -> bge-reranker-v2-m3, qwen-coder-7B, qwen3.6-35B-A3B-FP8",
                "flux-dev -> bge-reranker-v2-m3, flux-dev, qwen-coder-7B, qwen3.6-35B-A3B-FP8",
                "qwen3.8-27B-FP8 -> bge-reranker-v2-m3, flux-dev, qwen-coder-7B, qwen3.8-27B-FP8", // cuda0_main swaps
            ],
        },
        new("ramb0t.fw-desktop-llm.yaml", "ramb0t/fw-desktop-llm", "llama-swap.yaml",
            "1946b10cdc339a79d27d91d755aabb2eb4f29ff9", "e09fad1642c7153a910226ff964886e649f4b0c3")
        {
            Targets = "v217 (the newest llama-swap release when the file was committed, 2026-05-26)",
            LlamaSwapRefuses = "unknown macro '${HOME}' found in qwen3-coder-next.cmd (internal/config/macros.go validateConfigMacroUses)",
            Errors = ["16:10: models.qwen3-coder-next.cmd: unknown macro '${HOME}'"],
        },
        new("jeffgrover.b70-setup.yaml", "jeffgrover/b70-setup", "llama-swap.yaml",
            "a22051527497a5c23ba710b0f4a5489d3363bf06", "5b3b872afeb33139e6a5d73c8139237a08ba3f0c")
        {
            Targets = "v250 (the newest llama-swap release when the file was committed, 2026-08-19)",
            Models =
            [
                "agents-a1",
                "gemma-4-31b-qat",
                "gemma-4-e4b",
                "glm-4.7-flash",
                "muse-glimmer-30b",
                "nemotron-3.5-lightning",
                "nemotron-3.5-lightning-mtp",
                "qwen3.6-35b-a3b",
                "qwen3.8-27b",
                "qwen3.8-27b-mtp",
                "qwen3.8-27b-think",
            ],
            Groups =
            [
                "(default): agents-a1 gemma-4-31b-qat gemma-4-e4b glm-4.7-flash muse-glimmer-30b nemotron-3.5-lightning nemotron-3.5-lightning-mtp qwen3.6-35b-a3b qwen3.8-27b qwen3.8-27b-mtp qwen3.8-27b-think (swap exclusive)",
            ],
            Swaps = ["qwen3.8-27b -> qwen3.8-27b", "gemma-4-e4b -> gemma-4-e4b", "qwen3.8-27b-mtp -> qwen3.8-27b-mtp"],
        },
        new("ounols.llama-swap-docker-compose.yaml", "ounols/llama-swap-docker-compose", "llama-swap.yaml",
            "34c31444b67590374c3d949567e97e8ddc17b982", "de510807a5a43c1939392aa4a63ce6307e5cfb0e")
        {
            Targets = "v234 (the newest llama-swap release when the file was committed, 2026-07-02)",
            Models =
            [
                "gemma-4-e2b",
                "gemma-4-e2b-q4",
                "gemma-4-e4b-qat",
                "lfm-2.5-350m-uncencored",
                "lfm-2.5-8b-a1b",
                "ornith-1.0-9b",
            ],
            Groups =
            [
                "(default): gemma-4-e2b gemma-4-e2b-q4 gemma-4-e4b-qat lfm-2.5-350m-uncencored lfm-2.5-8b-a1b ornith-1.0-9b (swap exclusive)",
            ],
            Swaps = ["gemma-4-e2b -> gemma-4-e2b", "ornith-1.0-9b -> ornith-1.0-9b"],
        },
        new("wvdschel.llama-swap-amdvlk.yaml", "wvdschel/llama-swap-amdvlk", "llama-swap.yaml",
            "38900984b4e873a4e76cf908a738f13bfb8734c7", "9fe325071bfb624bcc55c2a27d33a34aacd8f88e")
        {
            Targets = "v183 (the newest llama-swap release when the file was committed, 2026-01-09)",
            Models =
            [
                "gemma3",
                "gpt-oss-120b",
                "gpt-oss-20b",
                "hermes-4.3-36b",
                "intellect-3",
                "minimax-m2",
                "minimax-m2.1",
                "nomic-embed",
                "qwen2.5-coder-1.5b",
                "qwen2.5-coder-3b",
                "qwen2.5-coder-7b",
                "qwen3-embed",
                "qwen3-next",
                "qwen3-next-instruct",
                "qwen3-rerank",
                "trinity-mini",
                "youtu-llm",
                "zerank-1-small",
            ],
            Groups =
            [
                "big: gpt-oss-120b hermes-4.3-36b intellect-3 minimax-m2 minimax-m2.1 gpt-oss-20b gemma3 trinity-mini qwen3-next (swap)",
                "autocomplete: qwen2.5-coder-3b qwen2.5-coder-7b qwen2.5-coder-1.5b (swap)",
                "embed: qwen3-embed nomic-embed (swap)",
                "rerank: zerank-1-small qwen3-rerank (swap)",
                "(default): qwen3-next-instruct youtu-llm (swap exclusive)",
            ],
            Swaps =
            [
                "gpt-oss-120b -> gpt-oss-120b",
                "qwen2.5-coder-3b -> gpt-oss-120b, qwen2.5-coder-3b", // four non-exclusive groups run side by side
                "qwen3-embed -> gpt-oss-120b, qwen2.5-coder-3b, qwen3-embed",
                "zerank-1-small -> gpt-oss-120b, qwen2.5-coder-3b, qwen3-embed, zerank-1-small",
                "gpt-oss-20b -> gpt-oss-20b, qwen2.5-coder-3b, qwen3-embed, zerank-1-small",
                "nomic-embed -> gpt-oss-20b, nomic-embed, qwen2.5-coder-3b, zerank-1-small",
                "youtu-llm -> youtu-llm", // the default group is exclusive
                "qwen2.5-coder-7b -> qwen2.5-coder-7b, youtu-llm",
                "qwen3-next-instruct -> qwen3-next-instruct",
            ],
        },
        new("wvdschel.llama-swap-amdvlk.desktop.yaml", "wvdschel/llama-swap-amdvlk", "llama-swap-desktop.yaml",
            "38900984b4e873a4e76cf908a738f13bfb8734c7", "10c3a084a7b9593c3b4eaa8e7155ece9f75e2a97")
        {
            Targets = "v183 (the newest llama-swap release when the file was committed, 2026-01-09)",
            Models =
            [
                "gemma3",
                "gpt-oss-120b",
                "gpt-oss-20b",
                "hermes-4.3-36b",
                "intellect-3",
                "minimax-m2",
                "minimax-m2.1",
                "nomic-embed",
                "precog-24b",
                "qwen2.5-coder-1.5b",
                "qwen2.5-coder-3b",
                "qwen2.5-coder-7b",
                "qwen3-embed",
                "qwen3-next",
                "qwen3-next-instruct",
                "qwen3-rerank",
                "trinity-mini",
                "youtu-llm",
                "zerank-1-small",
            ],
            Groups =
            [
                "big: gpt-oss-120b hermes-4.3-36b precog-24b intellect-3 minimax-m2 minimax-m2.1 gpt-oss-20b gemma3 trinity-mini qwen3-next (swap)",
                "autocomplete: qwen2.5-coder-3b qwen2.5-coder-7b qwen2.5-coder-1.5b (swap)",
                "embed: qwen3-embed nomic-embed (swap)",
                "rerank: zerank-1-small qwen3-rerank (swap)",
                "(default): qwen3-next-instruct youtu-llm (swap exclusive)",
            ],
            Swaps =
            [
                "gpt-oss-120b -> gpt-oss-120b",
                "qwen2.5-coder-1.5b -> gpt-oss-120b, qwen2.5-coder-1.5b",
                "precog-24b -> precog-24b, qwen2.5-coder-1.5b",
                "qwen3-next-instruct -> qwen3-next-instruct",
            ],
        },
        new("dicksondickson.ai-infra-onprem.yaml", "dicksondickson/ai-infra-onprem", "llama-swap/config.yaml",
            "5724f9aefb8dd0c83f320e10c6e9ff396edf5f48", "972f361d33ddee80fa09ddaa19c2e71f153c7e57")
        {
            Targets = "v197 (the newest llama-swap release when the file was committed, 2026-03-02)",
            Warnings = ["6:1: config: unknown key 'maxRunningModels'"],
            Models = ["GLM-4.7-Flash-GGUF", "Qwen3.5-27B-GGUF", "Qwen3.5-35B-A3B-GGUF"],
            Groups = ["(default): GLM-4.7-Flash-GGUF Qwen3.5-27B-GGUF Qwen3.5-35B-A3B-GGUF (swap exclusive)"],
            Swaps = ["Qwen3.5-27B-GGUF -> Qwen3.5-27B-GGUF", "GLM-4.7-Flash-GGUF -> GLM-4.7-Flash-GGUF"],
        },
        new("MrKich.ai-desktop-setup.yaml", "MrKich/ai-desktop-setup", "llama-swap/config.yaml",
            "c04c0e4ba7bf3da991c1dd5073f4c708ade9741b", "c48031599477d8f34167a607b23b24ae8679720b")
        {
            Targets = "v198 (the newest llama-swap release when the file was committed, 2026-03-16)",
            NotImplemented = ["3:1: logTimeFormat", "4:1: logToStdout"],
            Models = ["orpheus-3b", "qwen3.5-2b", "qwen3.5-35b", "whisper-large-v3"],
            Groups =
            [
                "tiny: qwen3.5-2b (persistent)",
                "(default): orpheus-3b qwen3.5-35b whisper-large-v3 (swap exclusive)",
            ],
            Swaps =
            [
                "qwen3.5-2b -> qwen3.5-2b",
                "qwen3.5-35b -> qwen3.5-2b, qwen3.5-35b", // tiny is persistent
                "whisper-large-v3 -> qwen3.5-2b, whisper-large-v3",
                "orpheus-3b -> orpheus-3b, qwen3.5-2b",
                "qwen3.5-2b -> orpheus-3b, qwen3.5-2b",
            ],
        },
        new("thedownwardspiral.paperless-stack.yaml", "thedownwardspiral/paperless-stack", "llama-swap/config.yaml",
            "1bf13b04ab5b9cb1f6eda1b81584b963f9aad137", "4f9825f0046e030a17001b3faa0e4edea3222e66")
        {
            Targets = "v197 (the newest llama-swap release when the file was committed, 2026-03-08)",
            Models = ["qwen3.5-9b"],
            Aliases = ["qwen3.5:9b=qwen3.5-9b"],
            Groups = ["(default): qwen3.5-9b (swap exclusive)"],
            Swaps = ["qwen3.5:9b -> qwen3.5-9b", "qwen3.5-9b -> qwen3.5-9b"],
        },
        new("bcyrill.llama-swap-orchestrator.yaml", "bcyrill/llama-swap-orchestrator", "llama-swap/config.yaml",
            "27e3ec74530247f1127e1786e39b00ab50bbd95e", "796c825d1e69a7dc8c84101e8372ef41d373a9af")
        {
            Targets = "v209 (the newest llama-swap release when the file was committed, 2026-04-28)",
            Environment = new Dictionary<string, string> { ["LLAMA_MODELS_DIR"] = "/srv/models", ["HF_TOKEN"] = "hf_x" },
            Models = ["llamacpp-bge-reranker", "llamacpp-qwen2.5-7b", "sglang-qwen2.5-14b", "vllm-llama3.1-8b"],
            // Unused: a top-level `matrix:` decides (llama-swap then builds no groups at all).
            Groups = ["(default): llamacpp-bge-reranker llamacpp-qwen2.5-7b sglang-qwen2.5-14b vllm-llama3.1-8b (swap exclusive)"],
            // The matrix: set llm_with_rerank = "(g | v | s) & r", evict_costs v 50, s 40, g 5, r 1 (llama-swap's
            // internal/router/matrix.go: among the set's combinations holding the target, the cheapest to evict wins).
            Swaps =
            [
                "llamacpp-qwen2.5-7b -> llamacpp-qwen2.5-7b", // its proxy is a container's name, http://llamacpp-qwen2.5-7b:8080
                "llamacpp-bge-reranker -> llamacpp-bge-reranker, llamacpp-qwen2.5-7b", // g & r may run together
                "vllm-llama3.1-8b -> llamacpp-bge-reranker, vllm-llama3.1-8b", // v & r: g goes
                "sglang-qwen2.5-14b -> llamacpp-bge-reranker, sglang-qwen2.5-14b", // s & r: v goes
                "llamacpp-qwen2.5-7b -> llamacpp-bge-reranker, llamacpp-qwen2.5-7b",
            ],
        },
        new("platteXDlol.GMKtec_LLM_Machine.yaml", "platteXDlol/GMKtec_LLM_Machine", "llama-swap/config.yaml",
            "7ff40b1a5487f20661c4108a0af8db20c40537b4", "1cd71720b50583832b7d4cb9113b2a9260c68e30")
        {
            Targets = "v202 (the newest llama-swap release when the file was committed, 2026-04-15)",
            Warnings =
            [
                "2:1: config: unknown key 'port' ignored",
                "3:1: config: unknown key 'ttl' ignored",
                "7:3: groups.main: `members:` is missing, so the group holds no model",
                "8:5: groups.main: unknown key 'simultaneous' ignored",
                "9:5: groups.main: unknown key 'ttl' ignored",
                "10:5: groups.main: unknown key 'models' ignored",
                "40:5: models.hlc-turbo-6.7: unknown key 'port' ignored",
                "63:5: models.hlc-thinker: unknown key 'port' ignored",
                "88:5: models.devstral: unknown key 'port' ignored",
                "111:5: models.qwen3-coder: unknown key 'port' ignored",
                "134:5: models.hlc-roleplay-1.8: unknown key 'port' ignored",
                "157:5: models.hlc-mini-3.1: unknown key 'port' ignored",
            ],
            Models = ["devstral", "hlc-mini-3.1", "hlc-roleplay-1.8", "hlc-thinker", "hlc-turbo-6.7", "qwen3-coder"],
            Groups =
            [
                "main: (swap exclusive)", // its models are listed under `models:`, a key llama-swap ignores: the group is empty
                "(default): devstral hlc-mini-3.1 hlc-roleplay-1.8 hlc-thinker hlc-turbo-6.7 qwen3-coder (swap exclusive)",
            ],
            Swaps = ["hlc-turbo-6.7 -> hlc-turbo-6.7", "devstral -> devstral", "hlc-mini-3.1 -> hlc-mini-3.1"],
        },
    ];
}
