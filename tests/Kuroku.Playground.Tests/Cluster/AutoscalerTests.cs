using k8s.Models;
using Kuroku.Playground.Cluster.Autoscaling;

namespace Kuroku.Playground.Tests.Cluster;

public sealed class AutoscalerTests
{
    [Theory]
    [InlineData(1, 2, 10, 2)]
    [InlineData(12, 2, 10, 10)]
    [InlineData(5, 2, 10, 5)]
    [InlineData(0, 2, 10, 0)]  // a target scaled to zero: autoscaling is disabled
    [InlineData(1, null, 3, 1)] // minReplicas defaults to 1
    public void Without_metrics_replicas_are_only_brought_within_the_bounds(int current, int? min, int max, int expected)
    {
        var (desired, reason) = Autoscaler.Desired(current, min, max);

        desired.Should().Be(expected);
        (reason is not null).Should().Be(desired != current);
    }

    [Fact]
    public void The_status_says_why_it_does_not_scale_on_metrics_and_is_stable()
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "shop-web", Generation = 1 },
            Spec = new V2HorizontalPodAutoscalerSpec { MinReplicas = 2, MaxReplicas = 10, ScaleTargetRef = new V2CrossVersionObjectReference { Kind = "Deployment", Name = "shop-web" } },
        };

        hpa.Status = Autoscaler.Status(hpa, 1, 1, 2, Objects.Now, Objects.Now);
        var again = Autoscaler.Status(hpa, 1, 1, 2, Objects.Now, Objects.Now.AddMinutes(1));

        hpa.Status.DesiredReplicas.Should().Be(2);
        hpa.Status.Conditions.Single(c => c.Type == "ScalingActive").Reason.Should().Be("FailedGetResourceMetric");
        hpa.Status.Conditions.Single(c => c.Type == "ScalingLimited").Reason.Should().Be("TooFewReplicas");
        Autoscaler.Differs(again, hpa.Status).Should().BeFalse("nothing changed, not even a time");
    }
}
