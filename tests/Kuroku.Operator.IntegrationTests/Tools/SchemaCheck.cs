using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>How the checker judged one object.</summary>
public enum ObjectCheckStatus
{
    /// <summary>A built-in kind that matches its schema.</summary>
    Valid,

    /// <summary>Schema errors, an unknown kind in a built-in group, a missing name, or a duplicate.</summary>
    Invalid,

    /// <summary>A kind outside Kubernetes' built-in APIs (a custom resource): not checked.</summary>
    Skipped,
}

/// <summary>One problem, at a JSON-pointer path inside the object.</summary>
public sealed record SchemaError(string Path, string Message);

/// <summary>The verdict on one object of the input.</summary>
public sealed record ObjectCheck(
    string Source,
    string? ApiVersion,
    string? Kind,
    string? Namespace,
    string? Name,
    ObjectCheckStatus Status,
    IReadOnlyList<SchemaError> Errors,
    string? Reason)
{
    /// <summary>"Kind namespace/name (apiVersion)".</summary>
    public string Identity => $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name} ({ApiVersion})";
}

/// <summary>The verdicts on every object of one input.</summary>
public sealed record SchemaCheckResult(IReadOnlyList<ObjectCheck> Objects)
{
    public bool IsValid => Objects.All(o => o.Status != ObjectCheckStatus.Invalid);

    public IReadOnlyList<ObjectCheck> Invalid => [.. Objects.Where(o => o.Status == ObjectCheckStatus.Invalid)];

    public IReadOnlyList<ObjectCheck> Skipped => [.. Objects.Where(o => o.Status == ObjectCheckStatus.Skipped)];

    /// <summary>Every invalid object with its errors, one per line: made for assertion messages.</summary>
    public string Describe() => Invalid.Count == 0
        ? "no invalid object"
        : string.Join('\n', Invalid.SelectMany(o =>
            new[] { $"{o.Identity} [{o.Source}]" }.Concat(o.Errors.Select(e => $"  {e.Path}: {e.Message}"))));
}

/// <summary>
/// Checks Kubernetes objects against the OpenAPI schemas of kubernetes-models, through
/// tests/tools/validate.mjs (node). Install the tools once with tests/tools/install.sh.
/// </summary>
public static class SchemaCheck
{
    public const string InstallHint = "Run tests/tools/install.sh (needs node >= 18, npm and python3) to install the test tools.";

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The repository's root: the first directory above the test binaries holding Directory.Build.props and tests/tools.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>tests/tools of the repository.</summary>
    public static string ToolsDirectory => Path.Combine(RepositoryRoot, "tests", "tools");

    /// <summary>The path of bin/helm3 or bin/helm4 under tests/tools.</summary>
    /// <exception cref="InvalidOperationException">That helm is not installed.</exception>
    public static string HelmPath(int majorVersion)
    {
        var path = Path.Combine(ToolsDirectory, "bin", $"helm{majorVersion}");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"helm {majorVersion} is missing at {path}. {InstallHint}");
    }

    /// <summary>Validates every object of <paramref name="yaml"/> (multi-document YAML or JSON).</summary>
    /// <exception cref="InvalidOperationException">The tools are missing, or the input is no YAML.</exception>
    public static async Task<SchemaCheckResult> ValidateAsync(string yaml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var script = Path.Combine(ToolsDirectory, "validate.mjs");
        var models = Path.Combine(ToolsDirectory, "node_modules", "kubernetes-models", "package.json");
        if (!File.Exists(script) || !File.Exists(models))
        {
            throw new InvalidOperationException($"the schema checker is not installed ({models} is missing). {InstallHint}");
        }

        var outcome = await ExternalProcess.RunAsync(
            "node", [script, "--json"], yaml, ToolsDirectory, InstallHint, cancellationToken);
        if (outcome.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"validate.mjs could not check the input: {outcome}");
        }

        var report = JsonSerializer.Deserialize<Report>(outcome.StandardOutput, Json)
            ?? throw new InvalidOperationException($"validate.mjs printed no report: {outcome}");
        return new SchemaCheckResult([.. report.Objects.Select(o => new ObjectCheck(
            o.Source, o.ApiVersion, o.Kind, o.Namespace, o.Name, o.Status, o.Errors ?? [], o.Reason))]);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))
                && Directory.Exists(Path.Combine(dir.FullName, "tests", "tools")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"no repository root (a directory with Directory.Build.props and tests/tools) above {AppContext.BaseDirectory}");
    }

    private sealed record Report(IReadOnlyList<ReportObject> Objects);

    private sealed record ReportObject(
        string Source,
        string? ApiVersion,
        string? Kind,
        string? Namespace,
        string? Name,
        ObjectCheckStatus Status,
        IReadOnlyList<SchemaError>? Errors,
        string? Reason);
}
