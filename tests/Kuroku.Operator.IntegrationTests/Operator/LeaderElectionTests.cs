using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Runtime.LeaderElection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using k8s;

namespace Kuroku.Operator.IntegrationTests.Operator;

/// <summary>Two replicas with leader election: one reconciles; when it goes, the other takes over.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task StartReplicaAsync(string identity) => _cluster.StartOperatorAsync(
        o => o with { LeaderElection = true, Identity = identity },
        builder => builder.Services.AddSingleton(new LeaderElectionOptions
        {
            Namespace = _cluster.Namespace,
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        }));

    private static bool Leads(WebApplication app) => app.Services.GetRequiredService<ILeaderStatus>().IsLeader;

    private static WebApp App(string name)
    {
        var app = KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(SchemaCheck.RepositoryRoot, "examples", "minimal.yaml")));
        app.Metadata.Name = name;
        return app;
    }

    [Fact]
    public async Task Only_the_leader_reconciles_and_the_other_replica_takes_over_when_it_goes()
    {
        await StartReplicaAsync("replica-a");
        await StartReplicaAsync("replica-b");

        await TestCluster.EventuallyAsync(() => Task.FromResult(_cluster.Operators.Count(Leads) == 1), "exactly one leader");
        var lease = await _cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("kuroku-operator", _cluster.Namespace);
        var leader = _cluster.Operators.Single(Leads);
        lease.Spec.HolderIdentity.Should().Be(leader == _cluster.Operators[0] ? "replica-a" : "replica-b");

        await _cluster.CreateAsync(App("first"));
        await TestCluster.EventuallyAsync(async () => await _cluster.DeploymentAsync("first-web") is not null, "the leader to reconcile");
        _cluster.Operators.Count(Leads).Should().Be(1, "the follower never started its controller");

        await _cluster.StopOperatorAsync(leader);
        var follower = _cluster.Operators.Single();
        await TestCluster.EventuallyAsync(() => Task.FromResult(Leads(follower)), "the other replica to take the lease", TimeSpan.FromSeconds(20));

        await _cluster.CreateAsync(App("second"));
        await TestCluster.EventuallyAsync(async () => await _cluster.DeploymentAsync("second-web") is not null, "the new leader to reconcile");
    }
}
