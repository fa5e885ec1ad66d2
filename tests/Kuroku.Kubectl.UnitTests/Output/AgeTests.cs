using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.UnitTests.Output;

public sealed class AgeTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-0.5, "0s")]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(200, "3m20s")]
    [InlineData(11 * 60 + 5, "11m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(5 * 3600, "5h")]
    [InlineData(30 * 3600 + 59 * 60, "30h")]
    [InlineData(3 * 86400 + 2 * 3600, "3d2h")]
    [InlineData(4 * 86400, "4d")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(3 * 365 * 86400 + 10 * 86400, "3y10d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Prints_ages_as_kubectl_does(double seconds, string expected) =>
        Age.Human(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [Fact]
    public void Measures_from_the_injected_clock_and_knows_no_date_as_unknown()
    {
        var now = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);

        Age.Of(new DateTime(2025, 1, 1, 23, 59, 0, DateTimeKind.Utc), now).Should().Be("60s");
        Age.Of(null, now).Should().Be("<unknown>");
    }
}
