using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// The server run standalone (its Program, as <c>dotnet run --project tests/Kuroku.Testing.ApiServer</c> runs it):
/// it stops on SIGTERM and Ctrl-C with its port closed, and says clearly when its port is taken.
/// </summary>
public sealed partial class StandaloneServerTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Kuroku.Testing.ApiServer.dll");

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex Listening();

    private sealed class Run(Process process) : IDisposable
    {
        public Process Process { get; } = process;
        public List<string> Out { get; } = [];
        public List<string> Err { get; } = [];

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
        }
    }

    private static Run Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var run = new Run(Process.Start(start)!);
        run.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (run.Out)
                {
                    run.Out.Add(e.Data);
                }
            }
        };
        run.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (run.Err)
                {
                    run.Err.Add(e.Data);
                }
            }
        };
        run.Process.BeginOutputReadLine();
        run.Process.BeginErrorReadLine();
        return run;
    }

    private static async Task<int> PortAsync(Run run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !run.Process.HasExited)
        {
            lock (run.Out)
            {
                if (run.Out.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success) is { } m)
                {
                    return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the server did not start: {string.Join('\n', run.Err)}");
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

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

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_stops_the_server_promptly_and_frees_its_port(string signal)
    {
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kuroku-standalone-").FullName, "config");
        using var run = Start("--kubeconfig", kubeconfig);
        var port = await PortAsync(run);
        using (var http = new HttpClient())
        {
            (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/version"))).Should().Contain("gitVersion");
        }

        PortIsFree(port).Should().BeFalse();
        var stopwatch = Stopwatch.StartNew();
        await SignalAsync(run.Process, signal);
        await run.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

        run.Process.ExitCode.Should().Be(0);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        PortIsFree(port).Should().BeTrue("the server closed its port before exiting");
        File.Exists(kubeconfig).Should().BeTrue();
        Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
    }

    [Fact]
    public async Task A_taken_port_is_said_and_the_exit_code_is_3()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var run = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await run.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        run.Process.WaitForExit(); // flushes the redirected streams

        run.Process.ExitCode.Should().Be(3);
        string.Join('\n', run.Err).Should().Contain($"port {port} on 127.0.0.1 is already in use");
    }

    [Fact]
    public async Task A_bad_argument_is_said_with_the_usage_and_the_exit_code_is_2()
    {
        using var run = Start("--port", "http");
        await run.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        run.Process.WaitForExit();

        run.Process.ExitCode.Should().Be(2);
        string.Join('\n', run.Err).Should().Contain("usage: --kubeconfig PATH [--port N");
    }
}
