using Kuroku.Runtime.Controller;

namespace Kuroku.Operator.UnitTests.Runtime.Controller;

public sealed class CachePacedCollectionTests
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static CachePacedCollection Pacing(double fraction = 0.25) => new(new CachePacedCollectionOptions
    {
        GarbageFraction = fraction,
        MinGarbageBytes = 4 * MiB,
        MinInterval = TimeSpan.FromSeconds(5),
    });

    private static HeapReading Reading(long released, long held, long old = 0, int full = 0) => new(released * MiB, held * MiB, old * MiB, full);

    [Fact]
    public void Collects_once_the_caches_released_a_fraction_of_what_they_hold_since_the_first_look()
    {
        var pacing = Pacing();

        pacing.ShouldCollect(Reading(released: 100, held: 40, full: 3), Start).Should().BeFalse("the first look only takes the readings");
        pacing.ShouldCollect(Reading(109, 40, full: 3), Start.AddSeconds(1)).Should().BeFalse("9 MiB is under a quarter of 40");
        pacing.GarbageSince(Reading(109, 40, full: 3)).Should().Be(9 * MiB);
        pacing.ShouldCollect(Reading(110, 40, full: 3), Start.AddSeconds(2)).Should().BeTrue();
    }

    [Fact]
    public void Growth_of_the_oldest_generations_beyond_the_caches_own_counts_as_garbage()
    {
        var pacing = Pacing();
        pacing.ShouldCollect(Reading(0, held: 40, old: 80), Start);

        pacing.ShouldCollect(Reading(0, held: 60, old: 105), Start.AddSeconds(10)).Should().BeFalse("20 of the 25 MiB are the caches' new entries");
        pacing.GarbageSince(Reading(0, 60, 105)).Should().Be(5 * MiB);
        pacing.ShouldCollect(Reading(0, held: 60, old: 116), Start.AddSeconds(11)).Should().BeTrue("16 MiB beyond the caches' growth, over a quarter of 60");
        pacing.GarbageSince(Reading(0, held: 30, old: 80)).Should().Be(0, "a cache that shrank makes no garbage estimate of its own: what it released is counted as released");
    }

    [Fact]
    public void A_small_cache_waits_for_the_minimum_and_a_collection_waits_for_the_interval()
    {
        var pacing = Pacing();
        pacing.ShouldCollect(Reading(0, 1), Start);

        pacing.ShouldCollect(Reading(3, 1), Start.AddSeconds(1)).Should().BeFalse("a quarter of 1 MiB is below the 4 MiB minimum");
        pacing.ShouldCollect(Reading(4, 1), Start.AddSeconds(1)).Should().BeTrue();
        pacing.Collected(Reading(4, 1, full: 1), Start.AddSeconds(1));

        pacing.ShouldCollect(Reading(9, 1, full: 1), Start.AddSeconds(3)).Should().BeFalse("the last collection was 2 s ago");
        pacing.ShouldCollect(Reading(9, 1, full: 1), Start.AddSeconds(6)).Should().BeTrue("5 MiB since the last one, 5 s later");
    }

    [Fact]
    public void A_full_collection_the_GC_made_by_itself_starts_the_count_again()
    {
        var pacing = Pacing();
        pacing.ShouldCollect(Reading(0, 8, old: 50, full: 5), Start);

        pacing.ShouldCollect(Reading(3, 8, old: 70, full: 6), Start.AddSeconds(1)).Should().BeFalse("the GC collected the oldest generation meanwhile");
        pacing.ShouldCollect(Reading(6, 8, old: 72, full: 6), Start.AddSeconds(2)).Should().BeFalse("3 MiB released, 2 MiB grown since the GC's collection");
        pacing.ShouldCollect(Reading(7, 8, old: 72, full: 6), Start.AddSeconds(3)).Should().BeTrue();
    }

    [Fact]
    public void A_zero_fraction_never_collects()
    {
        var pacing = Pacing(fraction: 0);
        pacing.ShouldCollect(Reading(0, 0), Start);

        pacing.ShouldCollect(new HeapReading(long.MaxValue / 2, 0, long.MaxValue / 2, 0), Start.AddHours(1)).Should().BeFalse();
    }
}
