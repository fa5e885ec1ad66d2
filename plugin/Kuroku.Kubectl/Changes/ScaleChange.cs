using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Output;

namespace Kuroku.Kubectl.Changes;

/// <summary>One PROCESS=N[:SIZE] argument of `scale`.</summary>
public sealed record ScaleRequest(string Process, int Replicas, string? Size);

/// <summary>`kubectl kuroku scale APP web=3 worker=0`: a merge patch of spec.processes.&lt;p&gt;.replicas (and .size).</summary>
public static class ScaleChange
{
    public static IReadOnlyList<ScaleRequest> Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var requests = new List<ScaleRequest>();
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CommandException($"\"{argument}\" is not PROCESS=N (for example web=3 or web=2:standard-2x)");
            }

            var process = argument[..eq];
            var rest = argument[(eq + 1)..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            var count = colon < 0 ? rest : rest[..colon];
            var size = colon < 0 ? null : rest[(colon + 1)..];
            if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas))
            {
                throw new CommandException($"\"{argument}\": the replica count of {process} must be a whole number of 0 or more");
            }

            if (size is not null && DynoSizes.Find(size) is null)
            {
                throw new CommandException(
                    $"\"{argument}\": unknown size \"{size}\" for {process}; sizes: {string.Join(", ", DynoSizes.All.Select(s => s.Name))}");
            }

            if (requests.Any(r => r.Process == process))
            {
                throw new CommandException($"process {process} is given twice");
            }

            requests.Add(new ScaleRequest(process, replicas, size));
        }

        return requests;
    }

    public static PlannedChange Plan(WebApp app, IReadOnlyList<ScaleRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(requests);
        var name = app.Metadata.Name;
        var processes = new JsonObject();
        var changes = new List<string>();
        foreach (var request in requests)
        {
            if (!app.Spec.Processes.TryGetValue(request.Process, out var spec))
            {
                throw new CommandException(
                    $"{name} has no process \"{request.Process}\"; its processes: {string.Join(", ", ProcessesView.OrderedNames(app.Spec.Processes.Keys))}");
            }

            if (spec.Schedule is not null && request.Replicas > 1)
            {
                throw new CommandException(
                    $"process {request.Process} of {name} is scheduled (spec.processes.{request.Process}.schedule: {spec.Schedule}): it runs once per schedule; "
                    + $"scale it to 0 to suspend its schedule, or to 1 to resume it");
            }

            if (spec.Autoscaling is { } a)
            {
                var min = a.MinReplicas ?? Defaults.AutoscalingMinReplicas;
                var suggestedMin = Math.Max(1, request.Replicas);
                var suggestedMax = Math.Max(suggestedMin, a.MaxReplicas);
                throw new CommandException(
                    $"process {request.Process} of {name} is autoscaled (spec.processes.{request.Process}.autoscaling: {I(min)}-{I(a.MaxReplicas)} replicas): "
                    + "its HorizontalPodAutoscaler owns the replica count, so it is not scaled by hand.\n"
                    + $"Change spec.processes.{request.Process}.autoscaling.minReplicas/maxReplicas instead, for example:\n"
                    + $"  kubectl patch webapp {name} --type merge -p '{{\"spec\":{{\"processes\":{{\"{request.Process}\":{{\"autoscaling\":{{\"minReplicas\":{I(suggestedMin)},\"maxReplicas\":{I(suggestedMax)}}}}}}}}}}}'\n"
                    + $"or remove spec.processes.{request.Process}.autoscaling to scale it with kuroku scale.");
            }

            var current = spec.Replicas ?? Defaults.Replicas;
            var currentSize = spec.Size ?? Defaults.Size;
            var patch = new JsonObject();
            if (current != request.Replicas || spec.Replicas is null)
            {
                patch["replicas"] = request.Replicas;
            }

            if (request.Size is not null && (request.Size != currentSize || spec.Size is null))
            {
                patch["size"] = request.Size;
            }

            if (patch.Count == 0)
            {
                continue;
            }

            processes[request.Process] = patch;
            var change = current == request.Replicas ? $"{request.Process} {I(current)}" : $"{request.Process} {I(current)} -> {I(request.Replicas)}";
            if (request.Size is not null && request.Size != currentSize)
            {
                change += $" ({currentSize} -> {request.Size})";
            }

            if (spec.Schedule is not null && current != request.Replicas)
            {
                change += request.Replicas == 0 ? " (schedule suspended)" : " (schedule resumed)";
            }

            changes.Add(change);
        }

        if (processes.Count == 0)
        {
            return PlannedChange.Nothing(
                $"{name} already runs {string.Join(", ", requests.Select(r => $"{r.Process}={I(r.Replicas)}{(r.Size is null ? "" : ":" + r.Size)}"))}; nothing changed");
        }

        var body = new JsonObject { ["spec"] = new JsonObject { ["processes"] = processes } };
        return new PlannedChange(WebAppPatch.Merge(body), $"Scaling {name}: {string.Join(", ", changes)}", null, []);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
