using k8s.Models;
using Kuroku.Playground.Cluster.Workloads;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class DeploymentRolloutTests
{
    private static readonly DateTime Now = Objects.Now;

    [Fact]
    public void A_new_deployment_gets_a_replicaset_named_after_its_template_with_every_replica()
    {
        var d = Objects.Deployment(replicas: 3);

        var plan = DeploymentRollout.Plan(d, [], Now);

        var rs = plan.Create!;
        var hash = Workloads.Hash(d);
        rs.Metadata.Name.Should().Be($"hello-web-{hash}");
        rs.Spec.Replicas.Should().Be(3);
        rs.Spec.Selector.MatchLabels.Should().Contain("app", "hello").And.Contain(PodTemplateHash.Label, hash);
        rs.Spec.Template.Metadata.Labels.Should().Contain(PodTemplateHash.Label, hash);
        rs.Metadata.Annotations[DeploymentRollout.RevisionAnnotation].Should().Be("1");
        rs.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Deployment" && o.Uid == "d-uid" && o.Controller == true);
        plan.Revision.Should().Be("1");
        plan.Status.Conditions.Single(c => c.Type == "Progressing").Reason.Should().Be("NewReplicaSetCreated");
        plan.Status.UpdatedReplicas.Should().BeNull("no pod of the new ReplicaSet exists yet");
        d.Spec.Template.Metadata.Labels.Should().NotContainKey(PodTemplateHash.Label, "the Deployment's own template is left alone");
    }

    [Fact]
    public void Once_every_pod_is_available_the_status_says_the_rollout_is_complete()
    {
        var d = Objects.Deployment(replicas: 2);
        var rs = Objects.ReplicaSetOf(d, revision: 1, replicas: 2, available: 2);

        var plan = DeploymentRollout.Plan(d, [rs], Now);

        plan.Create.Should().BeNull();
        plan.Scale.Should().BeEmpty();
        var s = plan.Status;
        (s.ObservedGeneration, s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas, s.UnavailableReplicas).Should().Be((3L, 2, 2, 2, 2, (int?)null));
        s.Conditions.Select(c => (c.Type, c.Status, c.Reason)).Should().Equal(
            ("Available", "True", "MinimumReplicasAvailable"), ("Progressing", "True", "NewReplicaSetAvailable"));
        s.Conditions.Single(c => c.Type == "Progressing").Message.Should().Be($"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed.");
    }

    [Fact]
    public void A_new_template_keeps_the_old_pods_until_the_new_ones_are_all_available()
    {
        var v1 = Objects.Deployment(replicas: 2);
        var old = Objects.ReplicaSetOf(v1, revision: 1, replicas: 2, available: 2);
        var v2 = Objects.Deployment(replicas: 2, image: "ghcr.io/acme/hello:2.0.0");

        var start = DeploymentRollout.Plan(v2, [old], Now);
        start.Create!.Spec.Replicas.Should().Be(2);
        start.Create.Metadata.Annotations[DeploymentRollout.RevisionAnnotation].Should().Be("2");
        start.Scale.Should().BeEmpty("the old pods serve until the new ones are available");

        var halfway = DeploymentRollout.Plan(v2, [old, Objects.ReplicaSetOf(v2, revision: 2, replicas: 2, available: 1)], Now);
        halfway.Scale.Should().BeEmpty();
        halfway.Status.Conditions.Single(c => c.Type == "Progressing").Reason.Should().Be("ReplicaSetUpdated");
        halfway.Status.Replicas.Should().Be(4);
        halfway.Status.AvailableReplicas.Should().Be(3);

        var done = DeploymentRollout.Plan(v2, [old, Objects.ReplicaSetOf(v2, revision: 2, replicas: 2, available: 2)], Now);
        done.Scale.Should().ContainSingle().Which.Should().Be(new ReplicaSetChange(old, 0));
    }

    [Fact]
    public void Recreate_stops_the_old_pods_before_the_new_replicaset_gets_any()
    {
        var v1 = Objects.Deployment(replicas: 2, strategy: "Recreate");
        var old = Objects.ReplicaSetOf(v1, revision: 1, replicas: 2, available: 2);
        var v2 = Objects.Deployment(replicas: 2, image: "ghcr.io/acme/hello:2.0.0", strategy: "Recreate");

        var plan = DeploymentRollout.Plan(v2, [old], Now);

        plan.Create!.Spec.Replicas.Should().Be(0);
        plan.Scale.Should().ContainSingle().Which.Replicas.Should().Be(0);
        old.Spec.Replicas = 0;
        old.Status = new V1ReplicaSetStatus { Replicas = 0 };
        var next = DeploymentRollout.Plan(v2, [old, Objects.ReplicaSetOf(v2, revision: 2, replicas: 0, available: 0)], Now);
        next.Scale.Should().ContainSingle(c => c.ReplicaSet.Metadata.Name != old.Metadata.Name).Which.Replicas.Should().Be(2);
    }

    [Fact]
    public void Rolling_back_to_a_template_seen_before_makes_its_replicaset_the_newest_revision()
    {
        var v1 = Objects.Deployment();
        var v2 = Objects.Deployment(image: "ghcr.io/acme/hello:2.0.0");
        var first = Objects.ReplicaSetOf(v1, revision: 1, replicas: 0, available: 0);
        var second = Objects.ReplicaSetOf(v2, revision: 2, replicas: 2, available: 2);

        var plan = DeploymentRollout.Plan(v1, [first, second], Now);

        plan.Revision.Should().Be("3");
        plan.Scale.Should().ContainSingle(c => c.ReplicaSet == first).Which.Should().Be(new ReplicaSetChange(first, 2, "3"));
    }

    [Fact]
    public void Scaled_down_replicasets_beyond_the_revision_history_limit_are_deleted_oldest_first()
    {
        var d = Objects.Deployment();
        d.Spec.RevisionHistoryLimit = 1;
        var olds = Enumerable.Range(1, 3).Select(i => Objects.ReplicaSetOf(Objects.Deployment(image: $"img:{i}"), revision: i, replicas: 0, available: 0)).ToList();

        var plan = DeploymentRollout.Plan(d, [.. olds, Objects.ReplicaSetOf(d, revision: 4, replicas: 2, available: 2)], Now);

        plan.Delete.Should().Equal(olds[1], olds[0]);
    }

    [Fact]
    public void Condition_times_move_only_when_the_condition_changes()
    {
        var d = Objects.Deployment();
        var rs = Objects.ReplicaSetOf(d, revision: 1, replicas: 2, available: 2);
        d.Status = DeploymentRollout.Plan(d, [rs], Now).Status;

        var later = DeploymentRollout.Plan(d, [rs], Now.AddMinutes(5)).Status;
        later.Conditions.Should().AllSatisfy(c => (c.LastUpdateTime, c.LastTransitionTime).Should().Be((Now, Now)));

        rs.Status.AvailableReplicas = 0;
        var down = DeploymentRollout.Plan(d, [rs], Now.AddMinutes(6)).Status;
        down.Conditions.Single(c => c.Type == "Available").LastTransitionTime.Should().Be(Now.AddMinutes(6));
    }

    [Theory]
    [InlineData(null, null, 4, 1)]     // 25% of 4
    [InlineData("0", "1", 4, 0)]       // what Kuroku's web processes ask
    [InlineData("50%", null, 3, 1)]    // rounds down
    [InlineData("0", "0", 3, 1)]       // both zero: one may be unavailable
    public void Max_unavailable_resolves_like_the_deployment_controller(string? maxUnavailable, string? maxSurge, int replicas, int expected)
    {
        var d = Objects.Deployment(replicas);
        d.Spec.Strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment
            {
                MaxUnavailable = maxUnavailable is null ? null : (IntOrString)maxUnavailable,
                MaxSurge = maxSurge is null ? null : (IntOrString)maxSurge,
            },
        };

        DeploymentRollout.MaxUnavailable(d, replicas).Should().Be(expected);
    }
}
