using Kuroku.Benchmarks.Scale;

namespace Kuroku.Benchmarks.Tests;

public sealed class ReportTests
{
    private static readonly ResourceUse Use = new(180, 181, 90, 110, 12, 20);

    private static ScaleResult Full(double minimalWrites = 5, long steadyWrites = 0, double convergeSeconds = 100, double floorSeconds = 90, int apps = 10_000, double rss = 180) => new(
        new RunInfo(DateTime.UnixEpoch, apps, new Dictionary<string, int> { ["web"] = apps / 4 }, apps / 100, 2, "256Mi", 0xC000000, "in-process API server",
            "/op.dll", "server", 2, "1.00 1.00 1.00", "2.00 2.00 2.00", 30, 8),
        new ConvergeResult(true, false, apps, 10, convergeSeconds, apps / convergeSeconds, 50, 90, convergeSeconds + 2,
            new PhaseWrites(apps * 6L, 6, new Dictionary<string, long> { ["create deployments"] = apps }, apps / 2, new Dictionary<string, long> { ["create deployments"] = apps / 2 }, apps * 6L),
            new Dictionary<string, double> { ["web"] = minimalWrites, ["worker"] = 7, ["static"] = 9, ["config"] = 6 },
            null, 0, 0, apps, Use with { PeakRssMiB = rss }, [new ListStats("deployments", apps, apps * 4000L, 1, 2.5)]),
        new SteadyResult(30, new PhaseWrites(steadyWrites, null, new Dictionary<string, long>(), 0, new Dictionary<string, long>(), steadyWrites), 0, Use),
        new ReleaseResult(true, false, apps, 5, 60, apps / 60.0, 62, new PhaseWrites(apps * 3L, 3, new Dictionary<string, long> { ["update deployments"] = apps }, 0, new Dictionary<string, long>(), null), 0, Use),
        new RestartResult(0.5, 8, 3, 5, 20, 38, new PhaseWrites(0, null, new Dictionary<string, long>(), 0, new Dictionary<string, long>(), 0), apps, Use),
        new FloorResult(2, apps, floorSeconds, apps * 6L, apps * 6 / floorSeconds, convergeSeconds / floorSeconds, new Dictionary<string, long> { ["create deployments"] = apps }, 150),
        null);

    [Fact]
    public void The_table_has_every_row_with_a_value()
    {
        var markdown = Report.Markdown(Full());

        foreach (var row in Report.Rows)
        {
            markdown.Should().Contain($"| {row} | ");
        }

        markdown.Should().Contain("| writes per minimal app (web only) | 5.00 (target <= 6) |");
        markdown.Should().Contain("| converge / floor (target <= 1.25) | 1.11 |");
        markdown.Should().Contain("| floor: CPU benchmark (client + API server) | 150.0 s |");
        markdown.Should().Contain("| create deployments | 1.00 (0.50) |  |  |  | 1.00 |");
        markdown.Should().Contain("| writes per app | 6.00 (60000, 5000 rejected by the server; server log agrees) |");
        markdown.Should().Contain("| restart: time to caches synced (/readyz) | 8.0 s (start-up 3.0 s, then LISTs to synced 5.0 s, by the operator's log) |");
        markdown.Should().Contain("| deployments | 10000 | 40.0 | 1 | 2.50 |");
        markdown.Should().NotContain("skipped");
    }

    [Fact]
    public void Skipped_phases_keep_their_rows()
    {
        var markdown = Report.Markdown(Full() with { Steady = null, Release = null, Restart = null, Floor = null });

        foreach (var row in Report.Rows)
        {
            markdown.Should().Contain($"| {row} | ");
        }

        markdown.Should().Contain("| steady: writes (target 0) | skipped |");
        markdown.Should().Contain("| converge / floor (target <= 1.25) | skipped |");
    }

    [Fact]
    public void The_targets_of_issue_8_are_judged_from_the_measurements()
    {
        Report.Targets(Full()).Select(t => t.Met).Should().Equal("yes", "yes", "yes", "yes", "yes", "yes");
        Report.Targets(Full(minimalWrites: 10, steadyWrites: 3, convergeSeconds: 200, rss: 300)).Select(t => t.Met)
            .Should().Equal("yes", "no", "no", "yes", "no", "no");
    }

    [Fact]
    public void A_fleet_whose_operator_died_says_so_and_judges_no_writes()
    {
        var full = Full(minimalWrites: 2, rss: 300);
        var died = full with { Converge = full.Converge! with { Converged = false, OperatorDied = true, ConvergedApps = 4736 }, Steady = null, Release = null, Restart = null, Floor = null, Failure = "the operator exited with code 134 after an OutOfMemoryException" };

        Report.Markdown(died).Should().Contain("| converged apps | 4736 / 10000 (the operator died) |")
            .And.Contain("**The run stopped early:** the operator exited with code 134 after an OutOfMemoryException");
        Report.Targets(died).Select(t => t.Met).Should().Equal("no", "n/a", "n/a", "n/a", "no", "n/a");
    }

    [Fact]
    public void Fleet_size_targets_are_not_judged_on_a_smaller_fleet()
    {
        var targets = Report.Targets(Full(apps: 40, rss: 300));

        targets[0].Met.Should().Be("n/a");
        targets[4].Met.Should().Be("n/a");
    }

    [Fact]
    public void The_json_carries_every_phase()
    {
        var json = Report.ToJson(Full());

        json.Should().Contain("\"converge\":").And.Contain("\"steady\":").And.Contain("\"release\":")
            .And.Contain("\"restart\":").And.Contain("\"floor\":").And.Contain("\"convergeOverFloor\":");
    }
}
