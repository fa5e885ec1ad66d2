namespace Kuroku.Runtime.Controller;

/// <summary>
/// When the controller asks the GC for a full compacting collection: paced by the garbage in the oldest
/// generations, which the GC otherwise collects by its own budget, grown on the heap's size. Two readings
/// estimate that garbage since the last full collection, and the larger counts:
/// <list type="bullet">
/// <item>what the caches released (<see cref="Informers.ObjectStore.ReleasedBytes"/>): a cached object is
/// replaced minutes after it was cached, so what it leaves is in the oldest generation. During a fleet-wide
/// release the replaced entries and their holes piled up to a third of the heap;</item>
/// <item>how much the oldest generation and the large object heap grew beyond the caches' own growth: what
/// reconciles and watch events had promoted there and was dead since. With this reading too, peak RSS at
/// 10,000 apps went from 236-242 / 247-257 to 225 / 241 MiB (converge / new image, one run).</item>
/// </list>
/// Zero <see cref="GarbageFraction"/> turns it off.
/// </summary>
public sealed record CachePacedCollectionOptions
{
    /// <summary>Collect once the garbage since the last full collection is this fraction of what the caches hold.</summary>
    public double GarbageFraction { get; init; } = 0.25;

    /// <summary>... and at least this many bytes (a small cache is not worth a full collection).</summary>
    public long MinGarbageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Never more often than this.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the caches' counters and the GC's sizes are read.</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>One look at the caches and the GC.</summary>
/// <param name="Released">The caches' <see cref="Informers.ObjectStore.ReleasedBytes"/>, summed.</param>
/// <param name="Held">The caches' <see cref="Informers.ObjectStore.HeldBytes"/>, summed.</param>
/// <param name="OldGenerations">The oldest generation and the large object heap after the GC's last collection.</param>
/// <param name="FullCollections">How many times the GC has collected the oldest generation.</param>
public readonly record struct HeapReading(long Released, long Held, long OldGenerations, int FullCollections);

/// <summary>The decision of <see cref="CachePacedCollectionOptions"/>, kept apart from the GC and the clock (pure).</summary>
public sealed class CachePacedCollection(CachePacedCollectionOptions options)
{
    private HeapReading baseline = new(0, 0, 0, -1);
    private DateTimeOffset last = DateTimeOffset.MinValue;

    public CachePacedCollectionOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// Whether to collect now. A full collection the GC made by itself since the last look took the garbage
    /// too: the estimate starts again from that look's reading.
    /// </summary>
    public bool ShouldCollect(HeapReading now, DateTimeOffset at)
    {
        if (Options.GarbageFraction <= 0)
        {
            return false;
        }

        if (now.FullCollections != baseline.FullCollections)
        {
            baseline = now;
            return false;
        }

        var threshold = Math.Max(Options.MinGarbageBytes, (long)(now.Held * Options.GarbageFraction));
        return at - last >= Options.MinInterval && GarbageSince(now) >= threshold;
    }

    /// <summary>The estimated garbage in the oldest generations since the last full collection.</summary>
    public long GarbageSince(HeapReading now) => Math.Max(
        now.Released - baseline.Released,
        now.OldGenerations - baseline.OldGenerations - Math.Max(0, now.Held - baseline.Held));

    /// <summary>Records a collection made on this decision, with the reading taken after it.</summary>
    public void Collected(HeapReading after, DateTimeOffset at)
    {
        baseline = after;
        last = at;
    }
}
