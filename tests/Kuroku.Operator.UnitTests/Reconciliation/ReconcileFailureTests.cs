using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.UnitTests.TestSupport;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.UnitTests.Reconciliation;

public sealed class ReconcileFailureTests
{
    private static (WebAppReconciler Reconciler, FakeCluster Cluster) Make()
    {
        var cluster = new FakeCluster();
        cluster.Put(Repo.Example("minimal.yaml"));
        return (cluster.Reconciler(), cluster);
    }

    [Fact]
    public async Task A_failed_reconcile_is_rethrown_for_backoff_and_shown_on_the_webapp_as_a_warning()
    {
        var (reconciler, cluster) = Make();
        cluster.FailCreates = new KubernetesApiException(ApiErrorReason.ServerError, 500, "etcdserver: request timed out");

        var act = () => reconciler.ReconcileAsync("default", "hello");

        await act.Should().ThrowAsync<KubernetesApiException>();
        cluster.Events.Should().ContainSingle(e => e.Reason == "ReconcileFailed")
            .Which.Message.Should().Contain("etcdserver: request timed out");
    }

    [Fact]
    public async Task A_conflict_is_retried_quietly()
    {
        var (reconciler, cluster) = Make();
        cluster.FailCreates = new KubernetesApiException(ApiErrorReason.Conflict, 409, "the object has been modified");

        var act = () => reconciler.ReconcileAsync("default", "hello");

        await act.Should().ThrowAsync<KubernetesApiException>();
        cluster.Events.Should().NotContain(e => e.Reason == "ReconcileFailed");
    }

    [Theory]
    [InlineData(500, ApiErrorReason.ServerError)]
    [InlineData(409, ApiErrorReason.Conflict)]
    public async Task A_fault_on_one_of_the_concurrent_child_writes_loses_none_of_the_others_and_the_retry_writes_only_that_one(int status, ApiErrorReason reason)
    {
        var (reconciler, cluster) = Make();
        cluster.FailNextCreateOf["Service hello"] = new KubernetesApiException(reason, status, "injected");

        var first = () => reconciler.ReconcileAsync("default", "hello");
        (await first.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(status, "the controller retries the reconcile with backoff");
        var writtenDespiteTheFault = cluster.Writes.ToList();
        cluster.Writes.Clear();
        await reconciler.ReconcileAsync("default", "hello");

        writtenDespiteTheFault.Should().BeEquivalentTo(["create ControllerRevision hello-v1", "create ConfigMap hello-router", "create Deployment hello-web"]);
        cluster.Writes.Should().BeEquivalentTo(["create Service hello", "status WebApp hello"]);
    }

    [Fact]
    public async Task A_release_phase_comes_back_when_its_timeout_falls_due()
    {
        var (reconciler, cluster) = Make();
        var app = cluster.GetWebApp("default", "hello")!;
        app.Spec.Release = new Kuroku.Api.V1Alpha1.ReleasePhaseSpec { Command = ["migrate"], TimeoutSeconds = 90 };
        cluster.Put(app);

        var result = await reconciler.ReconcileAsync("default", "hello");

        result.RequeueAfter.Should().Be(TimeSpan.FromSeconds(90), "the release phase's timeout is checked when it falls due");
    }
}
