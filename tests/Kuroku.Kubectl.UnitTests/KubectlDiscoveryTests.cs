using System.Diagnostics;

namespace Kuroku.Kubectl.UnitTests;

/// <summary>
/// Real kubectl (/usr/bin/kubectl) finds the built kubectl-kuroku on PATH through a symlink, as the
/// README installs it, and dispatches `kubectl kuroku ...` to it with the arguments and exit code intact.
/// </summary>
public sealed class KubectlDiscoveryTests : IDisposable
{
    private const string Kubectl = "/usr/bin/kubectl";
    private readonly string bin = Directory.CreateTempSubdirectory("kuroku-plugin-path-").FullName;

    public KubectlDiscoveryTests()
    {
        var built = Path.Combine(AppContext.BaseDirectory, "kubectl-kuroku");
        File.Exists(built).Should().BeTrue($"the plugin's apphost is copied beside the tests ({built})");
        File.Exists(Kubectl).Should().BeTrue($"these tests drive the real kubectl at {Kubectl}");
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl-kuroku"), built);
    }

    public void Dispose() => Directory.Delete(bin, recursive: true);

    [Fact]
    public void Kubectl_plugin_list_shows_kubectl_kuroku()
    {
        var (code, stdout, stderr) = RunKubectl("plugin", "list");

        (stdout + stderr).Should().Contain(Path.Combine(bin, "kubectl-kuroku"));
        stderr.Should().NotContain("kubectl-kuroku is overshadowed").And.NotContain("kubectl-kuroku identified as a kubectl plugin, but it is not executable");
        code.Should().Be(0, stderr);
    }

    [Fact]
    public void Kubectl_kuroku_runs_the_plugin_with_its_arguments_and_exit_code()
    {
        var help = RunKubectl("kuroku", "scale", "--help");
        help.Code.Should().Be(0, help.Stderr);
        help.Stdout.Should().Contain("kubectl kuroku scale APP PROCESS=N[:SIZE]");

        var missing = RunKubectl("kuroku", "ps", "shop", "--kubeconfig", Path.Combine(bin, "no-such-kubeconfig"));
        missing.Code.Should().Be(1);
        missing.Stderr.Should().Contain($"error: no kubeconfig: {Path.Combine(bin, "no-such-kubeconfig")} does not exist");

        var usage = RunKubectl("kuroku", "frobnicate", "shop");
        usage.Code.Should().Be(2);
        usage.Stderr.Should().Contain("error: unknown command \"frobnicate\"");
    }

    private (int Code, string Stdout, string Stderr) RunKubectl(params string[] args)
    {
        var start = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only our directory and the system's: no other plugin on PATH changes what kubectl says.
        start.Environment["PATH"] = bin + Path.PathSeparator + "/usr/local/bin:/usr/bin:/bin";
        start.Environment["KUBECONFIG"] = Path.Combine(bin, "no-such-kubeconfig");
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT")
            ?? Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null);
        if (dotnetRoot is not null)
        {
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
