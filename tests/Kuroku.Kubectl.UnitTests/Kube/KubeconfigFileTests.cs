using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Kube;

/// <summary>A kubeconfig the plugin cannot use is said in one line, with exit code 1: never a stack trace.</summary>
public sealed class KubeconfigFileTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("kuroku-kubeconfig-");

    public void Dispose() => directory.Delete(recursive: true);

    private static string Kubeconfig(string server, string clusterExtra = "", string currentContext = "t") => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: t
          cluster: {server: "{{server}}"{{clusterExtra}}}
        users:
        - name: t
          user: {token: x}
        contexts:
        - name: t
          context: {cluster: t, user: t}
        current-context: {{currentContext}}
        """;

    public static TheoryData<string, byte[], string[], string> Files => new()
    {
        { "empty", [], [], "is empty or not a kubeconfig" },
        { "binary", [0x00, 0xff, 0xfe, 0x7b, 0x5b, 0x0a, 0x01, 0x3a, 0x22], [], "is not a kubeconfig at line " },
        { "not-yaml-of-a-kubeconfig", "just: some yaml\nclusters: 5\n"u8.ToArray(), [], "is not a kubeconfig at line 2, column 11: not the shape of one" },
        { "a-list", "[]\n"u8.ToArray(), [], "is not a kubeconfig at line 1, column 1: not the shape of one" },
        { "no-clusters", "apiVersion: v1\nkind: Config\n"u8.ToArray(), [], "Cannot infer server host url" },
        { "unknown-context", System.Text.Encoding.UTF8.GetBytes(Kubeconfig("https://127.0.0.1:1")), ["--context", "nope"], "nope not found in contexts" },
        { "bad-server", System.Text.Encoding.UTF8.GetBytes(Kubeconfig("not a url")), [], "Bad server host URL `not a url`" },
        { "bad-ca", System.Text.Encoding.UTF8.GetBytes(Kubeconfig("https://127.0.0.1:1", ", certificate-authority-data: \"!!!\"")), [], "not a valid Base-64 string" },
        { "server-down", System.Text.Encoding.UTF8.GetBytes(Kubeconfig("https://127.0.0.1:1")), [], "cannot reach the API server at https://127.0.0.1:1" },
        { "ftp-server", System.Text.Encoding.UTF8.GetBytes(Kubeconfig("ftp://127.0.0.1:1")), [], "'ftp' scheme is not supported" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_kubeconfig_that_cannot_be_used_fails_with_a_line_naming_the_problem(string name, byte[] content, string[] flags, string problem)
    {
        var path = Path.Combine(directory.FullName, name);
        await File.WriteAllBytesAsync(path, content);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await Plugin.RunAsync(["ps", "shop", "--kubeconfig", path, .. flags], stdout, stderr,
            o => KurokuCluster.Connect(o.Kubeconfig!, o.Context), new FixedClock(Apps.Now), CancellationToken.None);

        code.Should().Be(Plugin.Failed);
        stdout.ToString().Should().BeEmpty();
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain(problem);
    }
}
