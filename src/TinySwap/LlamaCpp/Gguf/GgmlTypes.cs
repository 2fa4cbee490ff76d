namespace TinySwap.LlamaCpp.Gguf;

/// <summary>Names for ggml's tensor type ids and llama.cpp's `general.file_type` ids, as llama.cpp prints them.</summary>
internal static class GgmlTypes
{
    // ggml.h `enum ggml_type`; gaps are ids ggml removed (Q4_2, Q4_3, the repacked Q4_0_x_x and IQ4_NL_x_x).
    private static readonly string?[] TensorTypeNames =
    [
        "f32", "f16", "q4_0", "q4_1", null, null, "q5_0", "q5_1", "q8_0", "q8_1",
        "q2_K", "q3_K", "q4_K", "q5_K", "q6_K", "q8_K", "iq2_xxs", "iq2_xs", "iq3_xxs", "iq1_s",
        "iq4_nl", "iq3_s", "iq2_s", "iq4_xs", "i8", "i16", "i32", "i64", "f64", "iq1_m",
        "bf16", null, null, null, "tq1_0", "tq2_0", null, null, null, "mxfp4",
    ];

    // llama.h `enum llama_ftype` (LLAMA_FTYPE_MOSTLY_*): what the quantizer aimed for, stored as general.file_type.
    private static readonly string?[] FileTypeNames =
    [
        "F32", "F16", "Q4_0", "Q4_1", null, null, null, "Q8_0", "Q5_0", "Q5_1",
        "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS",
        "IQ2_XS", "Q2_K_S", "IQ3_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M",
        "IQ4_XS", "IQ1_M", "BF16", null, null, null, "TQ1_0", "TQ2_0", "MXFP4_MOE",
    ];

    public static string TensorTypeName(uint id) =>
        id < TensorTypeNames.Length && TensorTypeNames[id] is { } name ? name : $"type {id}";

    public static string FileTypeName(long id) =>
        id is >= 0 and < 39 && FileTypeNames[id] is { } name ? name : $"file type {id}";

    /// <summary>
    /// Bytes per element of a KV cache type, as block bytes over block size (ggml-common.h: q8_0 is a 2-byte scale and
    /// 32 int8 = 34/32; q4_0 a scale and 16 bytes = 18/32). Only the types llama.cpp accepts for -ctk/-ctv.
    /// </summary>
    public static bool TryCacheTypeSize(string name, out int blockBytes, out int blockSize)
    {
        (blockBytes, blockSize) = name switch
        {
            "f32" => (4, 1),
            "f16" or "bf16" => (2, 1),
            "q8_0" => (34, 32),
            "q4_0" or "iq4_nl" => (18, 32),
            "q4_1" => (20, 32),
            "q5_0" => (22, 32),
            "q5_1" => (24, 32),
            _ => (0, 0),
        };
        return blockSize != 0;
    }

    /// <summary>Cache type names llama-server accepts for --cache-type-k / --cache-type-v.</summary>
    public static readonly string[] CacheTypes = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"];
}
