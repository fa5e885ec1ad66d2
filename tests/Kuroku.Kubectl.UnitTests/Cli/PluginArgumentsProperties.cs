using CsCheck;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.UnitTests.TestSupport;
using Kuroku.Runtime.Cli;

namespace Kuroku.Kubectl.UnitTests.Cli;

/// <summary>
/// Generated `kubectl kuroku ...` lines against an in-memory cluster (CsCheck: a failure prints the seed;
/// replay it with CsCheck_Seed=SEED dotnet test --filter PluginArgumentsProperties). Nothing escapes as an
/// exception, the exit code is 0, 1 or 2, a usage error touches no cluster and names what it refuses.
/// </summary>
public sealed class PluginArgumentsProperties
{
    private static readonly Gen<string> Word = Gen.Frequency(
        (4, Gen.OneOf([.. CommandCatalog.All.SelectMany(c => c.Aliases.Prepend(c.Name)), "help", "frobnicate"])),
        (4, Gen.OneOf("shop", "nope", "shop", "web=3", "worker=0", "web=2:standard-2x", "web=-1", "A=1", "FOO=", "=x", "v6", "v0", "6", "-5", "DEBUG")),
        (3, Gen.OneOf("-n", "--namespace", "-nshop", "--namespace=shop", "--namespace=", "-n=", "-a", "--app", "--app=shop", "--context", "--kubeconfig", "-h", "--help")),
        (2, Gen.OneOf("--output", "-x", "--", "-", "@x", "[x]", "\0", "\n", "", "--help=", "-ha")),
        (2, Gen.String[Gen.Char["-=:@[]anshop0v\n"], 0, 6]));

    private static readonly Gen<string[]> Lines = Word.Array[0, 7];

    [Fact]
    public void Parsing_either_gives_an_invocation_or_refuses_the_line()
    {
        Lines.Sample(args =>
        {
            try
            {
                var invocation = CommandLine.Parse(args);
                if (!invocation.Help)
                {
                    invocation.Command.Should().NotBeNull();
                    invocation.App.Should().NotBeNullOrEmpty();
                    invocation.Arguments.Count.Should().BeInRange(invocation.Command!.MinArguments, invocation.Command.MaxArguments);
                }
            }
            catch (UsageException e)
            {
                e.Message.Should().NotBeNullOrEmpty();
            }
        }, iter: 1000);
    }

    [Fact]
    public void No_line_escapes_as_an_exception_and_a_usage_error_touches_no_cluster()
    {
        Lines.Sample(args =>
        {
            var cluster = new FakeCluster();
            cluster.Apps[("shop", "shop")] = Apps.Shop();
            var connected = false;
            using var stdout = new StringWriter { NewLine = "\n" };
            using var stderr = new StringWriter { NewLine = "\n" };

            var code = Plugin.RunAsync(args, stdout, stderr, _ =>
            {
                connected = true;
                return cluster;
            }, new FixedClock(Apps.Now), CancellationToken.None).GetAwaiter().GetResult();

            code.Should().BeOneOf(Plugin.Ok, Plugin.Failed, Plugin.BadUsage);
            var errors = stderr.ToString();
            errors.Should().NotContain("   at ", "no stack trace").And.NotContain("Exception)", "no unexpected exception");
            switch (code)
            {
                case Plugin.Ok:
                    errors.Should().BeEmpty();
                    break;
                case Plugin.Failed:
                    connected.Should().BeTrue();
                    errors.Should().StartWith("error");
                    break;
                case Plugin.BadUsage:
                    connected.Should().BeFalse();
                    errors.Should().StartWith("error: ").And.EndWith("Run \"kubectl kuroku --help\" for the commands and flags.\n");
                    var message = errors.Split('\n')[0];
                    NamesWhatItRefuses(message, args).Should().BeTrue($"\"{message}\" names a word of {string.Join(' ', args)}");
                    break;
            }
        }, iter: 1000);
    }

    private static bool NamesWhatItRefuses(string message, string[] args) =>
        args.Select(CommandLineSyntax.Printable).Any(a =>
            (a.Length > 0 && message.Contains(a, StringComparison.Ordinal))
            || message.Contains($"\"{a}\"", StringComparison.Ordinal)
            || (a.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq && message.Contains(a[..eq], StringComparison.Ordinal))
            || (a.Length > 2 && a[0] == '-' && message.Contains(a[..2], StringComparison.Ordinal))
            || (CommandCatalog.Find(a) is { } command && message.StartsWith("error: " + command.Name + " ", StringComparison.Ordinal)));
}
