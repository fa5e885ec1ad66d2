namespace Kuroku.Runtime.Informers;

/// <summary>
/// One instance of each index value across the stores that share the pool: a WebApp's uid is the owner
/// index value of each of its children, in every informer that caches a kind of them (six stores, six
/// copies of each uid without it). Counted: a value no bucket holds any more is let go, so deleted owners
/// leave nothing behind; and the pool lives as long as its stores (one controller's term), so stores
/// dropped with a lost leadership take their values with them.
/// </summary>
public sealed class IndexValuePool
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Held> values = new(StringComparer.Ordinal);

    /// <summary>How many distinct values are held now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return values.Count;
            }
        }
    }

    /// <summary>The shared instance of <paramref name="value"/>; every call is matched by one <see cref="Release"/>.</summary>
    public string Acquire(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            if (values.TryGetValue(value, out var held))
            {
                held.Count++;
                return held.Value;
            }

            values[value] = new Held(value);
            return value;
        }
    }

    public void Release(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            if (values.TryGetValue(value, out var held) && --held.Count == 0)
            {
                values.Remove(value);
            }
        }
    }

    private sealed class Held(string value)
    {
        public string Value { get; } = value;

        public int Count { get; set; } = 1;
    }
}
