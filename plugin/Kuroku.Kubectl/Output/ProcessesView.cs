using System.Globalization;
using System.Text;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Kubectl.Output;

/// <summary>`kubectl kuroku ps`: each process's desired, ready and up-to-date replicas, size, command, autoscaling.</summary>
public static class ProcessesView
{
    public static string Render(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var rows = OrderedNames(app.Spec.Processes.Keys).Select(name =>
        {
            var spec = app.Spec.Processes[name];
            ProcessStatus? status = null;
            app.Status?.Processes?.TryGetValue(name, out status);

            // Desired: the spec's count, or the autoscaler's (status) while autoscaling owns it.
            var desired = spec.Autoscaling is not null && status is not null
                ? status.Replicas
                : spec.Replicas ?? Defaults.Replicas;
            return (IReadOnlyList<string>)
            [
                name,
                I(desired),
                status is null ? "-" : $"{I(status.ReadyReplicas)}/{I(desired)}",
                status is null ? "-" : I(status.UpdatedReplicas),
                spec.Size ?? Defaults.Size,
                Command(spec.Command, spec.Args),
                Autoscaling(spec.Autoscaling),
            ];
        });
        return TextTable.Render(["PROCESS", "REPLICAS", "READY", "UP-TO-DATE", "SIZE", "COMMAND", "AUTOSCALING"], rows);
    }

    /// <summary>web first (it gets HTTP), then the rest in ordinal order.</summary>
    public static IEnumerable<string> OrderedNames(IEnumerable<string> names) =>
        names.OrderBy(n => n == WebAppApi.WebProcess ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);

    public static string Autoscaling(AutoscalingSpec? a) =>
        a is null
            ? "-"
            : $"{I(a.MinReplicas ?? Defaults.AutoscalingMinReplicas)}-{I(a.MaxReplicas)} at {I(a.TargetCPUUtilizationPercentage ?? Defaults.TargetCpuUtilizationPercentage)}% cpu";

    /// <summary>The command line a process runs, shell-quoted where a word needs it.</summary>
    public static string Command(IList<string>? command, IList<string>? args)
    {
        if (command is null && args is null)
        {
            return "(image default)";
        }

        var words = new List<string>();
        if (command is null)
        {
            words.Add("(image entrypoint)");
        }
        else
        {
            words.AddRange(command.Select(Quote));
        }

        words.AddRange((args ?? []).Select(Quote));
        return string.Join(' ', words);
    }

    private static string Quote(string word)
    {
        if (word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\'))
        {
            return word;
        }

        var b = new StringBuilder("\"");
        foreach (var c in word)
        {
            if (c is '"' or '\\')
            {
                b.Append('\\');
            }

            b.Append(c);
        }

        return b.Append('"').ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
