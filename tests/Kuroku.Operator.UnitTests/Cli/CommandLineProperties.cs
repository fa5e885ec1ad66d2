using CsCheck;
using Kuroku.Operator.Cli;
using Kuroku.Runtime.Cli;

namespace Kuroku.Operator.UnitTests.Cli;

/// <summary>
/// Generated `kuroku render|crds|help ...` lines (CsCheck: a failure prints the seed; replay it with
/// CsCheck_Seed=SEED dotnet test --filter CommandLineProperties). Nothing escapes as an exception, the exit
/// code is 0, 1 (refused input) or 2 (usage), and a usage error names what it refuses. (`run` lines are
/// generated in OptionsParserProperties: run with a valid line would start the operator.)
/// </summary>
public sealed class CommandLineProperties : IDisposable
{
    private const string Valid = """
        apiVersion: kuroku.dev/v1alpha1
        kind: WebApp
        metadata:
          name: hello
        spec:
          image: ghcr.io/acme/hello:1.0.0
          processes:
            web: {}
        """;

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kuroku-cli-");
    private readonly string file;

    public CommandLineProperties()
    {
        file = Path.Combine(directory.FullName, "app.yaml");
        File.WriteAllText(file, Valid);
    }

    public void Dispose() => directory.Delete(recursive: true);

    private Gen<string> Word => Gen.Frequency(
        (4, Gen.OneOf("-f", "--filename", "--default-domain", "--nginx-image", "-h", "--help")),
        (2, Gen.OneOf("-f=", "--filename=-", "--default-domain=", "--nginx-image:nginx:1", "-f-", "--default-domain=apps.example.com")),
        (4, Gen.OneOf("-", file, Path.Combine(directory.FullName, "missing.yaml"), directory.FullName, "")),
        (2, Gen.OneOf("apps.example.com", "-bad-.com", "nginx:1.27", "Nginx", "a..b", "x\n")),
        (1, Gen.OneOf("--", "--workers", "--frobnicate", "@x", "[diagram]", "crds", "render", "help", "\0")),
        (1, Gen.String[Gen.Char["-=:@[]fh ab.\n"], 0, 6]));

    [Fact]
    public void No_render_line_throws_and_every_usage_error_names_what_it_refuses()
    {
        var lines = Gen.Select(Gen.OneOf("render", "crds", "help", "nope", "-h"), Word.Array[0, 6], (command, rest) => (string[])[command, .. rest]);
        lines.Sample(args =>
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var code = CommandLine.RunAsync(args, new StringReader(Valid), stdout, stderr, new Dictionary<string, string?>(), CancellationToken.None)
                .GetAwaiter().GetResult();

            code.Should().BeOneOf(0, 1, 2);
            var errors = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            errors.Should().NotContain(l => l.StartsWith("   at ", StringComparison.Ordinal), "no stack trace");
            switch (code)
            {
                case 0:
                    errors.Should().BeEmpty();
                    stdout.ToString().Should().NotBeEmpty();
                    break;
                case 1:
                    stdout.ToString().Should().BeEmpty();
                    errors.Should().NotBeEmpty().And.OnlyContain(l => l.StartsWith("error: ", StringComparison.Ordinal));
                    break;
                case 2 when args is ["render", ..] && !args.Contains("-h") && !args.Contains("--help"):
                    stdout.ToString().Should().BeEmpty();
                    errors[^1].Should().Be("see: kuroku render --help");
                    errors[..^1].Should().NotBeEmpty().And.OnlyContain(e => NamesWhatItRefuses(e, args), "each error names a flag or argument of the line");
                    break;
                case 2:
                    errors.Should().NotBeEmpty();
                    errors[^1].Should().StartWith("see: kuroku");
                    break;
            }
        }, iter: 100);
    }

    private static bool NamesWhatItRefuses(string error, string[] original)
    {
        var args = original.Select(CommandLineSyntax.Printable).ToArray();
        return error == "error: render needs -f FILE (or -f - for standard input)"
            || error == "error: give -f only once"
            || args.Any(a => error.Contains($"\"{a}\"", StringComparison.Ordinal) || (a.Length > 0 && error.Contains(a, StringComparison.Ordinal)))
            || args.Any(a => a.IndexOfAny(['=', ':']) is > 1 and var i && error.Contains(a[..i], StringComparison.Ordinal))
            || args.Any(a => a.StartsWith("-f", StringComparison.Ordinal) && error.StartsWith("error: -f ", StringComparison.Ordinal));
    }
}
