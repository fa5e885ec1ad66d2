namespace Kuroku.Api.V1Alpha1;

/// <summary>One size preset: what a process of that size requests and may use.</summary>
/// <param name="Name">The preset's name, as written in spec.processes.*.size.</param>
/// <param name="CpuRequest">CPU requested, as a Kubernetes quantity.</param>
/// <param name="CpuLimit">CPU limit, as a Kubernetes quantity.</param>
/// <param name="Memory">Memory requested and limited to, as a Kubernetes quantity.</param>
/// <param name="WebConcurrency">The default WEB_CONCURRENCY, as Heroku's Python buildpack sets it.</param>
public sealed record DynoSize(string Name, string CpuRequest, string CpuLimit, string Memory, int WebConcurrency);

/// <summary>The size presets, named after Heroku's dyno types.</summary>
public static class DynoSizes
{
    public const string Eco = "eco";
    public const string Basic = "basic";
    public const string Standard1X = "standard-1x";
    public const string Standard2X = "standard-2x";
    public const string PerformanceM = "performance-m";
    public const string PerformanceL = "performance-l";

    /// <summary>Every preset, smallest first.</summary>
    public static IReadOnlyList<DynoSize> All { get; } =
    [
        new(Eco, "100m", "500m", "512Mi", 2),
        new(Basic, "250m", "1", "512Mi", 2),
        new(Standard1X, "500m", "1", "512Mi", 2),
        new(Standard2X, "1", "2", "1Gi", 4),
        new(PerformanceM, "2", "2", "2560Mi", 5),
        new(PerformanceL, "8", "8", "14Gi", 17),
    ];

    /// <summary>The preset of that name, or null when there is none.</summary>
    public static DynoSize? Find(string? name) => All.FirstOrDefault(s => s.Name == name);
}
