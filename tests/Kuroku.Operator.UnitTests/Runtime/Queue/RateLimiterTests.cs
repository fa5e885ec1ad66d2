using Kuroku.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Kuroku.Operator.UnitTests.Runtime.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Exponential_backoff_doubles_from_5ms_and_caps_at_1000s()
    {
        var limiter = new ItemExponentialFailureRateLimiter(RateLimiters.DefaultBaseDelay, RateLimiters.DefaultMaxDelay);

        var delays = Enumerable.Range(0, 20).Select(_ => limiter.When("ns/a").TotalMilliseconds).ToList();

        delays.Take(6).Should().Equal(5, 10, 20, 40, 80, 160);
        delays[17].Should().Be(655_360);
        delays[18].Should().Be(1_000_000);
        delays[19].Should().Be(1_000_000);
        limiter.NumRequeues("ns/a").Should().Be(20);
    }

    [Fact]
    public void Exponential_backoff_is_per_item_and_forget_resets_it()
    {
        var limiter = new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("ns/a");
        limiter.When("ns/a");

        limiter.When("ns/b").Should().Be(TimeSpan.FromMilliseconds(5));

        limiter.Forget("ns/a");
        limiter.When("ns/a").Should().Be(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Exponential_backoff_never_overflows()
    {
        ItemExponentialFailureRateLimiter.Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), 1000)
            .Should().Be(TimeSpan.FromSeconds(1000));
    }

    [Fact]
    public void Token_bucket_allows_the_burst_then_paces_at_qps()
    {
        var time = new FakeTimeProvider();
        var bucket = new BucketRateLimiter(10, 100, time);

        var burst = Enumerable.Range(0, 100).Select(i => bucket.When($"ns/{i}")).ToList();

        burst.Should().AllSatisfy(d => d.Should().Be(TimeSpan.Zero));
        bucket.When("ns/x").Should().Be(TimeSpan.FromMilliseconds(100));
        bucket.When("ns/y").Should().Be(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Token_bucket_refills_with_time_up_to_the_burst()
    {
        var time = new FakeTimeProvider();
        var bucket = new BucketRateLimiter(10, 100, time);
        for (var i = 0; i < 101; i++)
        {
            bucket.When("k");
        }

        time.Advance(TimeSpan.FromSeconds(1));
        // 1 s at 10 qps refills 10 tokens; one was owed.
        Enumerable.Range(0, 9).Select(_ => bucket.When("k")).ToList().Should().AllSatisfy(d => d.Should().Be(TimeSpan.Zero));
        bucket.When("k").Should().Be(TimeSpan.FromMilliseconds(100));

        time.Advance(TimeSpan.FromHours(1));
        Enumerable.Range(0, 100).Select(_ => bucket.When("k")).ToList().Should().AllSatisfy(d => d.Should().Be(TimeSpan.Zero));
        bucket.When("k").Should().BeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public void Default_controller_limiter_takes_the_larger_of_backoff_and_bucket()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.DefaultController(time);

        limiter.When("ns/a").Should().Be(TimeSpan.FromMilliseconds(5));
        limiter.When("ns/a").Should().Be(TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < 98; i++)
        {
            limiter.When($"ns/other-{i}");
        }

        // The bucket is empty now: a fresh item waits for a token, longer than its 5 ms backoff.
        limiter.When("ns/fresh").Should().Be(TimeSpan.FromMilliseconds(100));
        limiter.NumRequeues("ns/a").Should().Be(2);
        limiter.Forget("ns/a");
        limiter.NumRequeues("ns/a").Should().Be(0);
    }
}
