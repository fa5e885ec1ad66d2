using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kuroku.Operator.IntegrationTests.Operator;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.EndToEnd;

/// <summary>
/// The playground as the process a user starts (the built Kuroku.Playground beside the tests, as `dotnet run
/// --project playground/Kuroku.Playground` runs it): what it prints, the commands it prints working with the real
/// kubectl, a clean stop on SIGTERM and on Ctrl-C (SIGINT), and a clear refusal when its port is taken.
/// </summary>
public sealed class PlaygroundProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kuroku-playground-process-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort() => TestCluster.FreePort();

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A running playground process and what it printed so far.</summary>
    private sealed class Running : IDisposable
    {
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _err = new();
        private readonly TaskCompletionSource _banner = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Running(params string[] args)
        {
            var binary = Path.Combine(AppContext.BaseDirectory, "Kuroku.Playground");
            File.Exists(binary).Should().BeTrue($"the playground's apphost is copied beside the tests ({binary})");
            var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT")
                ?? Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null);
            if (dotnetRoot is not null)
            {
                start.Environment["DOTNET_ROOT"] = dotnetRoot;
            }

            Process = System.Diagnostics.Process.Start(start)!;
            Process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_out)
                {
                    _out.Append(e.Data).Append('\n');
                }

                if (e.Data.StartsWith("Ctrl-C (or SIGTERM) stops the playground.", StringComparison.Ordinal) == true)
                {
                    _banner.TrySetResult();
                }
            };
            Process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_err)
                {
                    _err.Append(e.Data).Append('\n');
                }
            };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public System.Diagnostics.Process Process { get; }

        public string Out
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public string Err
        {
            get
            {
                lock (_err)
                {
                    return _err.ToString();
                }
            }
        }

        /// <summary>Waits until it printed what to try (it runs, ready), failing with what it printed if it exits first.</summary>
        public async Task WaitForBannerAsync()
        {
            var exited = Process.WaitForExitAsync();
            var first = await Task.WhenAny(_banner.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
            first.Should().BeSameAs(_banner.Task, $"the playground prints what to try once it runs (stdout:\n{Out}\nstderr:\n{Err})");
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            await Process.WaitForExitAsync(cts.Token);
            Process.WaitForExit(); // the end of the redirected output
            return Process.ExitCode;
        }

        public void Signal(string signal)
        {
            using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            kill.ExitCode.Should().Be(0);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    [Fact]
    public async Task It_starts_prints_commands_that_work_with_kubectl_and_stops_cleanly_on_SIGTERM()
    {
        var port = FreePort();
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        using var playground = new Running("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kubeconfig", kubeconfig,
            "--pod-start-delay", "0.2", "--job-run-time", "0.2");

        await playground.WaitForBannerAsync();

        var lines = playground.Out.Split('\n').Select(l => l.Trim()).ToList();
        lines.Should().Contain(l => l.StartsWith($"API server   http://127.0.0.1:{port},", StringComparison.Ordinal));
        lines.Should().Contain($"export KUBECONFIG={kubeconfig}");
        lines.Should().Contain("kubectl apply -f examples/").And.Contain("kubectl wait --for=condition=Ready webapp --all -A");
        using (var kubectl = new Kubectl(kubeconfig))
        {
            (await kubectl.RunAsync("apply", "-f", Path.Combine(SchemaCheck.RepositoryRoot, "examples"))).EnsureSuccess();
            var met = (await kubectl.RunAsync("wait", "--for=condition=Ready", "webapp", "--all", "-A", "--timeout=60s")).EnsureSuccess();
            met.StdOut.Should().Contain("webapp.kuroku.dev/shop condition met");
        }

        playground.Signal("TERM");

        (await playground.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, playground.Err);
        playground.Out.Should().Contain("Stopping: the stand-ins, the operator, then the API server...\n");
        playground.Out.Should().EndWith($"Kuroku playground stopped; port {port} is free.\n");
        playground.Err.Trim().Should().BeEmpty();
        PortIsFree(port).Should().BeTrue();
        File.Exists(kubeconfig).Should().BeTrue("the kubeconfig stays for the next start on the same port");
    }

    [Fact]
    public async Task Ctrl_C_stops_it_cleanly_too()
    {
        var port = FreePort();
        using var playground = new Running("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kubeconfig", Path.Combine(_directory, "kubeconfig"));
        await playground.WaitForBannerAsync();

        playground.Signal("INT");

        (await playground.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, playground.Err);
        playground.Out.Should().EndWith($"Kuroku playground stopped; port {port} is free.\n");
        PortIsFree(port).Should().BeTrue();
    }

    [Fact]
    public async Task A_second_playground_on_the_same_port_says_the_port_is_taken()
    {
        await using var running = await PlaygroundSession.StartAsync();
        var port = running.Playground.ApiServer.Port;
        var first = running.KubeconfigPath;
        var second = Path.Combine(_directory, "second");
        var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var again = new Running("--port", text, "--kubeconfig", second);
        var code = await again.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(3);
        again.Err.Should().Contain($"error: port {port} on 127.0.0.1 is already in use").And.Contain($"(--port {port}): is a playground already running?");
        File.Exists(second).Should().BeFalse("nothing is written when the playground cannot start");
        using var kubectl = new Kubectl(first);
        (await kubectl.RunAsync("get", "crd", "webapps.kuroku.dev", "-o", "name")).EnsureSuccess().StdOut.Trim()
            .Should().Be("customresourcedefinition.apiextensions.k8s.io/webapps.kuroku.dev", "the first playground still serves");
    }

    [Fact]
    public async Task Bad_arguments_are_refused_all_at_once_with_exit_code_2()
    {
        using var refused = new Running("--port", "x", "--job-run-time", "-1");

        (await refused.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(2);

        refused.Err.Should().Contain("error: --port: \"x\" must be a port number").And.Contain("error: --job-run-time: \"-1\" must be a number of seconds")
            .And.Contain("see: dotnet run --project playground/Kuroku.Playground -- --help");
        refused.Out.Should().BeEmpty();
    }
}
