using System.Net;
using Kuroku.Operator.IntegrationTests.Tools;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>CronJobs as kube-apiserver serves them: defaults, the validations a controller can trip on, the table kubectl prints.</summary>
public sealed class CronJobTests : ApiServerTest
{
    private static V1CronJob CronJob(string restartPolicy = "Never", string? timeZone = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop-cleanup" },
        Spec = new V1CronJobSpec
        {
            Schedule = "*/10 * * * *",
            TimeZone = timeZone,
            JobTemplate = new V1JobTemplateSpec
            {
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "cleanup", Image = "shop:1" }] },
                    },
                },
            },
        },
    };

    [Fact]
    public async Task A_cronjob_gets_kube_apiservers_defaults_and_a_generation()
    {
        var created = await Client.BatchV1.CreateNamespacedCronJobAsync(CronJob(), "default");

        created.Spec.ConcurrencyPolicy.Should().Be("Allow");
        created.Spec.Suspend.Should().BeFalse();
        created.Spec.SuccessfulJobsHistoryLimit.Should().Be(3);
        created.Spec.FailedJobsHistoryLimit.Should().Be(1);
        created.Spec.JobTemplate.Spec.BackoffLimit.Should().BeNull("Job defaults apply to Jobs, not to a CronJob's template");
        created.Spec.JobTemplate.Spec.Template.Spec.DnsPolicy.Should().Be("ClusterFirst");
        created.Metadata.Generation.Should().Be(1);
    }

    [Theory]
    [InlineData("Always", null, "spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\"")]
    [InlineData("Never", "Local", "spec.timeZone: Invalid value: \"Local\"")]
    public async Task A_cronjob_kube_apiserver_refuses_is_refused(string restartPolicy, string? timeZone, string message)
    {
        var create = () => Client.BatchV1.CreateNamespacedCronJobAsync(CronJob(restartPolicy, timeZone), "default");

        var refused = (await create.Should().ThrowAsync<HttpOperationException>()).Which;
        refused.Response.StatusCode.Should().Be((HttpStatusCode)422);
        System.Text.Json.Nodes.JsonNode.Parse(refused.Response.Content)!["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task Kubectl_lists_cronjobs_with_their_schedule()
    {
        await Client.BatchV1.CreateNamespacedCronJobAsync(CronJob(timeZone: "Europe/Paris"), "default");
        using var kubectl = Kubectl.For(Server);

        var listed = (await kubectl.RunAsync("get", "cronjobs", "-n", "default")).EnsureSuccess().StdOut;

        listed.Should().MatchRegex(@"NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+LAST SCHEDULE\s+AGE")
            .And.MatchRegex(@"shop-cleanup\s+\*/10 \* \* \* \*\s+Europe/Paris\s+False\s+<none>");
    }
}
