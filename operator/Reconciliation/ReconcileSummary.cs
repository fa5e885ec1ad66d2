using Kuroku.Operator.Reconciliation.Apply;

namespace Kuroku.Operator.Reconciliation;

/// <summary>Pure: the sentence that names what one reconcile did to the children.</summary>
public static class ReconcileSummary
{
    /// <summary>The reason of the event when only children changed.</summary>
    public const string AppliedReason = "Applied";

    /// <summary>
    /// "Created ConfigMap shop-router, Deployment shop-web; updated Service shop (spec.ports); deleted
    /// Deployment shop-old (no longer desired)", children in the order given; null when nothing changed.
    /// </summary>
    public static string? Children(IReadOnlyList<ChildResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var parts = new List<string>();
        void Add(string verb, ApplyOutcome outcome, Func<ChildResult, string> describe)
        {
            var named = results.Where(r => r.Outcome == outcome).Select(describe).ToList();
            if (named.Count > 0)
            {
                parts.Add($"{verb} {string.Join(", ", named)}");
            }
        }

        Add("created", ApplyOutcome.Created, r => $"{r.Kind} {r.Name}");
        Add("updated", ApplyOutcome.Updated, r => $"{r.Kind} {r.Name} ({string.Join(", ", r.ChangedFields)})");
        Add("deleted", ApplyOutcome.Deleted, r => $"{r.Kind} {r.Name} (no longer desired)");
        if (parts.Count == 0)
        {
            return null;
        }

        var sentence = string.Join("; ", parts);
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }
}
