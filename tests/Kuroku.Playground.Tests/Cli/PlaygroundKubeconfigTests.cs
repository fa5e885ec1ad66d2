namespace Kuroku.Playground.Tests.Cli;

public sealed class PlaygroundKubeconfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kuroku-pg-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void It_writes_one_context_for_the_server_creating_the_directory()
    {
        var path = PlaygroundKubeconfig.Write(Path.Combine(_directory, "sub", "config"), new Uri("http://127.0.0.1:7443/"));

        var text = File.ReadAllText(path);
        text.Should().Contain("server: http://127.0.0.1:7443\n").And.Contain("current-context: kuroku-playground").And.Contain("namespace: default");
        PlaygroundKubeconfig.Problem(path).Should().BeNull("the playground may rewrite its own kubeconfig");
    }

    [Fact]
    public void It_never_overwrites_a_kubeconfig_it_did_not_write()
    {
        var users = Path.Combine(_directory, "config");
        File.WriteAllText(users, "apiVersion: v1\nkind: Config\ncurrent-context: prod\n");

        PlaygroundKubeconfig.Problem(users).Should().Be($"--kubeconfig {users} exists and is not a playground kubeconfig; the playground will not overwrite it: choose another path");
        PlaygroundKubeconfig.Problem(_directory).Should().Contain("is a directory");
    }
}
