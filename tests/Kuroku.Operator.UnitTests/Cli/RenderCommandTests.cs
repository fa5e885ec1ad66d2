using Kuroku.Operator.Cli;

namespace Kuroku.Operator.UnitTests.Cli;

public sealed class RenderCommandTests
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

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await CommandLine.RunAsync(args, new StringReader(stdin), output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    public static TheoryData<string, string> InvalidInputs => new()
    {
        { Valid.Replace("  image:", "  imag:"), "error: spec.imag: unknown field" },
        { Valid.Replace("    web: {}", "    web: {replicas: two}"), "error: spec.processes.web.replicas: Invalid value: \"string\": must be of type integer" },
        { Valid.Replace("  image: ghcr.io/acme/hello:1.0.0\n", ""), "error: spec.image: Required value" },
        { Valid.Replace("kuroku.dev/v1alpha1", "kuroku.dev/v1"), "error: apiVersion: Unsupported value: \"kuroku.dev/v1\": supported values: \"kuroku.dev/v1alpha1\"" },
        { Valid.Replace("kind: WebApp", "kind: Deployment"), "error: kind: Unsupported value: \"Deployment\"" },
        { Valid.Replace("  name: hello", "  nam: hello"), "error: metadata.nam: unknown field" },
        { Valid + "\n  env: [{name: DEBUG, value: yes}]", "error: spec.env[0].value: Invalid value: \"boolean\": must be of type string" },
        { "a: [1", "error: invalid YAML: line " },
        { "# only a comment\n", "error: the input holds no WebApp" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_input_exits_1_with_errors_on_stderr_and_nothing_on_stdout(string yaml, string expectedError)
    {
        var (code, stdout, stderr) = await RunAsync(yaml, "render", "-f", "-");

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain(expectedError);
    }

    [Fact]
    public async Task Every_error_of_every_document_is_reported_with_its_document()
    {
        var yaml = Valid.Replace("  image:", "  imag:") + "\n---\n" + Valid.Replace("    web: {}", "    web: {size: huge}");

        var (code, stdout, stderr) = await RunAsync(yaml, "render", "-f", "-");

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("error: document 1: spec.imag: unknown field")
            .And.Contain("error: document 1: spec.image: Required value")
            .And.Contain("error: document 2: spec.processes.web.size: Unsupported value: \"huge\"");
    }

    [Theory]
    [InlineData(new string[] { "render" }, "render needs -f")]
    [InlineData(new[] { "render", "-f" }, "-f needs a value")]
    [InlineData(new[] { "render", "-f", "-", "--bogus" }, "unknown argument \"--bogus\"")]
    [InlineData(new[] { "render", "-f", "-", "--default-domain" }, "--default-domain needs a value")]
    [InlineData(new[] { "crds", "extra" }, "crds takes no arguments")]
    [InlineData(new[] { "nope" }, "unknown command \"nope\"")]
    public async Task Usage_errors_exit_2(string[] args, string expectedError)
    {
        var (code, stdout, stderr) = await RunAsync(Valid, args);

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain(expectedError);
    }

    [Fact]
    public async Task A_missing_file_exits_1_naming_the_file()
    {
        var (code, stdout, stderr) = await RunAsync("", "render", "-f", "/nonexistent/app.yaml");

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("/nonexistent/app.yaml");
    }

    [Fact]
    public async Task Valid_input_exits_0_with_nothing_on_stderr()
    {
        var (code, _, stderr) = await RunAsync(Valid, "render", "-f", "-", "--default-domain=apps.example.com", "--nginx-image", "nginx:1");

        stderr.Should().BeEmpty();
        code.Should().Be(0);
    }

    [Fact]
    public async Task The_crds_command_prints_the_CRD()
    {
        var (code, stdout, stderr) = await RunAsync("", "crds");

        code.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Be(CrdsCommand.Render()).And.StartWith("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n");
    }

    // The golden files hold what render prints for the examples. They change when the desired-state
    // builders change; regenerate them with KUROKU_UPDATE_GOLDEN=1 dotnet test --filter RenderCommandTests.
    [Theory]
    [InlineData("minimal.yaml")]
    [InlineData("webapp.yaml")]
    public async Task Rendering_the_examples_matches_the_golden_files(string example)
    {
        var (code, stdout, stderr) = await RunAsync("", "render", "-f", RepositoryPaths.Of("examples", example));

        stderr.Should().BeEmpty();
        code.Should().Be(0);
        var golden = RepositoryPaths.Of("tests", "Kuroku.Operator.UnitTests", "Cli", "Golden", example);
        if (RepositoryPaths.UpdateGolden)
        {
            await File.WriteAllTextAsync(golden, stdout);
        }

        stdout.Should().Be(await File.ReadAllTextAsync(golden),
            $"render of examples/{example} changed; if intended, regenerate with KUROKU_UPDATE_GOLDEN=1 dotnet test --filter RenderCommandTests");
    }
}
