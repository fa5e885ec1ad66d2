using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Benchmarks.Fleet;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using k8s;
using k8s.Models;

namespace Kuroku.Benchmarks.Micro;

/// <summary>
/// The hot pure code of one reconcile, per WebApp of each kind of the scale benchmark's mix: time and
/// allocated bytes. Every operation is what a reconcile of an unchanged app does; 10,000 apps do it
/// 10,000 times on a restart or a resync.
/// </summary>
[MemoryDiagnoser]
public class PureCodeBenchmarks
{
    private readonly OperatorOptions options = new();
    private WebApp app = null!;
    private string? digest;
    private ReleaseSnapshot snapshot = null!;
    private IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired = [];
    private IReadOnlyList<IKubernetesObject<V1ObjectMeta>> live = [];

    [ParamsAllValues]
    public AppKind Kind { get; set; }

    /// <summary>The app of this kind, its release, its desired children and their live copies with server defaults.</summary>
    public static (WebApp App, string? Digest, ReleaseSnapshot Snapshot, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Desired, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Live) Fixture(AppKind kind, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mix = new AppMix("micro", 4, 100, "kb-micro");
        var fleetApp = mix.Apps.First(a => a.Kind == kind);
        var app = mix.WebApp(fleetApp);
        app.Metadata.Uid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
        app.Metadata.Generation = 1;

        // A digest of the referenced Secrets' data in the shape the reconciler's has (64 hex digits); its
        // value only feeds the release hash, so how it is made does not change what is measured.
        var secrets = AppMix.Secrets(fleetApp);
        var digest = ConfigReferences.Collect(app).Count == 0 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
            secrets.SelectMany(s => s.Data.Select(kv => $"Secret/{s.Metadata.Name}/{kv.Key}={Convert.ToHexString(SHA256.HashData(kv.Value))}")).Order(StringComparer.Ordinal)))));
        var snapshot = ReleasePlanner.Snapshot(app, digest);
        var desired = DesiredState.Build(ReleaseView.For(app, snapshot), options, snapshot.ConfigHash);
        return (app, digest, snapshot, desired, [.. desired.Select(ServerDefaults.Apply)]);
    }

    [GlobalSetup]
    public void Setup() => (app, digest, snapshot, desired, live) = Fixture(Kind, options);

    /// <summary>Every child of the app, from its spec and live release (ReleaseView.For + DesiredState.Build).</summary>
    [Benchmark]
    public int DesiredStateBuild() => DesiredState.Build(ReleaseView.For(app, snapshot), options, snapshot.ConfigHash).Count;

    /// <summary>Each desired child compared with its live copy (server defaults, managedFields, status): no difference.</summary>
    [Benchmark]
    public int CompareChildren()
    {
        var differences = 0;
        for (var i = 0; i < desired.Count; i++)
        {
            differences += ChildComparer.Differences(desired[i], live[i]).Count;
        }

        return differences;
    }

    /// <summary>The release hash of the spec.</summary>
    [Benchmark]
    public string ReleaseHashCompute() => ReleaseHash.Compute(app.Spec);

    /// <summary>The release the spec describes (it computes the release hash too).</summary>
    [Benchmark]
    public string ReleaseSnapshotOf() => ReleasePlanner.Snapshot(app, digest).ConfigHash;

    /// <summary>The pure work of a reconcile that finds nothing to do: snapshot, desired state, comparisons.</summary>
    [Benchmark]
    public int NoOpReconcilePureParts()
    {
        var s = ReleasePlanner.Snapshot(app, digest);
        var children = DesiredState.Build(ReleaseView.For(app, s), options, s.ConfigHash);
        var differences = 0;
        for (var i = 0; i < children.Count; i++)
        {
            differences += ChildComparer.Differences(children[i], live[i]).Count;
        }

        return differences;
    }
}
