using Kuroku.Runtime.Controller;

namespace Kuroku.Operator.UnitTests.Runtime.Controller;

public sealed class CachePacedCollectionTests
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static CachePacedCollection Pacing(double fraction = 0.25) => new(new CachePacedCollectionOptions
    {
        ReleasedFraction = fraction,
        MinReleasedBytes = 4 * MiB,
        MinInterval = TimeSpan.FromSeconds(5),
    });

    [Fact]
    public void Collects_once_the_caches_released_a_fraction_of_what_they_hold_since_the_first_look()
    {
        var pacing = Pacing();

        pacing.ShouldCollect(released: 100 * MiB, held: 40 * MiB, fullCollections: 3, Start).Should().BeFalse("the first look only takes the counters");
        pacing.ShouldCollect(109 * MiB, 40 * MiB, 3, Start.AddSeconds(1)).Should().BeFalse("9 MiB is under a quarter of 40");
        pacing.ReleasedSince(109 * MiB).Should().Be(9 * MiB);
        pacing.ShouldCollect(110 * MiB, 40 * MiB, 3, Start.AddSeconds(2)).Should().BeTrue();
    }

    [Fact]
    public void A_small_cache_waits_for_the_minimum_and_a_collection_waits_for_the_interval()
    {
        var pacing = Pacing();
        pacing.ShouldCollect(0, 1 * MiB, 0, Start);

        pacing.ShouldCollect(3 * MiB, 1 * MiB, 0, Start.AddSeconds(1)).Should().BeFalse("a quarter of 1 MiB is below the 4 MiB minimum");
        pacing.ShouldCollect(4 * MiB, 1 * MiB, 0, Start.AddSeconds(1)).Should().BeTrue();
        pacing.Collected(4 * MiB, fullCollections: 1, Start.AddSeconds(1));

        pacing.ShouldCollect(9 * MiB, 1 * MiB, 1, Start.AddSeconds(3)).Should().BeFalse("the last collection was 2 s ago");
        pacing.ShouldCollect(9 * MiB, 1 * MiB, 1, Start.AddSeconds(6)).Should().BeTrue("5 MiB since the last one, 5 s later");
    }

    [Fact]
    public void A_full_collection_the_GC_made_by_itself_starts_the_count_again()
    {
        var pacing = Pacing();
        pacing.ShouldCollect(0, 8 * MiB, 5, Start);

        pacing.ShouldCollect(3 * MiB, 8 * MiB, 6, Start.AddSeconds(1)).Should().BeFalse("the GC collected the oldest generation meanwhile");
        pacing.ShouldCollect(6 * MiB, 8 * MiB, 6, Start.AddSeconds(2)).Should().BeFalse("3 MiB since the GC's collection");
        pacing.ShouldCollect(7 * MiB, 8 * MiB, 6, Start.AddSeconds(3)).Should().BeTrue();
    }

    [Fact]
    public void A_zero_fraction_never_collects()
    {
        var pacing = Pacing(fraction: 0);
        pacing.ShouldCollect(0, 0, 0, Start);

        pacing.ShouldCollect(long.MaxValue / 2, 0, 0, Start.AddHours(1)).Should().BeFalse();
    }
}
