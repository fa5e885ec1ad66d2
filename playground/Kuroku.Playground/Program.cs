using System.Runtime.InteropServices;
using Kuroku.Playground;

// dotnet run --project playground/Kuroku.Playground [-- --port N --kubeconfig PATH ...]; --help lists the options.
// Exits 0 when stopped by SIGTERM, SIGINT (Ctrl-C) or SIGQUIT; 2 on bad arguments; 3 when the port is taken.
// A second signal while it stops ends the process at once.
using var stop = new CancellationTokenSource();
var signals = 0;
void Stop(PosixSignalContext context)
{
    context.Cancel = Interlocked.Increment(ref signals) == 1;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
return await PlaygroundProgram.RunAsync(args, Console.Out, Console.Error, stop.Token);
