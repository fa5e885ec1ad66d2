using System.Diagnostics;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>What a kubectl run printed and returned.</summary>
public sealed record KubectlResult(IReadOnlyList<string> Arguments, int ExitCode, string StdOut, string StdErr)
{
    public KubectlResult EnsureSuccess() => ExitCode == 0 ? this
        : throw new InvalidOperationException($"kubectl {string.Join(' ', Arguments)} exited {ExitCode}:\n{StdErr}\n{StdOut}");
}

/// <summary>
/// Runs the real kubectl binary against a server, with its own kubeconfig and cache directory.
/// Bound to a namespace (as <c>TestCluster.Kubectl()</c> makes it), every invocation carries
/// <c>--namespace</c> and one naming another namespace or <c>--all-namespaces</c> is refused before it
/// runs: on a real cluster a test's kubectl can only act in the test's namespace.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _directory;
    private readonly bool _deleteKubeconfigDirectory;
    private readonly System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<string>> _invocations = new();

    /// <param name="kubeconfigPath">The kubeconfig kubectl reads (KUBECONFIG).</param>
    /// <param name="binary">The kubectl binary; $KUBECTL or kubectl on PATH by default.</param>
    /// <param name="namespace">The namespace every invocation is bound to, or null.</param>
    /// <param name="deleteKubeconfigDirectory">Whether Dispose deletes the kubeconfig's directory (only for one this runner owns).</param>
    public Kubectl(string kubeconfigPath, string? binary = null, string? @namespace = null, bool deleteKubeconfigDirectory = false)
    {
        KubeconfigPath = kubeconfigPath;
        Binary = binary ?? Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";
        Namespace = @namespace;
        _deleteKubeconfigDirectory = deleteKubeconfigDirectory;
        _directory = Path.Combine(Path.GetTempPath(), "kuroku-kubectl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public string KubeconfigPath { get; }
    public string Binary { get; }

    /// <summary>The namespace every invocation is bound to, or null for an unbound kubectl (the in-process server's own tests).</summary>
    public string? Namespace { get; }

    /// <summary>The argument lists kubectl actually ran with, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Invocations => [.. _invocations];

    /// <summary>A kubectl for the test API server: writes its kubeconfig to a fresh temp directory.</summary>
    public static Kubectl For(KubeApiServer server, string? defaultNamespace = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "kuroku-kubeconfig-" + Guid.NewGuid().ToString("N"), "config");
        return new Kubectl(server.WriteKubeconfig(path, defaultNamespace), deleteKubeconfigDirectory: true);
    }

    /// <summary>
    /// The arguments bound to <paramref name="ns"/>: --namespace added (before a "--" that ends kubectl's own
    /// flags), kept when they already name it; another namespace or --all-namespaces is an error.
    /// </summary>
    public static IReadOnlyList<string> BindToNamespace(IReadOnlyList<string> args, string ns)
    {
        var end = args.ToList().IndexOf("--");
        var flags = end < 0 ? args : args.Take(end).ToList();
        var named = false;
        for (var i = 0; i < flags.Count; i++)
        {
            var a = flags[i];
            if (a is "-A" or "--all-namespaces" || (a.StartsWith("--all-namespaces=", StringComparison.Ordinal) && !a.EndsWith("=false", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: this kubectl is bound to namespace {ns} and may not act across namespaces");
            }

            string? value = a switch
            {
                "-n" or "--namespace" when i + 1 < flags.Count => flags[i + 1],
                _ when a.StartsWith("--namespace=", StringComparison.Ordinal) => a["--namespace=".Length..],
                _ when a.StartsWith("-n", StringComparison.Ordinal) && a.Length > 2 && !a.StartsWith("--", StringComparison.Ordinal) => a[2..].TrimStart('='),
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            if (value != ns)
            {
                throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: this kubectl is bound to namespace {ns}, not {value}");
            }

            named = true;
        }

        if (named)
        {
            return args;
        }

        var bound = args.ToList();
        bound.Insert(end < 0 ? bound.Count : end, "--namespace=" + ns);
        return bound;
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, CancellationToken.None);

    /// <summary>Runs kubectl with the arguments (stdin piped when given); times out after 60 s.</summary>
    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        args = Namespace is null ? args : BindToNamespace(args, Namespace);
        _invocations.Enqueue(args);
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
            if (_deleteKubeconfigDirectory)
            {
                Directory.Delete(Path.GetDirectoryName(KubeconfigPath)!, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
