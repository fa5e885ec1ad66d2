using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.Cli;
using Kuroku.Kubectl.Kube;
using Kuroku.Kubectl.Output;
using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl;

/// <summary>
/// Runs one parsed command against a cluster: read, decide with the pure parts (views, planned
/// changes), write one patch, say what changed. List edits are retried on conflicts from a fresh read.
/// </summary>
public sealed class CommandRunner(IKurokuCluster cluster, TextWriter stdout, TimeProvider clock)
{
    /// <summary>How often a write is tried when the app changes under it (409, or a failed resourceVersion test).</summary>
    public const int MaxAttempts = 5;

    public async Task RunAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var command = invocation.Command ?? throw new ArgumentException("no command to run", nameof(invocation));
        var app = invocation.App ?? throw new ArgumentException("no app", nameof(invocation));
        var ns = invocation.Options.Namespace ?? cluster.DefaultNamespace;
        var args = invocation.Arguments;
        switch (command.Kind)
        {
            case CommandKind.Releases:
                await stdout.WriteAsync(ReleasesView.Render(await GetAsync(ns, app, cancellationToken), clock.GetUtcNow()));
                break;
            case CommandKind.Ps:
                await stdout.WriteAsync(ProcessesView.Render(await GetAsync(ns, app, cancellationToken)));
                break;
            case CommandKind.Config:
                await stdout.WriteAsync(ConfigView.Render(await GetAsync(ns, app, cancellationToken)));
                break;
            case CommandKind.Scale:
                var requests = ScaleChange.Parse(args);
                await ChangeAsync(ns, app, current => ScaleChange.Plan(current, requests), cancellationToken);
                break;
            case CommandKind.ConfigSet:
                var assignments = ConfigChange.ParseAssignments(args);
                await ChangeAsync(ns, app, current => ConfigChange.PlanSet(current, assignments), cancellationToken);
                break;
            case CommandKind.ConfigUnset:
                var names = ConfigChange.ParseNames(args);
                await ChangeAsync(ns, app, current => ConfigChange.PlanUnset(current, names), cancellationToken);
                break;
            case CommandKind.MaintenanceOn:
                await ChangeAsync(ns, app, current => MaintenanceChange.Plan(current, on: true), cancellationToken);
                break;
            case CommandKind.MaintenanceOff:
                await ChangeAsync(ns, app, current => MaintenanceChange.Plan(current, on: false), cancellationToken);
                break;
            case CommandKind.Rollback:
                await RollbackAsync(ns, app, RollbackChange.ParseVersion(args[0]), cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(invocation), command.Kind, "unknown command");
        }
    }

    private async Task<WebApp> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await cluster.GetWebAppAsync(ns, name, cancellationToken) ?? throw NotFound(ns, name);

    private static CommandException NotFound(string ns, string name) =>
        new($"webapp \"{name}\" not found in namespace \"{ns}\"");

    /// <summary>Read, plan, patch; on a conflict read again and plan again, up to <see cref="MaxAttempts"/> times.</summary>
    private async Task ChangeAsync(string ns, string name, Func<WebApp, PlannedChange> plan, CancellationToken cancellationToken)
    {
        var announced = false;
        for (var attempt = 1; ; attempt++)
        {
            var change = plan(await GetAsync(ns, name, cancellationToken));
            if (change.Patch is null)
            {
                await stdout.WriteLineAsync(announced ? "done (someone else made the same change)" : change.Summary);
                return;
            }

            if (!announced)
            {
                await stdout.WriteAsync(change.Summary + "... ");
                await stdout.FlushAsync(cancellationToken);
                announced = true;
            }

            try
            {
                await cluster.PatchWebAppAsync(ns, name, change.Patch, cancellationToken);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsFailedPatchTest) && attempt < MaxAttempts)
            {
                continue;
            }
            catch (KubernetesApiException e) when (e.IsConflict || e.IsFailedPatchTest)
            {
                await stdout.WriteLineAsync("failed");
                throw new CommandException(
                    $"{name} changed {MaxAttempts} times while this command tried to write it; try again ({e.ServerMessage})");
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                await stdout.WriteLineAsync("failed");
                throw NotFound(ns, name);
            }
            catch (Exception)
            {
                await stdout.WriteLineAsync("failed");
                throw;
            }

            await stdout.WriteLineAsync(change.Outcome is null ? "done" : "done, " + change.Outcome);
            foreach (var note in change.Notes)
            {
                await stdout.WriteLineAsync(note);
            }

            return;
        }
    }

    private async Task RollbackAsync(string ns, string name, int version, CancellationToken cancellationToken)
    {
        var revisionName = string.Create(CultureInfo.InvariantCulture, $"{name}-v{version}");
        var revision = await cluster.GetRevisionAsync(ns, revisionName, cancellationToken);
        if (revision is null || revision.Metadata.Labels?.TryGetValue(ReleaseRevisions.AppLabel, out var owner) != true || owner != name)
        {
            await GetAsync(ns, name, cancellationToken);
            var stored = await cluster.ListRevisionsAsync(ns, $"{ReleaseRevisions.AppLabel}={name}", cancellationToken);
            var available = stored.Select(r => r.Revision ?? 0).Where(v => v > 0).Order().Select(v => "v" + v.ToString(CultureInfo.InvariantCulture)).ToList();
            throw new CommandException(
                $"release v{version.ToString(CultureInfo.InvariantCulture)} of {name} not found (no ControllerRevision {revisionName} labelled {ReleaseRevisions.AppLabel}={name} in namespace \"{ns}\"); "
                + (available.Count == 0 ? "no releases are stored" : "available: " + string.Join(", ", available)));
        }

        var snapshot = Snapshot(revision, revisionName);
        var notes = new List<string>();
        if (revision.Metadata.Annotations?.TryGetValue(ReleaseRevisions.PhaseAnnotation, out var phase) == true && phase == ReleasePhases.Failed)
        {
            notes.Add($"note: v{version.ToString(CultureInfo.InvariantCulture)} failed its release phase; its release phase runs again");
        }

        await ChangeAsync(ns, name, current =>
        {
            var change = RollbackChange.Plan(current, version, snapshot);
            return change with { Notes = [.. notes, .. change.Notes] };
        }, cancellationToken);
    }

    private static ReleaseSnapshot Snapshot(V1ControllerRevision revision, string revisionName)
    {
        try
        {
            var json = revision.Data is string s ? s : KubernetesJson.Serialize(revision.Data);
            var snapshot = KubernetesJson.Deserialize<ReleaseSnapshot>(json);
            return snapshot is not null && !string.IsNullOrEmpty(snapshot.Image)
                ? snapshot
                : throw new CommandException($"ControllerRevision {revisionName} holds no release (data.image is empty)");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CommandException($"ControllerRevision {revisionName} holds no readable release: {e.Message}");
        }
    }
}
