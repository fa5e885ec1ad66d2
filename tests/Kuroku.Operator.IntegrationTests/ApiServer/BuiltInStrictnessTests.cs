using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// Through the HTTP API, what kube-apiserver does to the built-in kinds a controller writes: it defaults
/// them on every write, so an update that leaves a default out changes nothing; it allocates and keeps a
/// Service's IP; it generates a Job's selector; it folds a Secret's stringData; it refuses what
/// validation refuses (422 Invalid).
/// </summary>
public sealed class BuiltInStrictnessTests : ApiServerTest
{
    private static V1Deployment Deployment(string name = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    private async Task<HttpOperationException> Refused(Func<Task> call)
    {
        var e = (await call.Should().ThrowAsync<HttpOperationException>()).Which;
        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, e.Response.Content);
        return e;
    }

    [Fact]
    public async Task A_deployment_comes_back_with_the_defaults_and_an_update_without_them_changes_nothing()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(), "default");

        created.Spec.Strategy.Type.Should().Be("RollingUpdate");
        created.Spec.Strategy.RollingUpdate.MaxSurge.Value.Should().Be("25%");
        created.Spec.RevisionHistoryLimit.Should().Be(10);
        created.Spec.ProgressDeadlineSeconds.Should().Be(600);
        created.Spec.Template.Spec.DnsPolicy.Should().Be("ClusterFirst");
        created.Spec.Template.Spec.Containers[0].ImagePullPolicy.Should().Be("IfNotPresent");
        created.Metadata.Generation.Should().Be(1);

        // A controller that writes its desired object, without the defaults, over the live one: the server
        // defaults it again, finds nothing changed and keeps the resourceVersion (no event, no generation).
        var desired = Deployment();
        desired.Metadata.ResourceVersion = created.Metadata.ResourceVersion;
        var replaced = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(desired, "web", "default");

        replaced.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
        replaced.Metadata.Generation.Should().Be(1);
        replaced.Spec.Strategy.Type.Should().Be("RollingUpdate", "removing a defaulted field brings the default back");
    }

    [Fact]
    public async Task Generation_is_tracked_by_the_kinds_whose_strategy_tracks_it()
    {
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");
        var ns = await Client.CoreV1.ReadNamespaceAsync("default");

        service.Metadata.Generation.Should().BeNull("the Service strategy does not set metadata.generation");
        ns.Metadata.Generation.Should().BeNull();
    }

    [Fact]
    public async Task A_service_gets_a_cluster_ip_that_an_update_keeps_and_cannot_change()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Name = "http", Port = 80 }] },
        }, "default");

        created.Spec.ClusterIP.Should().StartWith("10.");
        created.Spec.ClusterIPs.Should().Equal(created.Spec.ClusterIP);
        created.Spec.IpFamilies.Should().Equal("IPv4");
        created.Spec.IpFamilyPolicy.Should().Be("SingleStack");
        created.Spec.SessionAffinity.Should().Be("None");
        created.Spec.InternalTrafficPolicy.Should().Be("Cluster");
        created.Spec.Ports[0].TargetPort.Value.Should().Be("80");

        var desired = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", ResourceVersion = created.Metadata.ResourceVersion },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Name = "http", Port = 80 }] },
        };
        var kept = await Client.CoreV1.ReplaceNamespacedServiceAsync(desired, "web", "default");
        kept.Spec.ClusterIP.Should().Be(created.Spec.ClusterIP, "an update that leaves the cluster IP out keeps it");
        kept.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);

        kept.Spec.ClusterIP = kept.Spec.ClusterIPs[0] = "10.96.9.9";
        var e = await Refused(() => Client.CoreV1.ReplaceNamespacedServiceAsync(kept, "web", "default"));
        e.Response.Content.Should().Contain("may not change once set");
    }

    [Fact]
    public async Task A_job_gets_its_generated_selector_and_labels_and_a_restart_policy_always_is_refused()
    {
        V1Job Job(string name, string restart) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "migrate" } },
                    Spec = new V1PodSpec { RestartPolicy = restart, Containers = [new V1Container { Name = "c", Image = "x:1" }] },
                },
            },
        };

        var job = await Client.BatchV1.CreateNamespacedJobAsync(Job("migrate", "Never"), "default");

        job.Spec.Selector.MatchLabels.Should().Equal(new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = job.Metadata.Uid });
        job.Spec.Template.Metadata.Labels.Should().Contain("batch.kubernetes.io/job-name", "migrate").And.Contain("controller-uid", job.Metadata.Uid);
        job.Metadata.Labels.Should().Contain("app", "migrate").And.Contain("batch.kubernetes.io/job-name", "migrate", "the Job shares its template's labels");
        job.Spec.BackoffLimit.Should().Be(6);
        job.Status.Should().NotBeNull();

        var e = await Refused(() => Client.BatchV1.CreateNamespacedJobAsync(Job("always", "Always"), "default"));
        e.Response.Content.Should().Contain("spec.template.spec.restartPolicy: Unsupported value: \\\"Always\\\"");

        job.Spec.Template.Spec.Containers[0].Image = "x:2";
        e = await Refused(() => Client.BatchV1.ReplaceNamespacedJobAsync(job, "migrate", "default"));
        e.Response.Content.Should().Contain("Job.batch \\\"migrate\\\" is invalid: spec.template");
    }

    [Fact]
    public async Task A_secrets_string_data_is_stored_as_data()
    {
        var secret = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Data = new Dictionary<string, byte[]> { ["user"] = Encoding.UTF8.GetBytes("old") },
            StringData = new Dictionary<string, string> { ["url"] = "postgres://db", ["user"] = "app" },
        }, "default");

        secret.StringData.Should().BeNull();
        secret.Type.Should().Be("Opaque");
        secret.Data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value)).Should().Equal(new Dictionary<string, string> { ["user"] = "app", ["url"] = "postgres://db" });
    }

    [Fact]
    public async Task An_ingress_path_without_path_type_is_refused()
    {
        var ingress = new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1IngressSpec
            {
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = "shop.example.com",
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [new V1HTTPIngressPath { Path = "/", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } }],
                        },
                    },
                ],
            },
        };

        var e = await Refused(() => Client.NetworkingV1.CreateNamespacedIngressAsync(ingress, "default"));

        e.Response.Content.Should().Contain("spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified");
        ingress.Spec.Rules[0].Http.Paths[0].PathType = "Prefix";
        (await Client.NetworkingV1.CreateNamespacedIngressAsync(ingress, "default")).Status.LoadBalancer.Should().NotBeNull();
    }

    [Fact]
    public async Task A_deployments_selector_is_immutable_and_must_match_its_template()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(), "default");
        created.Spec.Selector.MatchLabels["tier"] = "front";
        created.Spec.Template.Metadata.Labels["tier"] = "front";

        var e = await Refused(() => Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default"));
        e.Response.Content.Should().Contain("spec.selector: Invalid value: field is immutable");

        var mismatched = Deployment("other");
        mismatched.Spec.Template.Metadata.Labels["app"] = "different";
        e = await Refused(() => Client.AppsV1.CreateNamespacedDeploymentAsync(mismatched, "default"));
        e.Response.Content.Should().Contain("`selector` does not match template `labels`");
    }

    [Fact]
    public async Task Timestamps_of_built_in_objects_are_kept_to_the_second()
    {
        var at = new DateTime(2025, 6, 1, 12, 30, 45, 678, DateTimeKind.Utc);
        var created = await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = "default" },
            FirstTimestamp = at,
            LastTimestamp = at,
            EventTime = at,
            Reason = "Test",
        }, "default");

        var stored = Server.GetObject("", "events", "default", "e1")!;
        stored["firstTimestamp"]!.GetValue<string>().Should().Be("2025-06-01T12:30:45Z", "metav1.Time is stored to the second");
        stored["eventTime"]!.GetValue<string>().Should().Be("2025-06-01T12:30:45.678000Z", "metav1.MicroTime keeps microseconds");
        created.FirstTimestamp.Should().Be(new DateTime(2025, 6, 1, 12, 30, 45, DateTimeKind.Utc));
    }
}
