using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;

namespace Kuroku.Operator.UnitTests.Cli;

/// <summary>kuroku's command line as a whole: help generated from the declarations, usage errors, render's flags.</summary>
public sealed class CommandLineTests
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

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await CommandLine.RunAsync(args, new StringReader(Valid), output, errors, new Dictionary<string, string?>(), CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }

    [Theory]
    [InlineData(new[] { "render", "-f", "-", "--default-domain", "-bad-.com" }, "--default-domain: \"-bad-.com\" must be a DNS domain such as apps.example.com")]
    [InlineData(new[] { "render", "-f", "-", "--nginx-image=Nginx:1" }, "--nginx-image: \"Nginx:1\" must be an image reference such as nginxinc/nginx-unprivileged:1.27")]
    [InlineData(new[] { "render", "-f", "-", "-f", "other.yaml" }, "give -f only once")]
    [InlineData(new[] { "render", "-f", "" }, "-f needs a value")]
    [InlineData(new[] { "render", "--filename=", "-" }, "--filename needs a value")]
    [InlineData(new[] { "render", "-f", "-", "--help=yes" }, "unknown argument \"--help=yes\"")]
    public async Task Render_refuses_the_values_run_refuses_with_exit_2(string[] args, string error)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("error: " + error).And.EndWith("see: kuroku render --help\n");
    }

    [Fact]
    public async Task Render_takes_the_same_values_as_run()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", "-", "--default-domain", "apps.example.com", "--nginx-image", "nginx:1.27");
        var expected = RenderCommand.Render(Valid, new OperatorOptions { DefaultDomain = "apps.example.com", NginxImage = "nginx:1.27" });

        stderr.Should().BeEmpty();
        code.Should().Be(0);
        stdout.Should().Be(expected.Yaml).And.Contain("hello-default.apps.example.com").And.Contain("image: nginx:1.27");
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_exits_1_naming_it()
    {
        var (code, stdout, stderr) = await RunAsync("render", "-f", "/");

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("error: cannot read /:");
    }

    [Fact]
    public async Task A_missing_file_whose_name_holds_a_newline_is_refused_on_one_line()
    {
        // Found by CommandLineProperties with seed 0SDVzS4f82W1: the reason echoed the raw path, so the error ran on over two lines.
        var (code, _, stderr) = await RunAsync("render", "--filename", "x\n");

        code.Should().Be(1);
        stderr.TrimEnd('\n').Should().NotContain("\n").And.StartWith("error: cannot read x\\n: ").And.EndWith("x\\n'.");
    }

    [Theory]
    [InlineData(new[] { "--help" }, "Usage:\n  kuroku [command] [options]")]
    [InlineData(new[] { "help" }, "Usage:\n  kuroku [command] [options]")]
    [InlineData(new[] { "help", "render" }, "Usage:\n  kuroku render [options]")]
    [InlineData(new[] { "render", "-h" }, "-f, --filename <FILE|->")]
    [InlineData(new[] { "render", "--bogus", "--help" }, "--nginx-image <IMAGE>")]
    [InlineData(new[] { "crds", "--help" }, "Print the CustomResourceDefinition of WebApp.")]
    [InlineData(new[] { "run", "-h" }, "--kube-api-burst <N>")]
    public async Task Help_is_generated_for_kuroku_and_each_command(string[] args, string expected)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        code.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Contain(expected);
    }

    [Fact]
    public async Task The_overview_names_every_command_and_no_arguments_at_all_is_a_usage_error()
    {
        var (code, stdout, _) = await RunAsync();

        code.Should().Be(2);
        stdout.Should().Contain("  run ").And.Contain("  render ").And.Contain("  crds ").And.NotContain("  help ");
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown command \"--bogus\"", "see: kuroku --help")]
    [InlineData(new[] { "[diagram]", "render", "-f", "-" }, "unknown argument \"[diagram]\"", "see: kuroku render --help")]
    [InlineData(new[] { "help", "nope" }, "unknown command \"nope\"", "see: kuroku --help")]
    [InlineData(new[] { "crds", "--workers=" }, "crds takes no arguments, got \"--workers=\"", "see: kuroku crds --help")]
    [InlineData(new[] { "run", "--workers", "0", "--bogus" }, "--workers: \"0\" must be a whole number from 1 to 64", "see: kuroku run --help")]
    public async Task Usage_errors_exit_2_and_say_where_the_usage_is(string[] args, string error, string see)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("error: " + error).And.EndWith(see + "\n");
    }
}
