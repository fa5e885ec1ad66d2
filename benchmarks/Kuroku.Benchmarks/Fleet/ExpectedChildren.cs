using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Desired;

namespace Kuroku.Benchmarks.Fleet;

/// <summary>
/// The children a converged app has: what the operator's own pure builders make of its spec (so the
/// benchmark follows the operator when it changes), and the ControllerRevision of the live release.
/// </summary>
public static class ExpectedChildren
{
    private static readonly OperatorOptions Options = new();

    /// <summary>(kind, name) of every child the app needs at this release.</summary>
    public static IReadOnlySet<(string Kind, string Name)> For(WebApp app, int release)
    {
        ArgumentNullException.ThrowIfNull(app);
        var set = DesiredState.Build(app, Options).Select(o => (o.Kind, o.Metadata.Name)).ToHashSet();
        set.Add(("ControllerRevision", ReleaseRevisions.Name(app, release)));
        return set;
    }
}
