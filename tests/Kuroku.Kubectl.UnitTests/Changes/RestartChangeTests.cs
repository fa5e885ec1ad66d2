using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class RestartChangeTests
{
    private static WebApp WithCleanup()
    {
        var app = Apps.Shop();
        app.Spec.Processes["cleanup"] = new ProcessSpec { Command = ["cleanup"], Schedule = "0 3 * * *" };
        return app;
    }

    [Fact]
    public void One_process_gets_restartedAt_now_to_the_second_in_one_merge_patch()
    {
        var change = RestartChange.Plan(Apps.Shop(), "worker", Apps.Now.AddMilliseconds(750));

        change.Patch.Should().Be(new WebAppPatch(PatchKind.Merge, """{"spec":{"processes":{"worker":{"restartedAt":"2025-06-01T12:00:00Z"}}}}"""));
        change.Summary.Should().Be("Restarting worker of shop");
        change.Outcome.Should().Be("its pods roll one by one; no new release");
    }

    [Fact]
    public void Without_a_process_every_process_that_runs_all_the_time_restarts_and_scheduled_ones_are_left_out()
    {
        var change = RestartChange.Plan(WithCleanup(), null, Apps.Now);

        change.Patch.Should().Be(new WebAppPatch(PatchKind.Merge,
            """{"spec":{"processes":{"web":{"restartedAt":"2025-06-01T12:00:00Z"},"worker":{"restartedAt":"2025-06-01T12:00:00Z"}}}}"""));
        change.Outcome.Should().Contain("web with zero downtime");
    }

    [Fact]
    public void A_second_restart_within_the_same_second_still_changes_the_value()
    {
        var app = Apps.Shop();
        app.Spec.Processes["worker"].RestartedAt = Apps.Now.UtcDateTime;

        var change = RestartChange.Plan(app, "worker", Apps.Now.AddMilliseconds(400));

        change.Patch!.Body.Should().Contain("\"restartedAt\":\"2025-06-01T12:00:01Z\"");
    }

    [Fact]
    public void An_unknown_process_is_refused_naming_the_processes_there_are()
    {
        var plan = () => RestartChange.Plan(Apps.Shop(), "clock", Apps.Now);

        plan.Should().Throw<CommandException>().WithMessage("shop has no process \"clock\"; its processes: web, worker");
    }

    [Fact]
    public void A_scheduled_process_has_nothing_running_to_restart()
    {
        var plan = () => RestartChange.Plan(WithCleanup(), "cleanup", Apps.Now);

        plan.Should().Throw<CommandException>().WithMessage("cleanup is a scheduled process of shop (spec.processes.cleanup.schedule: 0 3 * * *)*");
    }
}
