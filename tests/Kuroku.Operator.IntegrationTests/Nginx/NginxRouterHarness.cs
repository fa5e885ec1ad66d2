using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;

namespace Kuroku.Operator.IntegrationTests.Nginx;

/// <summary>
/// A real nginx running the router's generated nginx.conf (with temp paths), in front of a small local
/// app that counts its requests. The router's config directory is written the way the kubelet writes a
/// ConfigMap volume (timestamped directory, atomic ..data symlink swap, one symlink per key), from the
/// data of the router ConfigMap the builder produces.
/// </summary>
internal sealed class NginxRouterHarness : IAsyncDisposable
{
    public const string NginxBinary = "/usr/sbin/nginx";
    public const string MimeTypes = "/etc/nginx/mime.types";

    private readonly string _root;
    private readonly Process _nginx;
    private readonly StringBuilder _nginxOutput = new();
    private readonly CountingApp _app;
    private int _volumeGeneration;
    private string _renderedConfig = "";

    public HttpClient Client { get; }

    public string StaticDirectory => Path.Combine(_root, "static");

    public CountingApp App => _app;

    public Process NginxProcess => _nginx;

    private string ConfigDirectory => Path.Combine(_root, "config");

    private NginxRouterHarness(string root, CountingApp app, Process nginx, int port)
    {
        _root = root;
        _app = app;
        _nginx = nginx;
        Client = new HttpClient(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
    }

    /// <summary>Starts the app and nginx for this WebApp; the static directory gets the given files.</summary>
    public static async Task<NginxRouterHarness> StartAsync(WebApp app, IReadOnlyDictionary<string, string> staticFiles, CancellationToken cancellationToken)
    {
        if (!File.Exists(NginxBinary))
        {
            Assert.Fail($"nginx is not installed ({NginxBinary} is missing). These tests run the generated router config " +
                "against a real nginx: install it with `apt-get update && apt-get install -y nginx-light` (or `nginx`).");
        }

        var root = Directory.CreateTempSubdirectory("kuroku-nginx-").FullName;
        // Started as root (as in CI), nginx's workers run as "nobody": like the router user in a pod,
        // they must be able to read the config and static directories. Temp directories are 0700.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        Directory.CreateDirectory(Path.Combine(root, "static"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        Directory.CreateDirectory(Path.Combine(root, "config"));
        foreach (var (name, content) in staticFiles)
        {
            var file = Path.Combine(root, "static", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, content, cancellationToken);
        }

        var appPort = FreePort();
        var countingApp = CountingApp.Start(appPort);
        var routerPort = FreePort();
        app.Spec.Port = appPort;

        var paths = new RouterPaths(
            ConfigDirectory: Path.Combine(root, "config"),
            StaticDirectory: Path.Combine(root, "static"),
            TempDirectory: Path.Combine(root, "tmp"),
            MimeTypesFile: MimeTypes,
            AccessLog: Path.Combine(root, "tmp", "access.log"));
        var routing = Router.RoutingFor(app) with { ListenPort = routerPort };

        var startInfo = new ProcessStartInfo(NginxBinary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-e", "stderr", "-p", root + "/", "-c", Path.Combine(root, "config", NginxConfig.ConfigFile) })
        {
            startInfo.ArgumentList.Add(arg);
        }

        NginxRouterHarness? harness = null;
        try
        {
            // The ConfigMap data as the builder makes it, with nginx.conf rendered for the temp paths.
            var data = new Dictionary<string, string>(Router.BuildConfigMap(app)!.Data)
            {
                [NginxConfig.ConfigFile] = NginxConfig.Render(new NginxConfigInput(routing, paths)),
            };
            var process = new Process { StartInfo = startInfo };
            harness = new NginxRouterHarness(root, countingApp, process, routerPort);
            harness._renderedConfig = data[NginxConfig.ConfigFile];
            harness.WriteConfigMapVolume(data);
            process.OutputDataReceived += (_, e) => harness.Record(e.Data);
            process.ErrorDataReceived += (_, e) => harness.Record(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await harness.WaitUntilListeningAsync(routerPort, cancellationToken);
            return harness;
        }
        catch
        {
            if (harness is not null)
            {
                await harness.DisposeAsync();
            }
            else
            {
                await countingApp.DisposeAsync();
                Directory.Delete(root, recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Updates the config directory to this router ConfigMap (as the kubelet would), keeping the
    /// nginx.conf rendered for the temp paths in place of the container one.
    /// </summary>
    public void Apply(k8s.Models.V1ConfigMap configMap)
    {
        var data = new Dictionary<string, string>(configMap.Data) { [NginxConfig.ConfigFile] = _renderedConfig };
        WriteConfigMapVolume(data);
    }

    /// <summary>
    /// Replaces the config directory's data as the kubelet does for a ConfigMap volume: a new
    /// timestamped directory, a swap of the ..data symlink, symlinks for new keys, removal of
    /// symlinks for keys that are gone. nginx is not told anything.
    /// </summary>
    public void WriteConfigMapVolume(IReadOnlyDictionary<string, string> data)
    {
        var dir = ConfigDirectory;
        var generation = $"..gen_{++_volumeGeneration}";
        Directory.CreateDirectory(Path.Combine(dir, generation));
        foreach (var (key, value) in data)
        {
            File.WriteAllText(Path.Combine(dir, generation, key), value);
        }

        var dataLink = Path.Combine(dir, "..data");
        var previous = File.Exists(dataLink) || Directory.Exists(dataLink) ? new FileInfo(dataLink).LinkTarget : null;
        // The kubelet renames a new link over ..data (atomic); here no request runs during the swap,
        // so delete-and-create is equivalent.
        if (previous is not null)
        {
            File.Delete(dataLink);
        }

        File.CreateSymbolicLink(dataLink, generation);

        foreach (var key in data.Keys)
        {
            var link = Path.Combine(dir, key);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", key));
            }
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith("..", StringComparison.Ordinal) && !data.ContainsKey(name))
            {
                File.Delete(entry);
            }
        }

        if (previous is not null)
        {
            Directory.Delete(Path.Combine(dir, previous), recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_nginx.HasExited)
            {
                _nginx.Kill(entireProcessTree: true);
                await _nginx.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _nginx.Dispose();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    public string NginxOutput
    {
        get
        {
            lock (_nginxOutput)
            {
                return _nginxOutput.ToString();
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_nginxOutput)
        {
            _nginxOutput.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        // Readiness polling, not a timing assertion: the bound is only there to fail instead of hanging.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_nginx.HasExited)
            {
                Assert.Fail($"nginx exited with code {_nginx.ExitCode} before listening:\n{NginxOutput}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        Assert.Fail($"nginx did not listen on port {port}:\n{NginxOutput}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A tiny app on 127.0.0.1:$PORT that answers "dynamic &lt;path&gt;" and counts requests.</summary>
internal sealed class CountingApp : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly List<string> _paths = [];

    private CountingApp(HttpListener listener)
    {
        _listener = listener;
        _loop = Task.Run(ServeAsync);
    }

    public static CountingApp Start(int port)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        return new CountingApp(listener);
    }

    /// <summary>The paths the app was asked for, in order.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_paths)
            {
                return [.. _paths];
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            lock (_paths)
            {
                _paths.Add(path);
            }

            var body = Encoding.UTF8.GetBytes($"dynamic {path}");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // The loop ends with the listener.
        }
    }
}
