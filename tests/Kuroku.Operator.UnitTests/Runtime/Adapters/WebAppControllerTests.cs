using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Hosting.Adapters;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.UnitTests.Reconciliation;
using Kuroku.Operator.UnitTests.TestSupport;
using Kuroku.Runtime.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuroku.Operator.UnitTests.Runtime.Adapters;

public sealed class WebAppControllerTests
{
    private static (WebAppController Controller, FakeCluster Cluster) Make()
    {
        var cluster = new FakeCluster();
        cluster.Put(Repo.Example("minimal.yaml"));
        var reconciler = new WebAppReconciler(cluster, cluster, cluster, new WebAppValidator(), new OperatorOptions(),
            TimeProvider.System, NullLogger<WebAppReconciler>.Instance);
        return (new WebAppController(reconciler, cluster, cluster, NullLogger<WebAppController>.Instance), cluster);
    }

    [Fact]
    public async Task A_failed_reconcile_is_rethrown_for_backoff_and_shown_on_the_webapp_as_a_warning()
    {
        var (controller, cluster) = Make();
        cluster.FailCreates = new ApiException(ApiFailure.Other, 500, "etcdserver: request timed out");

        var act = () => controller.ReconcileAsync(new ObjectKey("default", "hello"), CancellationToken.None);

        await act.Should().ThrowAsync<ApiException>();
        cluster.Events.Should().ContainSingle(e => e.Reason == "ReconcileFailed")
            .Which.Message.Should().Contain("etcdserver: request timed out");
    }

    [Fact]
    public async Task A_conflict_is_retried_quietly()
    {
        var (controller, cluster) = Make();
        cluster.FailCreates = new ApiException(ApiFailure.Conflict, 409, "the object has been modified");

        var act = () => controller.ReconcileAsync(new ObjectKey("default", "hello"), CancellationToken.None);

        await act.Should().ThrowAsync<ApiException>();
        cluster.Events.Should().NotContain(e => e.Reason == "ReconcileFailed");
    }

    [Fact]
    public async Task A_requeue_after_from_the_core_becomes_the_queues_requeue_after()
    {
        var (controller, cluster) = Make();
        var app = cluster.GetWebApp("default", "hello")!;
        app.Spec.Release = new Kuroku.Api.V1Alpha1.ReleasePhaseSpec { Command = ["migrate"], TimeoutSeconds = 90 };
        cluster.Put(app);

        var result = await controller.ReconcileAsync(new ObjectKey("default", "hello"), CancellationToken.None);

        result.RequeueAfter.Should().Be(TimeSpan.FromSeconds(90), "the release phase's timeout is checked when it falls due");
    }
}
