using System.Globalization;

namespace Kuroku.Benchmarks.Scale;

/// <summary>The phases after the first (converging the fleet), which a run may skip.</summary>
public enum Phase
{
    Steady,
    Release,
    Restart,
    Floor,
}

/// <summary>The settings of one scale run. <see cref="Parse"/> reads them from the command line.</summary>
public sealed record ScaleOptions
{
    public const string Usage = """
        usage: Kuroku.Benchmarks scale [options]

          --apps N                 WebApps in the fleet, dealt evenly over 4 kinds   (default 1000)
          --apps-per-namespace N   apps of one kind per namespace                     (default 100)
          --workers N              the operator's --workers                           (default 2)
          --memory-limit Q|none    the container limit the operator's GC heap is capped by, as a
                                   container caps it (DOTNET_GCHeapHardLimit = 75% of it);
                                   none: uncapped                 (default 384Mi, the chart's limit)
          --kubeconfig PATH        run against this cluster (fresh namespaces, deleted afterwards);
                                   default: the in-process API server
          --operator PATH          Kuroku.Operator.dll to run (default: the Release build beside
                                   this repository's operator/ project)
          --skip-phase P           skip steady, release, restart or floor (repeatable)
          --steady-seconds N       length of the steady-state windows                 (default 30)
          --floor-concurrency N    concurrent apps of the plain-client floor          (default: --workers;
                                   the operator applies one app's children one after another)
          --writers N              concurrent client writers creating and patching apps (default 8)
          --timeout-seconds N      give up waiting for a phase to converge after this (default 1800)
          --out PATH               also write the results as JSON here
          --operator-log PATH      the operator's stdout and stderr (default: a temporary file)
        """;

    public int Apps { get; init; } = 1000;

    public int AppsPerNamespace { get; init; } = 100;

    public int Workers { get; init; } = 2;

    /// <summary>The memory limit in bytes, or null when the heap is not capped.</summary>
    public long? MemoryLimitBytes { get; init; } = 384L * 1024 * 1024;

    /// <summary>How the limit was written (384Mi), for the report.</summary>
    public string MemoryLimit { get; init; } = "384Mi";

    public string? Kubeconfig { get; init; }

    public string? OperatorPath { get; init; }

    public IReadOnlySet<Phase> Skip { get; init; } = new HashSet<Phase>();

    public int SteadySeconds { get; init; } = 30;

    public int? FloorConcurrency { get; init; }

    public int Writers { get; init; } = 8;

    public int TimeoutSeconds { get; init; } = 1800;

    public string? Out { get; init; }

    public string? OperatorLog { get; init; }

    /// <summary>The operator's GC heap hard limit: 75% of the memory limit, as .NET derives it from a container's limit.</summary>
    public long? HeapHardLimitBytes => MemoryLimitBytes is { } limit ? limit * 3 / 4 : null;

    public int EffectiveFloorConcurrency => FloorConcurrency ?? Workers;

    public bool Runs(Phase phase) => !Skip.Contains(phase);

    /// <summary>The options, or every error found (each names its flag and the rule).</summary>
    public static (ScaleOptions? Options, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var options = new ScaleOptions();
        var skip = new HashSet<Phase>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = eq > 0 ? arg[..eq] : arg;
            string? Value()
            {
                if (eq > 0)
                {
                    return arg[(eq + 1)..];
                }

                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{flag}: needs a value");
                return null;
            }

            int? Int(int min, int max)
            {
                var text = Value();
                if (text is null)
                {
                    return null;
                }

                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                {
                    errors.Add($"{flag} {text}: must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
                    return null;
                }

                return n;
            }

            switch (flag)
            {
                case "--apps":
                    options = Int(4, 1_000_000) is { } apps ? options with { Apps = apps } : options;
                    break;
                case "--apps-per-namespace":
                    options = Int(1, 100_000) is { } per ? options with { AppsPerNamespace = per } : options;
                    break;
                case "--workers":
                    options = Int(1, 64) is { } workers ? options with { Workers = workers } : options;
                    break;
                case "--memory-limit":
                    if (Value() is { } limit)
                    {
                        if (limit == "none")
                        {
                            options = options with { MemoryLimitBytes = null, MemoryLimit = "none" };
                        }
                        else if (ParseQuantity(limit) is { } bytes && bytes >= 32L * 1024 * 1024)
                        {
                            options = options with { MemoryLimitBytes = bytes, MemoryLimit = limit };
                        }
                        else
                        {
                            errors.Add($"--memory-limit {limit}: must be a memory quantity of at least 32Mi (e.g. 256Mi, 1Gi, 300M) or none");
                        }
                    }

                    break;
                case "--kubeconfig":
                    if (Value() is { } kubeconfig)
                    {
                        if (File.Exists(kubeconfig))
                        {
                            options = options with { Kubeconfig = kubeconfig };
                        }
                        else
                        {
                            errors.Add($"--kubeconfig {kubeconfig}: no such file");
                        }
                    }

                    break;
                case "--operator":
                    if (Value() is { } path)
                    {
                        if (File.Exists(path))
                        {
                            options = options with { OperatorPath = Path.GetFullPath(path) };
                        }
                        else
                        {
                            errors.Add($"--operator {path}: no such file (build it: dotnet build operator -c Release)");
                        }
                    }

                    break;
                case "--skip-phase":
                    if (Value() is { } phase)
                    {
                        if (Enum.TryParse<Phase>(phase, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(phase, out _))
                        {
                            skip.Add(p);
                        }
                        else
                        {
                            errors.Add($"--skip-phase {phase}: must be one of steady, release, restart, floor");
                        }
                    }

                    break;
                case "--steady-seconds":
                    options = Int(1, 3600) is { } steady ? options with { SteadySeconds = steady } : options;
                    break;
                case "--floor-concurrency":
                    options = Int(1, 256) is { } floor ? options with { FloorConcurrency = floor } : options;
                    break;
                case "--writers":
                    options = Int(1, 256) is { } writers ? options with { Writers = writers } : options;
                    break;
                case "--timeout-seconds":
                    options = Int(10, 86_400) is { } timeout ? options with { TimeoutSeconds = timeout } : options;
                    break;
                case "--out":
                    options = Value() is { } output ? options with { Out = output } : options;
                    break;
                case "--operator-log":
                    options = Value() is { } log ? options with { OperatorLog = log } : options;
                    break;
                default:
                    errors.Add($"{arg}: unknown option");
                    break;
            }
        }

        return errors.Count > 0 ? (null, errors) : (options with { Skip = skip }, errors);
    }

    /// <summary>A Kubernetes memory quantity in bytes (Ki, Mi, Gi, Ti; k, M, G, T; or plain bytes), or null.</summary>
    public static long? ParseQuantity(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        (string Suffix, long Factor)[] units =
        [
            ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
            ("k", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("T", 1000_000_000_000L),
        ];
        var (number, factor) = units.Where(u => text.EndsWith(u.Suffix, StringComparison.Ordinal))
            .Select(u => (text[..^u.Suffix.Length], u.Factor))
            .DefaultIfEmpty((text, 1L))
            .First();
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= long.MaxValue / factor
            ? n * factor
            : null;
    }
}
