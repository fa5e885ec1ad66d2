using System.Diagnostics;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>What a kubectl run printed and returned.</summary>
public sealed record KubectlResult(IReadOnlyList<string> Arguments, int ExitCode, string StdOut, string StdErr)
{
    public KubectlResult EnsureSuccess() => ExitCode == 0 ? this
        : throw new InvalidOperationException($"kubectl {string.Join(' ', Arguments)} exited {ExitCode}:\n{StdErr}\n{StdOut}");
}

/// <summary>Runs the real kubectl binary against a server, with its own kubeconfig and cache directory.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _directory;

    public Kubectl(string kubeconfigPath, string? binary = null)
    {
        KubeconfigPath = kubeconfigPath;
        Binary = binary ?? Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";
        _directory = Path.Combine(Path.GetTempPath(), "kuroku-kubectl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public string KubeconfigPath { get; }
    public string Binary { get; }

    /// <summary>A kubectl for the test API server: writes its kubeconfig to a fresh temp directory.</summary>
    public static Kubectl For(KubeApiServer server, string? defaultNamespace = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "kuroku-kubeconfig-" + Guid.NewGuid().ToString("N"), "config");
        return new Kubectl(server.WriteKubeconfig(path, defaultNamespace));
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, CancellationToken.None);

    /// <summary>Runs kubectl with the arguments (stdin piped when given); times out after 60 s.</summary>
    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["KUBECONFIG"] = KubeconfigPath;
        start.Environment["KUBECACHEDIR"] = Path.Combine(_directory, "cache");
        start.Environment["HOME"] = _directory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new KubectlResult(args, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes text to a file in this kubectl's temp directory (for -f) and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
            Directory.Delete(Path.GetDirectoryName(KubeconfigPath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
