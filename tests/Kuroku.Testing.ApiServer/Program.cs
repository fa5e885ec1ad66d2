using System.Globalization;
using Kuroku.Testing.ApiServer;

// dotnet run --project tests/Kuroku.Testing.ApiServer -- --kubeconfig PATH [--port N]
string? kubeconfig = null;
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'; usage: --kubeconfig PATH [--port N]");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Port = port }, stop.Token);
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

return 0;
