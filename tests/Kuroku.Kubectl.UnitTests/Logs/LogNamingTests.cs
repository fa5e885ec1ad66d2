using Kuroku.Kubectl.Logs;
using Kuroku.Kubectl.UnitTests.TestSupport;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.Logs;

public sealed class LogNamingTests
{
    private static readonly DateTime T0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string name, int secondsAfter, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = T0.AddSeconds(secondsAfter),
            Labels = labels.ToDictionary(l => l.Key, l => l.Value),
        },
    };

    [Fact]
    public void Pods_are_named_like_dynos_numbered_by_age_within_their_process_and_a_gone_number_is_taken_again()
    {
        var sources = new LogSources();
        var webB = Pod("shop-web-b", 5, ("app.kubernetes.io/component", "web"));
        var webA = Pod("shop-web-a", 1, ("app.kubernetes.io/component", "web"));
        var worker = Pod("shop-worker-x", 3, ("app.kubernetes.io/component", "worker"));
        var run = Pod("shop-run-4", 9, ("app.kubernetes.io/component", "run"), ("kuroku.dev/run", "4"));
        var release = Pod("shop-release-v7-abc", 0, ("app.kubernetes.io/component", "release"), ("kuroku.dev/release", "7"));

        sources.Name([webB, webA, worker, run, release]);
        sources.Forget("shop-web-a");
        var next = sources.NameOf(Pod("shop-web-c", 20, ("app.kubernetes.io/component", "web")));

        sources.NameOf(webB).Should().Be("web.2");
        sources.NameOf(worker).Should().Be("worker.1");
        sources.NameOf(run).Should().Be("run.4");
        sources.NameOf(release).Should().Be("release.v7");
        next.Should().Be("web.1", "web.1 went, and its number is free again");
        LogSources.ProcessOf(run).Should().Be("run");
        LogSources.ProcessOf(release).Should().Be("release");
    }

    [Fact]
    public void Lines_are_parsed_from_the_servers_stamps_and_printed_the_heroku_way()
    {
        var (at, text) = LogLines.Parse("2026-05-01T12:00:03.123456Z Listening at: http://0.0.0.0:5000 (7)");

        at.Should().Be(new DateTimeOffset(T0.AddSeconds(3).AddTicks(1234560)));
        text.Should().Be("Listening at: http://0.0.0.0:5000 (7)");
        LogLines.Format(new LogLine(at, "web.1", text)).Should().Be("2026-05-01T12:00:03.123456+00:00 app[web.1]: Listening at: http://0.0.0.0:5000 (7)");
        LogLines.Parse("no stamp here").Should().Be((DateTimeOffset.MinValue, "no stamp here"));
    }

    [Fact]
    public void Sources_are_merged_by_time_and_the_tail_is_taken_of_all_of_them()
    {
        LogLine L(int second, string source) => new(new DateTimeOffset(T0.AddSeconds(second)), source, $"{source} at {second}");

        var merged = LogLines.Merge([[L(1, "web.1"), L(4, "web.1")], [L(2, "worker.1"), L(3, "worker.1")], []], tail: 3);

        merged.Select(l => l.Text).Should().Equal("worker.1 at 2", "worker.1 at 3", "web.1 at 4");
        LogLines.Merge([[L(1, "web.1")]], tail: null).Should().HaveCount(1);
    }

    [Theory]
    [InlineData(null, 100L)]
    [InlineData("0", 0L)]
    [InlineData("25", 25L)]
    [InlineData("-1", null)]
    public void Tail_is_a_count_of_lines_or_minus_one_for_all(string? value, long? expected) =>
        AppLogs.ParseTail(value).Should().Be(expected);

    [Theory]
    [InlineData("-2")]
    [InlineData("ten")]
    public void A_bad_tail_is_refused_naming_the_flag(string value)
    {
        var parse = () => AppLogs.ParseTail(value);

        parse.Should().Throw<CommandException>().WithMessage($"\"{value}\" is not a number of lines for --tail (0 or more, or -1 for all)");
    }

    [Theory]
    [InlineData("web", "web", null)]
    [InlineData("web.2", "web", "web.2")]
    [InlineData("run.3", "run", "run.3")]
    [InlineData("release.v7", "release", "release.v7")]
    public void A_process_or_one_source_is_kept(string value, string process, string? source) =>
        LogFilter.Parse(Apps.Shop(), value).Should().Be(new LogFilter(process, source));

    [Fact]
    public void An_unknown_process_or_a_malformed_source_is_refused()
    {
        var unknown = () => LogFilter.Parse(Apps.Shop(), "clock");
        var malformed = () => LogFilter.Parse(Apps.Shop(), "web.x");

        unknown.Should().Throw<CommandException>().WithMessage("shop has no process \"clock\" (-p); its processes: web, worker, and run (one-off processes)*");
        malformed.Should().Throw<CommandException>().WithMessage("\"web.x\" (-p) is neither a process nor a source such as web.1");
    }
}
