namespace Kuroku.Runtime.Informers;

/// <summary>
/// One instance of each index value across every store: a WebApp's uid is the owner index value of each of
/// its children, in every informer that caches a kind of them (six stores, six copies of each uid without
/// this). Counted: a value no bucket holds any more is let go, so deleted owners leave nothing behind.
/// </summary>
internal static class IndexValuePool
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Held> Values = new(StringComparer.Ordinal);

    /// <summary>How many distinct values are held now.</summary>
    public static int Count
    {
        get
        {
            lock (Gate)
            {
                return Values.Count;
            }
        }
    }

    /// <summary>The shared instance of <paramref name="value"/>; every call is matched by one <see cref="Release"/>.</summary>
    public static string Acquire(string value)
    {
        lock (Gate)
        {
            if (Values.TryGetValue(value, out var held))
            {
                held.Count++;
                return held.Value;
            }

            Values[value] = new Held(value);
            return value;
        }
    }

    public static void Release(string value)
    {
        lock (Gate)
        {
            if (Values.TryGetValue(value, out var held) && --held.Count == 0)
            {
                Values.Remove(value);
            }
        }
    }

    private sealed class Held(string value)
    {
        public string Value { get; } = value;

        public int Count { get; set; } = 1;
    }
}
