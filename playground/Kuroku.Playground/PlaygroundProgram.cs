using Kuroku.Testing.ApiServer;

namespace Kuroku.Playground;

/// <summary>The process: parse, start, print what to try, wait for the stop signal, stop in order.</summary>
public static class PlaygroundProgram
{
    public const int UsageError = 2;
    public const int PortTaken = 3;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parsed = PlaygroundCommandLine.Parse(args);
        if (parsed.Help)
        {
            await stdout.WriteAsync(PlaygroundCommandLine.HelpText());
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync("error: " + error);
            }

            await stderr.WriteLineAsync("see: dotnet run --project playground/Kuroku.Playground -- --help");
            return UsageError;
        }

        using var loggers = PlaygroundLogFormatter.CreateFactory();
        Playground playground;
        try
        {
            await stdout.WriteLineAsync($"Starting the Kuroku playground on 127.0.0.1:{options.Port}...");
            await stdout.FlushAsync(CancellationToken.None);
            playground = await Playground.StartAsync(options, loggers, stop);
        }
        catch (PortInUseException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message} (--port {options.Port}): is a playground already running? It stops with Ctrl-C.");
            return PortTaken;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return UsageError;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await stdout.WriteLineAsync("Stopped while starting.");
            return 0;
        }

        try
        {
            await stdout.WriteAsync(Banner.Text(playground.ApiServer, playground.Kubeconfig, playground.OperatorEndpoint, options));
            await stdout.FlushAsync(CancellationToken.None);
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await stdout.WriteLineAsync("Stopping: the stand-ins, the operator, then the API server...");
            await playground.DisposeAsync();
        }

        await stdout.WriteLineAsync($"Kuroku playground stopped; port {playground.ApiServer.Port} is free.");
        return 0;
    }
}
