using Kuroku.Playground.Cluster;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class ExpectationsTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Objects.Now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Writes_are_awaited_until_the_cache_shows_them()
    {
        var expectations = new Expectations(new Clock());
        expectations.Created("rs", "pod-a");
        expectations.Deleted("rs", "pod-b");

        expectations.Satisfied("rs", new HashSet<string> { "pod-b" }).Should().BeFalse("pod-a is not in the cache yet");
        expectations.Satisfied("rs", new HashSet<string> { "pod-a", "pod-b" }).Should().BeFalse("pod-b is still in the cache");
        expectations.Satisfied("rs", new HashSet<string> { "pod-a" }).Should().BeTrue();
        expectations.Satisfied("other", new HashSet<string>()).Should().BeTrue("nothing was written for it");
    }

    [Fact]
    public void A_write_the_cache_never_shows_is_given_up_after_the_timeout()
    {
        var clock = new Clock();
        var expectations = new Expectations(clock, TimeSpan.FromSeconds(30));
        expectations.Created("rs", "pod-a");

        clock.Now += TimeSpan.FromSeconds(31);

        expectations.Satisfied("rs", new HashSet<string>()).Should().BeTrue();
    }
}
