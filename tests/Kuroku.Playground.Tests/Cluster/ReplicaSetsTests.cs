using Kuroku.Playground.Cluster.Workloads;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class ReplicaSetsTests
{
    private static readonly DateTime Now = Objects.Now;

    [Fact]
    public void The_status_counts_existing_ready_and_available_pods()
    {
        var rs = Objects.ReplicaSetOf(Objects.Deployment(), 1, 3, 0);
        rs.Metadata.Generation = 4;
        rs.Spec.MinReadySeconds = 10;
        var pods = new[]
        {
            Objects.Pod("a", "Running", ready: true, created: Now.AddSeconds(-60)),
            Objects.Pod("b", "Running", ready: true, created: Now.AddSeconds(-4)),
            Objects.Pod("c"),
        };
        foreach (var p in pods)
        {
            p.Metadata.Labels = new Dictionary<string, string>(rs.Spec.Template.Metadata.Labels);
        }

        var status = ReplicaSets.Status(rs, pods, Now, out var recheck);

        (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration).Should().Be((3, 3, 2, 1, 4L));
        recheck.Should().Be(Now.AddSeconds(6), "pod b has been ready for 4 of its 10 minReadySeconds");
    }

    [Fact]
    public void A_scale_down_deletes_pods_not_started_then_not_ready_then_the_newest()
    {
        var pending = Objects.Pod("pending");
        var notReady = Objects.Pod("not-ready", "Running");
        var oldReady = Objects.Pod("old", "Running", ready: true, created: Now.AddMinutes(-5));
        var newReady = Objects.Pod("new", "Running", ready: true, created: Now);

        ReplicaSets.ToDelete([oldReady, newReady, notReady, pending], 3).Select(p => p.Metadata.Name).Should().Equal("pending", "not-ready", "new");
    }
}
