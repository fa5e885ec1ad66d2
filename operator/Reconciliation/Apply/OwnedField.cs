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
/// <param name="Digest">
/// The cache keeps a digest of the value instead of the value (exact comparison only): for large values
/// compared whole, such as a ConfigMap's data.
/// </param>
public sealed record OwnedField(string Path, Comparison Comparison = Comparison.Subset, bool ClearWhenAbsent = true, bool Digest = false);
