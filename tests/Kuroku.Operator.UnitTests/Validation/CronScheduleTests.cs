using Kuroku.Api.Validation;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>Cron schedules as a CronJob takes them (robfig/cron's standard parser, as kube-apiserver validates them).</summary>
public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("*/10 * * * *")]
    [InlineData("0 3 * * *")]
    [InlineData("30 3 * * 1-5")]
    [InlineData("0 0 1 1 *")]
    [InlineData("0,15,30,45 * * * *")]
    [InlineData("5/15 * * * *")]
    [InlineData("0 9-17/2 * * MON-FRI")]
    [InlineData("0 0 * JAN,jul ?")]
    [InlineData("59 23 31 12 6")]
    [InlineData("  0   3 * * *  ")]
    [InlineData("*/61 * * * *")] // a step wider than the range keeps only its start, as the CronJob controller reads it
    [InlineData("@hourly")]
    [InlineData("@daily")]
    [InlineData("@midnight")]
    [InlineData("@weekly")]
    [InlineData("@monthly")]
    [InlineData("@yearly")]
    [InlineData("@annually")]
    [InlineData("@every 90s")]
    [InlineData("@every 1h30m")]
    [InlineData("@every 1.5h")]
    public void Accepts_what_a_cronjob_accepts(string schedule)
    {
        CronSchedule.Problem(schedule).Should().BeNull();
        CronSchedule.IsValid(schedule).Should().BeTrue();
    }

    [Theory]
    [InlineData("", "the schedule is empty")]
    [InlineData("   ", "the schedule is empty")]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: \"* * * *\"")]
    [InlineData("0 0 * * * *", "expected exactly 5 fields, found 6: \"0 0 * * * *\"")]
    [InlineData("every ten minutes", "expected exactly 5 fields, found 3: \"every ten minutes\"")]
    [InlineData("60 * * * *", "minute field \"60\": 60 is above the maximum 59")]
    [InlineData("* 24 * * *", "hour field \"24\": 24 is above the maximum 23")]
    [InlineData("* * 0 * *", "day-of-month field \"0\": 0 is below the minimum 1")]
    [InlineData("* * 32 * *", "day-of-month field \"32\": 32 is above the maximum 31")]
    [InlineData("* * * 13 *", "month field \"13\": 13 is above the maximum 12")]
    [InlineData("* * * * 7", "day-of-week field \"7\": 7 is above the maximum 6")]
    [InlineData("5-3 * * * *", "minute field \"5-3\": the range starts at 5, after its end 3")]
    [InlineData("*/0 * * * *", "minute field \"*/0\": the step must be a positive number")]
    [InlineData("*/x * * * *", "minute field \"*/x\": the step \"x\" is not a number")]
    [InlineData("1/2/3 * * * *", "minute field \"1/2/3\": too many slashes")]
    [InlineData("1-2-3 * * * *", "minute field \"1-2-3\": too many hyphens")]
    [InlineData("1,,2 * * * *", "minute field \"1,,2\": \"\" is not a number")]
    [InlineData("-1 * * * *", "minute field \"-1\": \"\" is not a number")]
    [InlineData("* * * FOO *", "month field \"FOO\": \"FOO\" is not a number or a name (JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC)")]
    [InlineData("* * * * funday", "day-of-week field \"funday\": \"funday\" is not a number or a name (SUN, MON, TUE, WED, THU, FRI, SAT)")]
    [InlineData("CRON_TZ=UTC 0 3 * * *", "TZ= and CRON_TZ= are not allowed; set timeZone instead")]
    [InlineData("TZ=Europe/Paris @daily", "TZ= and CRON_TZ= are not allowed; set timeZone instead")]
    [InlineData("@fortnightly", "unknown descriptor \"@fortnightly\" (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)")]
    [InlineData("@every", "unknown descriptor \"@every\" (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)")]
    [InlineData("@every ten minutes", "\"ten minutes\" is not a duration such as 90s, 15m or 1h30m")]
    [InlineData("@every 10", "\"10\" is not a duration such as 90s, 15m or 1h30m")]
    [InlineData("@every 5d", "\"5d\" is not a duration such as 90s, 15m or 1h30m")]
    public void Refuses_what_a_cronjob_refuses_and_says_why(string schedule, string problem)
    {
        CronSchedule.Problem(schedule).Should().Be(problem);
        CronSchedule.IsValid(schedule).Should().BeFalse();
    }

    [Theory]
    [InlineData("Europe/Paris", true)]
    [InlineData("UTC", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("Etc/GMT+5", true)]
    [InlineData("US/Pacific", true)] // a link (backward name) kube-apiserver's time zone database knows
    [InlineData("Local", false)]
    [InlineData("local", false)]
    [InlineData("Europe/Pariss", false)]
    [InlineData("europe/paris", false)]
    [InlineData("Europe//Paris", false)]
    [InlineData("../etc/passwd", false)]
    [InlineData("-Europe/Paris", false)]
    [InlineData("Europe/Paris ", false)]
    [InlineData("", false)]
    public void Time_zones_are_names_of_the_iana_database(string name, bool valid) =>
        TimeZones.IsValid(name).Should().Be(valid);

    [Fact]
    public void The_embedded_time_zone_names_are_what_the_machine_knows()
    {
        TimeZones.All.Should().HaveCountGreaterThan(500).And.OnlyHaveUniqueItems();
        var system = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal)).ToList();
        if (system.Count > 100)
        {
            // Where the machine has a time zone database, the embedded names that are canonical on it resolve.
            TimeZones.All.Where(system.Contains).Should().HaveCountGreaterThan(300);
            TimeZones.All.Take(50).Should().AllSatisfy(name =>
                TimeZoneInfo.TryFindSystemTimeZoneById(name, out _).Should().BeTrue(name));
        }
    }
}
