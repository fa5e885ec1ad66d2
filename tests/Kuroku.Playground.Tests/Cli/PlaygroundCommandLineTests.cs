namespace Kuroku.Playground.Tests.Cli;

public sealed class PlaygroundCommandLineTests
{
    [Fact]
    public void No_argument_gives_the_defaults()
    {
        var parsed = PlaygroundCommandLine.Parse([]);

        parsed.Errors.Should().BeEmpty();
        var options = parsed.Options!;
        options.Port.Should().Be(PlaygroundOptions.DefaultPort);
        options.Kubeconfig.Should().EndWith(Path.Combine(".kube", "kuroku-playground.yaml"));
        options.Simulation.PodStartDelay.Should().Be(TimeSpan.FromSeconds(1));
        options.Simulation.JobRunTime.Should().Be(TimeSpan.FromSeconds(3));
        options.Verbose.Should().BeFalse();
    }

    [Fact]
    public void Every_flag_sets_its_option_and_the_last_occurrence_wins()
    {
        var parsed = PlaygroundCommandLine.Parse(["--port", "1", "--port=0", "--kubeconfig", "/tmp/k", "--pod-start-delay", "0.25",
            "--job-run-time=0", "--operator-port", "9090", "--verbose"]);

        parsed.Errors.Should().BeEmpty();
        var options = parsed.Options!;
        (options.Port, options.Kubeconfig, options.OperatorPort, options.Verbose).Should().Be((0, "/tmp/k", 9090, true));
        options.Simulation.PodStartDelay.Should().Be(TimeSpan.FromMilliseconds(250));
        options.Simulation.JobRunTime.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Every_bad_argument_is_reported_at_once_naming_the_flag_and_the_rule()
    {
        var parsed = PlaygroundCommandLine.Parse(["--port", "70000", "--pod-start-delay", "-1", "--kubeconfig", "--job-run-time", "x", "extra"]);

        parsed.Options.Should().BeNull();
        parsed.Errors.Should().BeEquivalentTo(
            "extra: unknown argument",
            "--kubeconfig: a value is required",
            "--port: \"70000\" must be a port number from 0 to 65535 (0 picks a free one)",
            "--pod-start-delay: \"-1\" must be a number of seconds from 0 to 3600 (0.5 is half a second)",
            "--job-run-time: \"x\" must be a number of seconds from 0 to 3600 (0.5 is half a second)");
    }

    [Fact]
    public void Help_lists_every_option()
    {
        PlaygroundCommandLine.Parse(["-h"]).Help.Should().BeTrue();

        PlaygroundCommandLine.HelpText().Should().Contain("--port").And.Contain("--kubeconfig").And.Contain("--pod-start-delay")
            .And.Contain("--job-run-time").And.Contain("--operator-port").And.Contain("--verbose");
    }
}
