namespace Kuroku.Runtime.Controller;

/// <summary>
/// When the controller asks the GC for a full compacting collection, paced by the garbage its caches leave
/// behind (<see cref="Informers.ObjectStore.ReleasedBytes"/>). A cached object is replaced minutes after it
/// was cached, so what it leaves is in the oldest generation, which the GC collects by its own budget: during
/// a fleet-wide release that budget let the replaced entries and the holes they leave pile up to a third of
/// the heap. Zero <see cref="ReleasedFraction"/> turns it off.
/// </summary>
public sealed record CachePacedCollectionOptions
{
    /// <summary>Collect once the caches have released this fraction of what they hold since the last full collection.</summary>
    public double ReleasedFraction { get; init; } = 0.25;

    /// <summary>... and at least this many bytes (a small cache is not worth a full collection).</summary>
    public long MinReleasedBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Never more often than this.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the caches' counters are read.</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>The decision of <see cref="CachePacedCollectionOptions"/>, kept apart from the GC and the clock (pure).</summary>
public sealed class CachePacedCollection(CachePacedCollectionOptions options)
{
    private long baseline;
    private int fullCollectionsSeen = -1;
    private DateTimeOffset last = DateTimeOffset.MinValue;

    public CachePacedCollectionOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// Whether to collect now. <paramref name="released"/> and <paramref name="held"/> are the caches' counters,
    /// <paramref name="fullCollections"/> the GC's count of the oldest generation's collections: one the GC
    /// made by itself since the last look took the garbage too, so the count starts again from there.
    /// </summary>
    public bool ShouldCollect(long released, long held, int fullCollections, DateTimeOffset now)
    {
        if (Options.ReleasedFraction <= 0)
        {
            return false;
        }

        if (fullCollections != fullCollectionsSeen)
        {
            fullCollectionsSeen = fullCollections;
            baseline = released;
            return false;
        }

        var threshold = Math.Max(Options.MinReleasedBytes, (long)(held * Options.ReleasedFraction));
        return now - last >= Options.MinInterval && released - baseline >= threshold;
    }

    /// <summary>What the caches released since the last full collection, by the counter's reading <paramref name="released"/>.</summary>
    public long ReleasedSince(long released) => released - baseline;

    /// <summary>Records a collection made on this decision.</summary>
    public void Collected(long released, int fullCollections, DateTimeOffset now)
    {
        baseline = released;
        fullCollectionsSeen = fullCollections;
        last = now;
    }
}
