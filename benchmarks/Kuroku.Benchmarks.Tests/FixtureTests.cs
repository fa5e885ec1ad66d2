using System.Text.Json.Nodes;
using Kuroku.Benchmarks.Fleet;
using Kuroku.Benchmarks.Micro;
using Kuroku.Benchmarks.Scale;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation.Apply;

namespace Kuroku.Benchmarks.Tests;

public sealed class FixtureTests
{
    [Theory]
    [InlineData(AppKind.Web)]
    [InlineData(AppKind.WebWorker)]
    [InlineData(AppKind.HostsStatic)]
    [InlineData(AppKind.SecretConfig)]
    public void The_micro_benchmarks_compare_children_the_server_has_only_defaulted(AppKind kind)
    {
        // The comparisons measured are those of an unchanged app: the live copies differ from the
        // desired children only by what the server sets, and the comparer ignores all of it.
        var (_, _, _, desired, live) = PureCodeBenchmarks.Fixture(kind, new OperatorOptions());

        desired.Should().NotBeEmpty();
        live.Should().HaveSameCount(desired);
        for (var i = 0; i < desired.Count; i++)
        {
            live[i].Metadata.ManagedFields.Should().NotBeEmpty();
            ChildComparer.Differences(desired[i], live[i]).Should().BeEmpty($"{desired[i].Kind} {desired[i].Metadata.Name}");
        }
    }

    [Fact]
    public void The_micro_benchmarks_run_and_return_what_the_reconciler_would_see()
    {
        var bench = new PureCodeBenchmarks { Kind = AppKind.HostsStatic };
        bench.Setup();

        bench.DesiredStateBuild().Should().Be(5);
        bench.CompareChildren().Should().Be(0);
        bench.NoOpReconcilePureParts().Should().Be(0);
        bench.ReleaseHashCompute().Should().HaveLength(16);
        bench.ReleaseSnapshotOf().Should().Be(bench.ReleaseHashCompute());
    }

    [Fact]
    public void The_floor_sends_a_stored_object_as_a_client_would_into_its_own_namespace()
    {
        var stored = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"ns","uid":"u1","resourceVersion":"9","creationTimestamp":"2025-01-01T00:00:00Z",
             "managedFields":[{}],"labels":{"x":"y"},"ownerReferences":[{"kind":"WebApp","name":"a","uid":"old","controller":true}]},
             "spec":{"clusterIP":"10.0.0.1","clusterIPs":["10.0.0.1"],"ports":[{"port":80}]},"status":{"loadBalancer":{}}}
            """)!.AsObject();

        var sent = Floor.AsSent(stored, "ns-f", "new");

        sent.ToJsonString().Should().Be("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"ns-f","labels":{"x":"y"},"ownerReferences":[{"kind":"WebApp","name":"a","uid":"new","controller":true}]},"spec":{"ports":[{"port":80}]}}
            """);
        stored["metadata"]!["uid"]!.GetValue<string>().Should().Be("u1");
    }
}
