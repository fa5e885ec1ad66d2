using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Kubectl.Changes;

/// <summary>
/// `config:set` and `config:unset`: edits of spec.env that keep its order and every other entry, written
/// as a JSON patch guarded by a test of metadata.resourceVersion, so two concurrent edits cannot lose
/// one another's update (the loser gets a conflict and starts again from a fresh read).
/// </summary>
public static partial class ConfigChange
{
    /// <summary>Kubernetes' rule for env var names (C identifier plus '-' and '.').</summary>
    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarName();

    private const string NewRelease = "a new release will be created";

    public static bool IsValidName(string name) => EnvVarName().IsMatch(name);

    /// <summary>NAME=VALUE arguments, in order; a name given twice takes the last value.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseAssignments(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var result = new List<KeyValuePair<string, string>>();
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new CommandException($"\"{argument}\" is not NAME=VALUE (use NAME= for an empty value)");
            }

            var name = argument[..eq];
            CheckName(name);
            var value = argument[(eq + 1)..];
            var existing = result.FindIndex(a => a.Key == name);
            if (existing >= 0)
            {
                result[existing] = new(name, value);
            }
            else
            {
                result.Add(new(name, value));
            }
        }

        return result;
    }

    public static IReadOnlyList<string> ParseNames(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var name in arguments)
        {
            CheckName(name);
        }

        return arguments.Distinct(StringComparer.Ordinal).ToList();
    }

    public static PlannedChange PlanSet(WebApp app, IReadOnlyList<KeyValuePair<string, string>> assignments)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(assignments);
        var name = app.Metadata.Name;
        var env = (app.Spec.Env ?? []).ToList();
        var changed = new List<string>();
        foreach (var (key, value) in assignments)
        {
            var index = env.FindIndex(e => e.Name == key);
            if (index >= 0 && env[index].ValueFrom is null && env[index].Value == value)
            {
                continue;
            }

            var entry = new V1EnvVar { Name = key, Value = value };
            if (index >= 0)
            {
                env[index] = entry;
            }
            else
            {
                env.Add(entry);
            }

            changed.Add(key);
        }

        if (changed.Count == 0)
        {
            return PlannedChange.Nothing($"{Names(assignments.Select(a => a.Key).ToList())} already set on {name}; nothing changed");
        }

        var patch = WebAppPatch.Json(
        [
            WebAppPatch.TestResourceVersion(app.Metadata.ResourceVersion),
            new JsonObject { ["op"] = "add", ["path"] = "/spec/env", ["value"] = WebAppPatch.Node(env) },
        ]);
        var notes = assignments.Where(a => changed.Contains(a.Key)).Select(a => $"{a.Key}={a.Value}").ToList();
        return new PlannedChange(patch, $"Setting {Names(changed)} and restarting {name}", NewRelease, notes);
    }

    public static PlannedChange PlanUnset(WebApp app, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(names);
        var name = app.Metadata.Name;
        var env = app.Spec.Env ?? [];
        var missing = names.Where(n => env.All(e => e.Name != n)).ToList();
        if (missing.Count > 0)
        {
            var have = env.Count == 0 ? "it has none in spec.env" : "spec.env has " + string.Join(", ", env.Select(e => e.Name));
            var from = (app.Spec.EnvFrom?.Count ?? 0) > 0 ? " (config vars that come from envFrom sources are changed in their Secret or ConfigMap)" : "";
            throw new CommandException($"{Names(missing)} {(missing.Count == 1 ? "is" : "are")} not set on {name}: {have}{from}");
        }

        var remaining = env.Where(e => !names.Contains(e.Name)).ToList();
        JsonObject edit = remaining.Count == 0
            ? new JsonObject { ["op"] = "remove", ["path"] = "/spec/env" }
            : new JsonObject { ["op"] = "add", ["path"] = "/spec/env", ["value"] = WebAppPatch.Node(remaining) };
        var patch = WebAppPatch.Json([WebAppPatch.TestResourceVersion(app.Metadata.ResourceVersion), edit]);
        return new PlannedChange(patch, $"Unsetting {Names(names)} and restarting {name}", NewRelease, []);
    }

    private static void CheckName(string name)
    {
        if (!IsValidName(name))
        {
            throw new CommandException(
                $"\"{name}\" is not a valid config var name (spec.env[].name): use letters, digits, '_', '-' and '.', not starting with a digit");
        }
    }

    /// <summary>"FOO", "FOO and BAR", "FOO, BAR and BAZ".</summary>
    internal static string Names(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
