using System.Collections.Frozen;

namespace Kuroku.Operator.Reconciliation.Apply;

/// <summary>How a field the operator owns is compared with the live object.</summary>
public enum Comparison
{
    /// <summary>
    /// Every value the operator sets must be present and equal in the live object; extra values there
    /// (the server's defaults: imagePullPolicy, terminationMessagePath, probe periods...) are fine.
    /// Lists must have the same length and match item by item.
    /// </summary>
    Subset,

    /// <summary>The live value must equal the desired one exactly (maps whose stale keys matter: ConfigMap data).</summary>
    Exact,
}

/// <summary>One field the operator owns on a kind of child object.</summary>
/// <param name="Path">Dot-separated path from the object root, e.g. "spec.template".</param>
/// <param name="Comparison">How the live value is compared.</param>
/// <param name="ClearWhenAbsent">
/// True: when the desired object leaves the field out, the live field is removed (domains without TLS
/// drop spec.tls). False: leaving it out means "not ours now" (Deployment replicas under an HPA).
/// </param>
public sealed record OwnedField(string Path, Comparison Comparison = Comparison.Subset, bool ClearWhenAbsent = true);

/// <summary>
/// Which fields of each child kind Kuroku owns. Everything else (status, other controllers'
/// annotations, server defaults, fields another owner writes) is left as the server has it.
/// Labels and annotations are merged key by key on every kind.
/// </summary>
public static class FieldOwnership
{
    private static readonly FrozenDictionary<string, IReadOnlyList<OwnedField>> ByKind =
        new Dictionary<string, IReadOnlyList<OwnedField>>(StringComparer.Ordinal)
        {
            ["Deployment"] =
            [
                new("spec.replicas", ClearWhenAbsent: false),
                new("spec.selector"),
                new("spec.strategy"),
                new("spec.template"),
                new("spec.revisionHistoryLimit", ClearWhenAbsent: false),
                new("spec.progressDeadlineSeconds", ClearWhenAbsent: false),
                new("spec.minReadySeconds", ClearWhenAbsent: false),
            ],
            ["Service"] =
            [
                new("spec.type", ClearWhenAbsent: false),
                new("spec.selector", Comparison.Exact),
                new("spec.ports"),
            ],
            ["Ingress"] =
            [
                new("spec.ingressClassName"),
                new("spec.defaultBackend"),
                new("spec.rules"),
                new("spec.tls"),
            ],
            ["ConfigMap"] =
            [
                new("data", Comparison.Exact),
                new("binaryData", Comparison.Exact),
            ],
            ["HorizontalPodAutoscaler"] =
            [
                new("spec.scaleTargetRef"),
                new("spec.minReplicas"),
                new("spec.maxReplicas"),
                new("spec.metrics"),
                new("spec.behavior"),
            ],
            ["PodDisruptionBudget"] =
            [
                new("spec.selector"),
                new("spec.minAvailable"),
                new("spec.maxUnavailable"),
                new("spec.unhealthyPodEvictionPolicy"),
            ],
            // The release Job's spec is immutable once created: only metadata is ever updated.
            ["Job"] = [],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The fields Kuroku owns on that kind; unknown kinds own their whole spec.</summary>
    public static IReadOnlyList<OwnedField> For(string kind) =>
        ByKind.TryGetValue(kind, out var fields) ? fields : [new OwnedField("spec")];
}
