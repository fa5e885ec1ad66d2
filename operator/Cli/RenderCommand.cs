using Kuroku.Operator.Configuration;
using Kuroku.Operator.Rendering;

namespace Kuroku.Operator.Cli;

/// <summary>
/// <c>kuroku render -f FILE|-</c>: reads WebApps from YAML, refuses what the API server and the webhook
/// would refuse (each error on stderr with its field path, exit 1), and prints the objects the operator
/// would create as multi-document YAML on stdout. Offline: no cluster is needed. The command line is in
/// RenderCommand.Line.cs; the pure pipeline is <see cref="RenderPipeline"/>.
/// </summary>
public static partial class RenderCommand
{
    public const int InvalidInput = 1;
    public const int UsageError = 2;

    /// <summary>Renders YAML text holding WebApps: pure, no I/O (<see cref="RenderPipeline"/>).</summary>
    public static RenderResult Render(string yaml, OperatorOptions options) => RenderPipeline.Render(yaml, options);
}
