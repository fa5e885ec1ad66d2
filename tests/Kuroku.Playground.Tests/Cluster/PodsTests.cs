using Kuroku.Playground.Cluster.Nodes;
using Kuroku.Playground.Cluster.Workloads;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class PodsTests
{
    private static readonly DateTime Now = Objects.Now;

    [Fact]
    public void A_started_pod_runs_with_every_container_ready()
    {
        var pod = Objects.Pod("web-1");

        var status = Pods.RunningStatus(pod, Now);

        status.Phase.Should().Be("Running");
        status.QosClass.Should().Be("Burstable", "the server's qosClass is kept");
        status.PodIP.Should().StartWith("10.244.").And.Be(Pods.RunningStatus(pod, Now.AddHours(1)).PodIP, "a pod keeps its address");
        status.Conditions.Where(c => c.Type is "Ready" or "ContainersReady" or "Initialized" or "PodScheduled").Should().HaveCount(4).And.OnlyContain(c => c.Status == "True");
        status.ContainerStatuses.Select(c => (c.Name, c.Ready, c.State.Running?.StartedAt)).Should().Equal(("web", true, Now), ("router", true, Now));
        status.InitContainerStatuses.Should().ContainSingle().Which.State.Terminated.ExitCode.Should().Be(0);
        pod.Status = status;
        Pods.IsReady(pod).Should().BeTrue();
        Pods.IsStarted(pod).Should().BeTrue();
        Pods.ReadySince(pod).Should().Be(Now);
    }

    [Theory]
    [InlineData(0, "Succeeded", "Completed")]
    [InlineData(1, "Failed", "Error")]
    public void A_pod_that_runs_to_completion_exits_with_its_code(int exitCode, string phase, string reason)
    {
        var pod = Objects.Pod("release-1", restartPolicy: "Never");
        pod.Status = Pods.RunningStatus(pod, Now);

        pod.Status = Pods.TerminatedStatus(pod, Now.AddSeconds(3), exitCode);

        pod.Status.Phase.Should().Be(phase);
        Pods.IsFinished(pod).Should().BeTrue();
        Pods.IsActive(pod).Should().BeFalse();
        Pods.IsReady(pod).Should().BeFalse();
        pod.Status.StartTime.Should().Be(Now);
        pod.Status.ContainerStatuses.Should().AllSatisfy(c =>
            (c.State.Terminated.ExitCode, c.State.Terminated.Reason, c.State.Terminated.FinishedAt).Should().Be((exitCode, reason, Now.AddSeconds(3))));
    }

    [Theory]
    [InlineData("Never", true)]
    [InlineData("OnFailure", true)]
    [InlineData("Always", false)]
    public void Only_pods_that_are_not_restarted_forever_run_to_completion(string restartPolicy, bool completes) =>
        Pods.RunsToCompletion(Objects.Pod("p", restartPolicy: restartPolicy)).Should().Be(completes);

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    public void A_pod_that_keeps_stdin_open_for_one_client_runs_while_attached(bool stdin, bool stdinOnce, bool attached)
    {
        var pod = Objects.Pod("p", restartPolicy: "Never");
        pod.Spec.Containers[0].Stdin = stdin;
        pod.Spec.Containers[0].StdinOnce = stdinOnce;

        Pods.IsAttached(pod).Should().Be(attached);
    }

    [Fact]
    public void A_pod_from_a_template_carries_its_labels_and_its_controller()
    {
        var d = Objects.Deployment();
        var rs = Objects.ReplicaSetOf(d, 1, 1, 0);

        var pod = Pods.FromTemplate(rs.Spec.Template, Kuroku.Playground.Cluster.Owners.ControllerReference(rs), "default", rs.Metadata.Name + "-");

        pod.Metadata.GenerateName.Should().Be(rs.Metadata.Name + "-");
        pod.Metadata.Labels.Should().Contain("app", "hello").And.ContainKey(PodTemplateHash.Label);
        pod.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "ReplicaSet" && o.Uid == rs.Metadata.Uid && o.Controller == true && o.BlockOwnerDeletion == true);
        pod.Spec.Containers.Should().ContainSingle(c => c.Image == "ghcr.io/acme/hello:1.0.0");
        pod.Spec.Should().NotBeSameAs(rs.Spec.Template.Spec);
    }
}
