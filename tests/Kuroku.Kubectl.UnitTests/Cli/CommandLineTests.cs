using Kuroku.Kubectl.Cli;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.UnitTests.Cli;

public sealed class CommandLineTests
{
    public static TheoryData<string[], string, string, string[], string?, string?, string?> Lines => new()
    {
        { ["releases", "shop"], "releases", "shop", [], null, null, null },
        { ["scale", "shop", "web=3", "worker=0"], "scale", "shop", ["web=3", "worker=0"], null, null, null },
        { ["ps:scale", "-n", "prod", "shop", "web=3"], "scale", "shop", ["web=3"], "prod", null, null },
        { ["config:set", "shop", "A=1", "--namespace=prod", "--context", "kind", "--kubeconfig", "/k"], "config:set", "shop", ["A=1"], "prod", "kind", "/k" },
        { ["-nprod", "rollback", "shop", "v6"], "rollback", "shop", ["v6"], "prod", null, null },
        { ["config", "-a", "shop"], "config", "shop", [], null, null, null },
        { ["config:set", "shop", "--", "--WEIRD=1"], "config:set", "shop", ["--WEIRD=1"], null, null, null },
        { ["maintenance:on", "shop"], "maintenance:on", "shop", [], null, null, null },
        { ["config:unset", "shop", "A", "B"], "config:unset", "shop", ["A", "B"], null, null, null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Parses_command_app_arguments_and_global_flags_anywhere(
        string[] args, string command, string app, string[] arguments, string? ns, string? context, string? kubeconfig)
    {
        var invocation = CommandLine.Parse(args);

        invocation.Help.Should().BeFalse();
        invocation.Command!.Name.Should().Be(command);
        invocation.App.Should().Be(app);
        invocation.Arguments.Should().Equal(arguments);
        invocation.Options.Should().Be(new GlobalOptions(kubeconfig, context, ns));
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "-h" }, null)]
    [InlineData(new[] { "help" }, null)]
    [InlineData(new[] { "help", "scale" }, "scale")]
    [InlineData(new[] { "scale", "--help" }, "scale")]
    [InlineData(new[] { "config:set", "shop", "-h" }, "config:set")]
    public void Help_needs_no_app_and_names_the_command(string[] args, string? command)
    {
        var invocation = CommandLine.Parse(args);

        invocation.Help.Should().BeTrue();
        invocation.Command?.Name.Should().Be(command);
        if (command is null)
        {
            invocation.Command.Should().BeNull();
        }
    }

    [Theory]
    [InlineData(new[] { "deploy", "shop" }, "unknown command \"deploy\"")]
    [InlineData(new[] { "ps" }, "ps needs the name of a WebApp")]
    [InlineData(new[] { "scale", "shop" }, "scale needs at least one PROCESS=N")]
    [InlineData(new[] { "rollback", "shop" }, "rollback needs the release to roll back to")]
    [InlineData(new[] { "rollback", "shop", "v1", "v2" }, "rollback takes at most 1 argument(s) after the app, got: v1 v2")]
    [InlineData(new[] { "ps", "shop", "web" }, "ps takes no arguments after the app, got: web")]
    [InlineData(new[] { "ps", "shop", "--output", "json" }, "unknown flag: --output")]
    [InlineData(new[] { "ps", "shop", "-n" }, "flag -n needs a value")]
    [InlineData(new[] { "ps", "shop", "--namespace=" }, "flag --namespace needs a value")]
    [InlineData(new[] { "-h=aas" }, "flag -h takes no value, got \"-h=aas\"")]
    [InlineData(new[] { "ps", "shop", "--help=yes" }, "flag --help takes no value, got \"--help=yes\"")]
    public void Refuses_lines_that_make_no_sense(string[] args, string message)
    {
        var parse = () => CommandLine.Parse(args);

        parse.Should().Throw<UsageException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Every_command_has_help_with_its_usage()
    {
        foreach (var command in CommandCatalog.All)
        {
            CommandCatalog.Help(command).Should().Contain(command.Usage).And.Contain("--namespace");
            CommandCatalog.Overview().Should().Contain(command.Name);
        }
    }

    [Theory]
    [InlineData(new[] { "ps", "shop", "-n", "" }, "flag -n needs a value")]
    [InlineData(new[] { "-n" }, "flag -n needs a value")]
    [InlineData(new[] { "ps", "--namespace=", "shop" }, "flag --namespace needs a value")]
    [InlineData(new[] { "ps", "-n", "--context", "kind", "shop" }, "flag -n needs a value")]
    [InlineData(new[] { "x", "ps", "shop" }, "unknown command \"x\"")]
    [InlineData(new[] { "--output=json", "ps", "shop" }, "unknown flag: --output")]
    [InlineData(new[] { "ps", "shop", "-xvalue" }, "unknown flag: -x")]
    [InlineData(new[] { "help", "deploy" }, "unknown command \"deploy\"")]
    [InlineData(new[] { "ps\n", "shop" }, "unknown command \"ps\\n\"")]
    [InlineData(new[] { "config:unset", "", "A" }, "config:unset needs the name of a WebApp")]
    public void Refuses_what_the_old_parser_refused_and_what_it_let_through(string[] args, string message)
    {
        var parse = () => CommandLine.Parse(args);

        parse.Should().Throw<UsageException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void The_last_of_a_repeated_flag_wins_and_at_signs_are_plain_arguments()
    {
        var invocation = CommandLine.Parse(["config:set", "@shop", "A=@file", "-n", "dev", "--namespace=prod"]);

        invocation.App.Should().Be("@shop");
        invocation.Arguments.Should().Equal("A=@file");
        invocation.Options.Namespace.Should().Be("prod");
    }

    [Fact]
    public void A_command_declares_its_own_flags_once_and_help_lists_them()
    {
        var tail = CommandLineSyntax.ValueOption("--tail", "N", "show the last N lines");
        var follow = CommandLineSyntax.Switch("--follow", "keep streaming", "-f");
        var feed = new CommandInfo("feed", "kubectl kuroku feed APP [--tail N] [-f]", "Show a feed of an app", "Reads the feed.")
        {
            Options = [tail, follow],
            RunAsync = (_, _) => Task.CompletedTask,
        };
        IReadOnlyList<CommandInfo> commands = [.. CommandCatalog.All, feed];

        var invocation = CommandLine.Parse(["feed", "shop", "--tail", "10", "-f", "-n", "prod"], commands);
        var plain = CommandLine.Parse(["feed", "shop"], commands);
        var missing = () => CommandLine.Parse(["feed", "shop", "--tail"], commands);
        var elsewhere = () => CommandLine.Parse(["ps", "shop", "--tail", "10"], commands);

        invocation.Command.Should().Be(feed);
        invocation.Value(tail).Should().Be("10");
        invocation.Has(follow).Should().BeTrue();
        invocation.Options.Namespace.Should().Be("prod");
        plain.Value(tail).Should().BeNull();
        plain.Has(follow).Should().BeFalse();
        missing.Should().Throw<UsageException>().WithMessage("flag --tail needs a value");
        elsewhere.Should().Throw<UsageException>().WithMessage("unknown flag: --tail");
        CommandCatalog.Help(feed).Should().Contain("Flags of feed:\n      --tail N  show the last N lines\n  -f, --follow  keep streaming\n");
    }
}
