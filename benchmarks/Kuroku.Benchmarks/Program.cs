using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Kuroku.Benchmarks.Micro;
using Kuroku.Benchmarks.Scale;

// dotnet run -c Release --project benchmarks/Kuroku.Benchmarks -- scale [options] | micro [BenchmarkDotNet options]
const string Usage = """
    usage: Kuroku.Benchmarks scale [options]      the fleet benchmark (scale --help lists the options)
           Kuroku.Benchmarks micro [BDN options]  BenchmarkDotNet over the operator's hot pure code
    """;

switch (args.FirstOrDefault())
{
    case "scale":
        {
            var rest = args[1..];
            if (rest.Any(a => a is "-h" or "--help"))
            {
                Console.WriteLine(ScaleOptions.Usage);
                return 0;
            }

            var (options, errors) = ScaleOptions.Parse(rest);
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync("error: " + error);
                }

                await Console.Error.WriteLineAsync("see: Kuroku.Benchmarks scale --help");
                return 2;
            }

            // Ctrl-C or SIGTERM end the run cleanly: the operator process is stopped, the namespaces deleted.
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            var result = await new ScaleRun(options, Console.Error).RunAsync(stop.Token);
            Console.WriteLine(Report.Markdown(result));
            if (options.Out is not null)
            {
                await File.WriteAllTextAsync(options.Out, Report.ToJson(result));
                await Console.Error.WriteLineAsync($"results written to {Path.GetFullPath(options.Out)}");
            }

            return result.Failure is null ? 0 : 1;
        }

    case "micro":
        {
            // In-process (--inProcess, unless asked otherwise): no generated project to build (it would
            // inherit this repository's analyzers and warnings-as-errors), and the numbers are those of
            // this very runtime and GC mode. BenchmarkDotNet's options follow: --filter, --job short...
            // Without --filter the switcher would ask which benchmarks to run: run them all.
            string[] rest = args[1..];
            rest = rest.Any(a => a is "--inProcess" or "-i" or "--runtimes" or "-r") ? rest : ["--inProcess", .. rest];
            var bdnArgs = rest.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)) ? rest : [.. rest, "--filter", "*"];
            BenchmarkSwitcher.FromTypes([typeof(PureCodeBenchmarks)]).Run(bdnArgs, DefaultConfig.Instance);
            return 0;
        }

    default:
        Console.Error.WriteLine(Usage);
        return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
