using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;

namespace Kuroku.Operator.UnitTests.Cli;

/// <summary>`run` refuses a kubeconfig it cannot load before it starts anything, with a line, not a stack trace.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kuroku-run-");

    public void Dispose() => directory.Delete(recursive: true);

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(directory.FullName, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private string File(string name, string content) => File(name, System.Text.Encoding.UTF8.GetBytes(content));

    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: test
          user: {token: t}
        contexts:
        - name: test
          context: {cluster: test, user: test}
        current-context: test
        """;

    public static TheoryData<string, string, string?, string> Problems => new()
    {
        { "missing", "", null, "must be a readable kubeconfig: kubeconfig file not found at " },
        { "empty", "", null, "must be a readable kubeconfig: it is empty or not a kubeconfig" },
        { "binary", "\u0000\u0001\u00ff\u0002{[", null, "must be a readable kubeconfig: " },
        { "not-a-kubeconfig", "just: some yaml\n", null, "must be a readable kubeconfig: " },
        { "wrong-context", Kubeconfig, "kind", "must be a readable kubeconfig with --context \"kind\": " },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task An_unloadable_kubeconfig_is_refused_naming_the_flag(string name, string content, string? context, string problem)
    {
        var path = name == "missing" ? Path.Combine(directory.FullName, "missing") : File(name, content);
        string[] args = context is null ? ["run", "--kubeconfig", path] : ["run", "--kubeconfig", path, "--context", context];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(args, TextReader.Null, stdout, stderr, new Dictionary<string, string?>(), CancellationToken.None);

        code.Should().Be(2);
        stderr.ToString().Should().StartWith($"error: --kubeconfig: \"{path}\" {problem}").And.EndWith("see: kuroku run --help\n")
            .And.NotContain("   at ");
        stdout.ToString().Should().BeEmpty();
    }

    [Fact]
    public void A_loadable_kubeconfig_is_no_problem()
    {
        var path = File("good", Kubeconfig);

        RunCommand.KubeconfigProblem(new OperatorOptions { Kubeconfig = path }).Should().BeNull();
        RunCommand.KubeconfigProblem(new OperatorOptions { Kubeconfig = path, Context = "test" }).Should().BeNull();
    }
}
