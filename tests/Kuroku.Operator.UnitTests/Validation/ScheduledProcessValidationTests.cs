using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>
/// The rules of scheduled processes (spec.processes.*.schedule and timeZone), each broken alone in the full
/// example (whose process cleanup runs on a schedule): exactly one failure, naming the field.
/// </summary>
public sealed class ScheduledProcessValidationTests
{
    private static readonly WebAppValidator Validator = new();

    public sealed record Case(string Name, Action<WebApp> Break, string Line, string Code)
    {
        public override string ToString() => Name;
    }

    private static ProcessSpec Cleanup(WebApp app) => app.Spec.Processes["cleanup"];

    private const string CronRule = "schedules must be 5 cron fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>";

    public static TheoryData<Case> Cases() =>
    [
        new("minute out of range", app => Cleanup(app).Schedule = "61 3 * * *",
            $"spec.processes.cleanup.schedule: {CronRule}: minute field \"61\": 61 is above the maximum 59", "Schedule"),
        new("four fields", app => Cleanup(app).Schedule = "3 * * *",
            $"spec.processes.cleanup.schedule: {CronRule}: expected exactly 5 fields, found 4: \"3 * * *\"", "Schedule"),
        new("unknown descriptor", app => Cleanup(app).Schedule = "@often",
            $"spec.processes.cleanup.schedule: {CronRule}: unknown descriptor \"@often\" (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)", "Schedule"),
        new("time zone in the schedule", app => { Cleanup(app).Schedule = "CRON_TZ=Europe/Paris 30 3 * * *"; Cleanup(app).TimeZone = null; },
            "spec.processes.cleanup.schedule: schedules must not contain TZ= or CRON_TZ=; set timeZone instead", "ScheduleTimeZonePrefix"),
        new("unknown time zone", app => Cleanup(app).TimeZone = "Europe/Pariss",
            "spec.processes.cleanup.timeZone: timeZone must be an IANA time zone name such as Europe/Paris or UTC", "TimeZone"),
        new("the local time zone", app => Cleanup(app).TimeZone = "Local",
            "spec.processes.cleanup.timeZone: timeZone must be an IANA time zone name such as Europe/Paris or UTC", "TimeZone"),
        new("time zone without a schedule", app => app.Spec.Processes["worker"].TimeZone = "UTC",
            "spec.processes.worker.timeZone: timeZone is only allowed with a schedule", "TimeZoneWithoutSchedule"),
        new("a scheduled web process", app => { app.Spec.Processes["web"].Schedule = "@hourly"; app.Spec.Processes["web"].Autoscaling = null; },
            "spec.processes.web.schedule: the web process receives HTTP and cannot have a schedule", "ScheduleOnWeb"),
        new("two replicas of a scheduled process", app => Cleanup(app).Replicas = 2,
            "spec.processes.cleanup.replicas: a scheduled process runs once per schedule: replicas must be 0 (suspended) or 1", "ScheduledReplicas"),
        new("an autoscaled scheduled process", app => Cleanup(app).Autoscaling = new AutoscalingSpec { MaxReplicas = 3 },
            "spec.processes.cleanup.autoscaling: a scheduled process cannot autoscale", "ScheduleWithAutoscaling"),
        new("<app>-<process> of 53 characters for a CronJob", app =>
            {
                app.Spec.Processes[new string('c', 48)] = Cleanup(app);
                app.Spec.Processes.Remove("cleanup");
            },
            $"spec.processes.{new string('c', 48)}: scheduled process names must be short enough that <app>-<process> is at most 52 characters (its Jobs add 11)",
            "ScheduledProcessNameLength"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gives_exactly_the_rule_broken(Case @case)
    {
        var app = WebAppExamples.Full();
        @case.Break(app);

        var result = Validator.Validate(app);

        result.ToFieldErrors().Should().Equal(@case.Line);
        result.Errors.Single().ErrorCode.Should().Be(@case.Code);
    }

    [Fact]
    public void Every_code_is_a_published_rule_and_its_message_starts_the_line()
    {
        var rules = typeof(WebAppRules).GetFields().Select(field => (FieldRule)field.GetValue(null)!).ToDictionary(rule => rule.Code);

        foreach (var @case in ((IEnumerable<object[]>)Cases()).Select(row => (Case)row[0]))
        {
            rules.Should().ContainKey(@case.Code);
            @case.Line.Should().Contain(": " + rules[@case.Code].Message, because: @case.Name);
        }
    }

    [Theory]
    [InlineData("*/10 * * * *", null, 1)]
    [InlineData("@daily", "UTC", 0)]
    [InlineData("0 9-17 * * MON-FRI", "America/New_York", null)]
    public void A_scheduled_process_with_a_valid_schedule_passes(string schedule, string? timeZone, int? replicas)
    {
        var app = WebAppExamples.Full();
        app.Spec.Processes["report"] = new ProcessSpec { Command = ["report"], Schedule = schedule, TimeZone = timeZone, Replicas = replicas };

        Validator.Validate(app).ToFieldErrors().Should().BeEmpty();
    }
}
