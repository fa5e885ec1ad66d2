using System.Globalization;
using k8s;
using k8s.Models;

namespace Kuroku.Playground.Cluster.Workloads;

/// <summary>A ReplicaSet to scale (and, when <see cref="Revision"/> is set, to mark with a new revision).</summary>
public sealed record ReplicaSetChange(V1ReplicaSet ReplicaSet, int Replicas, string? Revision = null);

/// <summary>What one pass of the Deployment controller does: at most one new ReplicaSet, scalings, deletions, the status.</summary>
public sealed record DeploymentPlan(
    V1ReplicaSet? Create,
    IReadOnlyList<ReplicaSetChange> Scale,
    IReadOnlyList<V1ReplicaSet> Delete,
    string Revision,
    V1DeploymentStatus Status);

/// <summary>
/// The Deployment controller's decisions (pure). A template gets a ReplicaSet of its own, named
/// &lt;deployment&gt;-&lt;pod-template-hash&gt;. RollingUpdate is simplified to a full surge: the new ReplicaSet
/// gets every replica at once, and the old ones go to zero once the new one's pods are all available (so no
/// fewer than the desired pods are available during a rollout, as maxUnavailable 0 asks). Recreate scales the
/// old ones to zero first and the new one up once their pods are gone. Old ReplicaSets beyond
/// revisionHistoryLimit are deleted. The status is what the real controller writes, conditions included.
/// </summary>
public static class DeploymentRollout
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    public static DeploymentPlan Plan(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> owned, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(owned);
        var hash = PodTemplateHash.Of(deployment.Spec.Template);
        var desired = deployment.Spec.Replicas ?? 1;
        var recreate = deployment.Spec.Strategy?.Type == "Recreate";
        var current = owned.FirstOrDefault(rs => rs.Metadata.Labels?.TryGetValue(PodTemplateHash.Label, out var h) == true && h == hash);
        var olds = owned.Where(rs => rs != current).ToList();
        var oldPods = olds.Sum(rs => rs.Status?.Replicas ?? 0);
        var maxOldRevision = olds.Select(Revision).DefaultIfEmpty(0).Max();
        var scale = new List<ReplicaSetChange>();
        V1ReplicaSet? create = null;
        long revision;

        // Recreate: the new pods start only once every old pod is gone.
        var target = recreate && oldPods > 0 ? 0 : desired;
        if (current is null)
        {
            revision = maxOldRevision + 1;
            create = NewReplicaSet(deployment, hash, revision, target);
        }
        else
        {
            // A template seen before (a rollback) becomes the newest revision again.
            revision = Revision(current) > maxOldRevision ? Revision(current) : maxOldRevision + 1;
            var newRevision = revision == Revision(current) ? null : Text(revision);
            if ((current.Spec.Replicas ?? 1) != target || newRevision is not null)
            {
                scale.Add(new ReplicaSetChange(current, target, newRevision));
            }
        }

        var newAvailable = current is not null && (current.Spec.Replicas ?? 1) == desired && (current.Status?.AvailableReplicas ?? 0) >= desired;
        if (recreate || newAvailable)
        {
            scale.AddRange(olds.Where(rs => (rs.Spec.Replicas ?? 1) > 0).Select(rs => new ReplicaSetChange(rs, 0)));
        }

        var limit = deployment.Spec.RevisionHistoryLimit ?? 10;
        var delete = olds
            .Where(rs => (rs.Spec.Replicas ?? 1) == 0 && (rs.Status?.Replicas ?? 0) == 0)
            .OrderByDescending(Revision)
            .Skip(Math.Max(limit, 0))
            .ToList();

        return new DeploymentPlan(create, scale, delete, Text(revision), Status(deployment, current ?? create!, owned, current is null, now));
    }

    /// <summary>The status the Deployment controller writes from its ReplicaSets' statuses.</summary>
    public static V1DeploymentStatus Status(V1Deployment deployment, V1ReplicaSet newest, IReadOnlyList<V1ReplicaSet> owned, bool justCreated, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(newest);
        ArgumentNullException.ThrowIfNull(owned);
        var desired = deployment.Spec.Replicas ?? 1;
        var replicas = owned.Sum(rs => rs.Status?.Replicas ?? 0);
        var updated = justCreated ? 0 : newest.Status?.Replicas ?? 0;
        var ready = owned.Sum(rs => rs.Status?.ReadyReplicas ?? 0);
        var available = owned.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var previous = deployment.Status?.Conditions ?? [];
        var minimum = desired - MaxUnavailable(deployment, desired);
        var complete = !justCreated && updated == desired && replicas == desired && available >= desired;
        var name = newest.Metadata.Name;
        var (reason, message) = justCreated ? ("NewReplicaSetCreated", $"Created new replica set \"{name}\"")
            : complete ? ("NewReplicaSetAvailable", $"ReplicaSet \"{name}\" has successfully progressed.")
            : ("ReplicaSetUpdated", $"ReplicaSet \"{name}\" is progressing.");
        return new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = ReplicaSets.NullIfZero(replicas),
            UpdatedReplicas = ReplicaSets.NullIfZero(updated),
            ReadyReplicas = ReplicaSets.NullIfZero(ready),
            AvailableReplicas = ReplicaSets.NullIfZero(available),
            UnavailableReplicas = ReplicaSets.NullIfZero(Math.Max(0, desired - available)),
            CollisionCount = deployment.Status?.CollisionCount,
            Conditions =
            [
                available >= minimum
                    ? Condition(previous, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
                    : Condition(previous, "Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now),
                Condition(previous, "Progressing", true, reason, message, now),
            ],
        };
    }

    /// <summary>maxUnavailable resolved against the desired replicas (a percentage rounds down; 25% by default; 0 for Recreate).</summary>
    public static int MaxUnavailable(V1Deployment deployment, int desired)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Spec.Strategy?.Type == "Recreate")
        {
            return 0;
        }

        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        var unavailable = Resolve(rolling?.MaxUnavailable?.Value, desired, roundUp: false);
        var surge = Resolve(rolling?.MaxSurge?.Value, desired, roundUp: true);
        return unavailable == 0 && surge == 0 ? 1 : Math.Min(unavailable, desired);
    }

    private static int Resolve(string? value, int total, bool roundUp)
    {
        value ??= "25%";
        if (value.EndsWith('%') && double.TryParse(value[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = percent * total / 100;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static V1ReplicaSet NewReplicaSet(V1Deployment deployment, string hash, long revision, int replicas)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodTemplateHash.Label] = hash,
        };
        var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(deployment.Spec.Selector));
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodTemplateHash.Label] = hash,
        };
        var desired = deployment.Spec.Replicas ?? 1;
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata.Labels, StringComparer.Ordinal),
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [RevisionAnnotation] = Text(revision),
                    [DesiredReplicasAnnotation] = Text(desired),
                    [MaxReplicasAnnotation] = Text(desired + (deployment.Spec.Strategy?.Type == "Recreate" ? 0 : Resolve(deployment.Spec.Strategy?.RollingUpdate?.MaxSurge?.Value, desired, roundUp: true))),
                },
                OwnerReferences = [Owners.ControllerReference(deployment)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = deployment.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
    }

    public static long Revision(V1ReplicaSet rs) =>
        rs?.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var text) == true
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A condition whose times move only when it changes: lastUpdateTime with any change, lastTransitionTime with its status.</summary>
    private static V1DeploymentCondition Condition(IEnumerable<V1DeploymentCondition> previous, string type, bool value, string reason, string message, DateTime now)
    {
        var status = value ? "True" : "False";
        var before = previous.FirstOrDefault(c => c.Type == type);
        var same = before is not null && before.Status == status && before.Reason == reason && before.Message == message;
        return new V1DeploymentCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastUpdateTime = same ? before!.LastUpdateTime : now,
            LastTransitionTime = before is not null && before.Status == status ? before.LastTransitionTime : now,
        };
    }
}
