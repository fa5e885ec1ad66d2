using Kuroku.Benchmarks.Scale;

namespace Kuroku.Benchmarks.Tests;

/// <summary>
/// The scale benchmark at N=40 (10 apps of each kind), through every phase, against the in-process API
/// server and the operator built beside this repository (operator/bin/&lt;configuration&gt;). A smoke
/// test of the instrument: it converges, every phase reports, the counts agree with each other.
/// </summary>
public sealed class ScaleSmokeTests
{
    [Fact]
    public async Task Forty_apps_go_through_every_phase_and_the_report_has_every_row()
    {
        var (options, errors) = ScaleOptions.Parse(["--apps", "40", "--steady-seconds", "2", "--timeout-seconds", "120"]);
        errors.Should().BeEmpty();
        var progress = new StringWriter();

        var result = await new ScaleRun(options!, progress).RunAsync(CancellationToken.None);

        result.Failure.Should().BeNull(progress.ToString());
        var converge = result.Converge!;
        converge.Converged.Should().BeTrue();
        converge.ConvergedApps.Should().Be(40);
        converge.MissingChildren.Should().Be(0);
        converge.WritesPerAppByKind!.Keys.Should().BeEquivalentTo(["web", "worker", "static", "config"]);

        // The operator's own counter and the API server's log count the same writes.
        converge.Writes.ServerLogTotal.Should().Be(converge.Writes.Total);
        result.Release!.Converged.Should().BeTrue();
        result.Release.StaleDeployments.Should().Be(0);
        result.Release.Writes.ServerLogTotal.Should().Be(result.Release.Writes.Total);
        result.Steady.Should().NotBeNull();
        result.Restart!.CachesSyncedSeconds.Should().BePositive();
        result.Restart.AllReconciledSeconds.Should().NotBeNull();
        result.Restart.CacheSyncSeconds.Should().NotBeNull();

        // The floor writes exactly what the operator created to converge, plus one status update per app.
        var created = converge.Writes.ByVerbAndResource.Where(w => w.Key.StartsWith("create ", StringComparison.Ordinal)).Sum(w => w.Value);
        result.Floor!.Writes.Should().Be(created + 40);
        result.Floor.ConvergeOverFloor.Should().BePositive();

        var markdown = Report.Markdown(result);
        foreach (var row in Report.Rows)
        {
            markdown.Should().Contain($"| {row} | ");
        }

        // Issue 8's write targets hold at any N: a new minimal app costs at most six writes, a converged
        // fleet none, neither at rest nor on a restart. (Time and memory targets belong to the
        // 10,000-app run, not to CI.)
        converge.WritesPerAppByKind["web"].Should().BeLessThanOrEqualTo(Report.MaxWritesPerMinimalApp);
        result.Steady!.Writes.Total.Should().Be(0);
        result.Restart.Writes.Total.Should().Be(0);
    }
}
