using System.Text.RegularExpressions;
using Kuroku.Benchmarks.Scale;

namespace Kuroku.Benchmarks.Tests;

public sealed class ScaleOptionsTests
{
    [Fact]
    public void Defaults_cap_the_heap_as_the_charts_default_memory_limit_does()
    {
        var (options, errors) = ScaleOptions.Parse([]);
        var values = File.ReadAllText(Path.Combine(RepositoryRoot(), "charts", "kuroku", "values.yaml"));
        var chartLimit = Regex.Match(values, @"^resources:\n(?:  .*\n)*?  limits:\n    memory: (\S+)", RegexOptions.Multiline).Groups[1].Value;

        errors.Should().BeEmpty();
        options!.Apps.Should().Be(1000);
        options.Workers.Should().Be(2);
        options.SteadySeconds.Should().Be(30);
        chartLimit.Should().Be("384Mi");
        options.MemoryLimit.Should().Be(chartLimit, "the benchmark measures the operator as the chart runs it");
        options.HeapHardLimitBytes.Should().Be(0x12000000, "75% of 384Mi, as .NET derives it from a container's limit");
        options.EffectiveFloorConcurrency.Should().Be(2);
        options.Runs(Phase.Floor).Should().BeTrue();
    }

    [Fact]
    public void The_operator_runs_with_the_environment_the_image_sets()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "Dockerfile"));
        var finalStage = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var env = Regex.Match(finalStage, @"^ENV ((?:.*\\\n)*.*)$", RegexOptions.Multiline).Groups[1].Value;
        var image = Regex.Matches(env, @"([A-Za-z_][A-Za-z0-9_]*)=(\S+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        image.Should().ContainKey("MALLOC_ARENA_MAX").And.ContainKey("DOTNET_EnableWriteXorExecute");
        image.Remove("TMPDIR");
        OperatorProcess.ImageEnvironment.Should().Equal(image, "the benchmark measures the operator as the image runs it");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_flag_is_read_in_either_form()
    {
        var (options, errors) = ScaleOptions.Parse(
            ["--apps", "40", "--apps-per-namespace=5", "--workers", "4", "--memory-limit", "1Gi", "--skip-phase", "floor", "--skip-phase=Restart",
             "--steady-seconds", "3", "--floor-concurrency", "8", "--writers", "2", "--timeout-seconds", "60", "--out", "r.json", "--operator-log", "op.log"]);

        errors.Should().BeEmpty();
        options!.Apps.Should().Be(40);
        options.AppsPerNamespace.Should().Be(5);
        options.Workers.Should().Be(4);
        options.HeapHardLimitBytes.Should().Be(768L * 1024 * 1024);
        options.Skip.Should().BeEquivalentTo([Phase.Floor, Phase.Restart]);
        options.SteadySeconds.Should().Be(3);
        options.EffectiveFloorConcurrency.Should().Be(8);
        options.Writers.Should().Be(2);
        options.TimeoutSeconds.Should().Be(60);
        options.Out.Should().Be("r.json");
        options.OperatorLog.Should().Be("op.log");
    }

    [Fact]
    public void No_memory_limit_leaves_the_heap_uncapped()
    {
        var (options, _) = ScaleOptions.Parse(["--memory-limit", "none"]);

        options!.HeapHardLimitBytes.Should().BeNull();
        options.MemoryLimit.Should().Be("none");
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_naming_the_flag_and_the_rule()
    {
        var (options, errors) = ScaleOptions.Parse(
            ["--apps", "3", "--workers", "x", "--memory-limit", "lots", "--skip-phase", "converge", "--kubeconfig", "/no/such/file", "--bogus", "--out"]);

        options.Should().BeNull();
        errors.Should().BeEquivalentTo(
        [
            "--apps 3: must be a whole number from 4 to 1000000",
            "--workers x: must be a whole number from 1 to 64",
            "--memory-limit lots: must be a memory quantity of at least 32Mi (e.g. 256Mi, 1Gi, 300M) or none",
            "--skip-phase converge: must be one of steady, release, restart, floor",
            "--kubeconfig /no/such/file: no such file",
            "--bogus: unknown option",
            "--out: needs a value",
        ]);
    }

    [Theory]
    [InlineData("256Mi", 268_435_456L)]
    [InlineData("1Gi", 1_073_741_824L)]
    [InlineData("300M", 300_000_000L)]
    [InlineData("512Ki", 524_288L)]
    [InlineData("1000", 1000L)]
    public void Memory_quantities_read_as_Kubernetes_reads_them(string text, long bytes) =>
        ScaleOptions.ParseQuantity(text).Should().Be(bytes);

    [Theory]
    [InlineData("")]
    [InlineData("Mi")]
    [InlineData("-1Mi")]
    [InlineData("1.5Gi")]
    public void Anything_else_is_no_quantity(string text) =>
        ScaleOptions.ParseQuantity(text).Should().BeNull();
}
