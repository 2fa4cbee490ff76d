namespace TinySwap.Config;

/// <summary>
/// Stable sorting for config-sized lists. LINQ's OrderBy would do, but in the AOT binary its iterators are compiled
/// once per element and key type, and the config stage alone used to pull in hundreds of kilobytes of them.
/// </summary>
internal static class StableSort
{
    /// <summary>Insertion sort: stable (equal items keep their order, like OrderBy) and plenty fast for a config.</summary>
    public static List<T> Sorted<T>(IEnumerable<T> items, Comparison<T> compare)
    {
        var list = new List<T>(items);
        for (var i = 1; i < list.Count; i++)
        {
            var item = list[i];
            var j = i - 1;
            for (; j >= 0 && compare(list[j], item) > 0; j--)
                list[j + 1] = list[j];
            list[j + 1] = item;
        }
        return list;
    }

    public static List<T> ByOrdinal<T>(IEnumerable<T> items, Func<T, string> key) =>
        Sorted(items, (a, b) => string.CompareOrdinal(key(a), key(b)));
}
