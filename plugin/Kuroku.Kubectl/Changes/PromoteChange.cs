using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Kubectl.Output;
using k8s;

namespace Kuroku.Kubectl.Changes;

/// <summary>An app named on promote's command line: NAMESPACE/APP, or APP in the namespace of -n.</summary>
public sealed record AppRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";

    /// <summary>"staging/shop" or "shop" (in <paramref name="defaultNamespace"/>); anything else is refused.</summary>
    public static AppRef Parse(string value, string defaultNamespace, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('/');
        var (ns, name) = parts.Length switch
        {
            1 => (defaultNamespace, parts[0]),
            2 => (parts[0], parts[1]),
            _ => ("", ""),
        };
        if (!KubernetesNames.IsDns1123Label(ns) || !KubernetesNames.IsDns1123Subdomain(name))
        {
            throw new CommandException($"\"{value}\" is not an app ({what}): write APP, or NAMESPACE/APP, for example staging/shop");
        }

        return new AppRef(ns, name);
    }
}

/// <summary>
/// `promote SOURCE TARGET` (heroku pipelines:promote): ONE merge patch of the target with the source's live
/// release, its image and its processes' commands, keeping the target's own config vars, scaling and routing,
/// as Heroku copies a slug and nothing else. A process of the release the target lacks is added with 0 replicas
/// (nothing starts unasked); a process only the target has is left as it is. The annotations
/// kuroku.dev/promoted-from and kuroku.dev/promoted-image make the target's next release say
/// "promoted from SOURCE vN".
/// </summary>
public static class PromoteChange
{
    public static PlannedChange Plan(WebApp target, AppRef source, int version, ReleaseSnapshot release)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(release);
        var from = $"{source} v{version.ToString(CultureInfo.InvariantCulture)}";
        var to = $"{target.Metadata.NamespaceProperty}/{target.Metadata.Name}";
        var processes = new JsonObject();
        var notes = new List<string>();
        foreach (var (name, command) in release.Processes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (target.Spec.Processes.TryGetValue(name, out var current))
            {
                if (Json(current.Command) != Json(command.Command) || Json(current.Args) != Json(command.Args))
                {
                    processes[name] = new JsonObject { ["command"] = WebAppPatch.Node(command.Command), ["args"] = WebAppPatch.Node(command.Args) };
                }
            }
            else
            {
                processes[name] = new JsonObject
                {
                    ["command"] = WebAppPatch.Node(command.Command),
                    ["args"] = WebAppPatch.Node(command.Args),
                    ["replicas"] = 0,
                };
                notes.Add($"process {name} is new to {to}: added with 0 replicas; scale it (or give it a schedule) to run it");
            }
        }

        foreach (var name in ProcessesView.OrderedNames(target.Spec.Processes.Keys.Where(p => !release.Processes.ContainsKey(p))))
        {
            notes.Add($"process {name} of {to} is not in {from}; it is left as it is");
        }

        if (target.Spec.Image == release.Image && processes.Count == 0)
        {
            return PlannedChange.Nothing($"{to} already runs the image and commands of {from}; nothing changed");
        }

        var spec = new JsonObject { ["image"] = release.Image };
        if (processes.Count > 0)
        {
            spec["processes"] = processes;
        }

        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    [ReleaseRevisions.PromotedFromAnnotation] = from,
                    [ReleaseRevisions.PromotedImageAnnotation] = release.Image,
                },
            },
            ["spec"] = spec,
        };
        var next = RollbackChange.NextVersion(target);
        return new PlannedChange(
            WebAppPatch.Merge(body),
            $"Promoting {from} to {to}",
            $"the operator will make release v{next.ToString(CultureInfo.InvariantCulture)} of {target.Metadata.Name} (promoted from {from}); its config vars stay its own",
            notes);
    }

    private static string Json(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
