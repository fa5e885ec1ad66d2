namespace Kuroku.Operator.Cli;

/// <summary>The entry point's dispatcher: one verb, one command class.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: kuroku <command> [options]

        commands:
          render -f FILE|-       validate a WebApp and print the objects the operator would create
          crds                   print the CustomResourceDefinition of WebApp
          run [options]          run the controller against a cluster (see run --help)
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "run":
                return await RunCommand.RunAsync(rest, stdout, stderr);
            case "crds":
                return await CrdsCommand.RunAsync(rest, stdout, stderr);
            case "render":
                return await RenderCommand.RunAsync(rest, stdin, stdout, stderr);
            default:
                await stderr.WriteLineAsync($"error: unknown command \"{args[0]}\"");
                await stderr.WriteLineAsync(Usage);
                return 2;
        }
    }
}
