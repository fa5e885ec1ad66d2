using System.Globalization;
using System.Runtime.InteropServices;
using Kuroku.Testing.ApiServer;
using Kuroku.Testing.ApiServer.Benchmark;

// dotnet run --project tests/Kuroku.Testing.ApiServer -- --kubeconfig PATH [--port N]
// Exits 0 on SIGTERM, SIGINT (Ctrl-C) or SIGQUIT, after its port is closed; 2 on bad arguments; 3 when the port is taken.
// dotnet run -c Release --project tests/Kuroku.Testing.ApiServer -- bench [--webapps N] [--clients C] [--namespaces N] [--page N]
if (args is ["bench", ..])
{
    using var benchStop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        benchStop.Cancel();
    };
    return await ScaleBenchmark.RunAsync(args[1..], Console.Out, benchStop.Token);
}

string? kubeconfig = null;
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
            port = p;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'; usage: --kubeconfig PATH [--port N (0-65535, 0 picks a free one)]");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

KubeApiServer server;
try
{
    server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Port = port }, stop.Token);
}
catch (PortInUseException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 3;
}
catch (OperationCanceledException)
{
    return 0; // stopped while starting
}

await using (server)
{
    if (kubeconfig is not null)
    {
        server.WriteKubeconfig(kubeconfig);
        Console.WriteLine($"kubeconfig written to {Path.GetFullPath(kubeconfig)}");
    }

    Console.WriteLine($"Kubernetes API server listening on {server.BaseUri} (Ctrl-C to stop)");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

Console.WriteLine("Kubernetes API server stopped");
return 0;
