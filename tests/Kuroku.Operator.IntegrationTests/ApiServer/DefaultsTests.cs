using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Defaults;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// The defaulting functions, one per kind, against the values in kube-apiserver's source (kubernetes/kubernetes,
/// the 1.3x tree); each test names the function it mirrors. The objects are what a controller writes: the
/// fields it leaves out come back with these values, on create and on every update.
/// </summary>
public sealed class DefaultsTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonNode Node(string json) => JsonNode.Parse(json)!;

    private static JsonObject Container(JsonObject podSpec, int i = 0) => podSpec["containers"]![i]!.AsObject();

    [Fact]
    public void A_deployment_gets_SetDefaults_Deployment_and_its_pod_template_SetDefaults_PodSpec()
    {
        var d = Json("""{"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"web","image":"ghcr.io/acme/hello:1.0.0"}]}}}}""");

        AppsDefaults.Deployment(d);

        // pkg/apis/apps/v1/defaults.go SetDefaults_Deployment
        var spec = d["spec"]!;
        spec["replicas"]!.GetValue<int>().Should().Be(1);
        JsonNode.DeepEquals(spec["strategy"], Json("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""")).Should().BeTrue();
        spec["revisionHistoryLimit"]!.GetValue<int>().Should().Be(10);
        spec["progressDeadlineSeconds"]!.GetValue<int>().Should().Be(600);
        // pkg/apis/core/v1/defaults.go SetDefaults_PodSpec
        var pod = spec["template"]!["spec"]!;
        pod["dnsPolicy"]!.GetValue<string>().Should().Be("ClusterFirst");
        pod["restartPolicy"]!.GetValue<string>().Should().Be("Always");
        JsonNode.DeepEquals(pod["securityContext"], new JsonObject()).Should().BeTrue();
        pod["terminationGracePeriodSeconds"]!.GetValue<int>().Should().Be(30);
        pod["schedulerName"]!.GetValue<string>().Should().Be("default-scheduler");
        // SetDefaults_Container
        var c = Container(pod.AsObject());
        c["imagePullPolicy"]!.GetValue<string>().Should().Be("IfNotPresent");
        c["terminationMessagePath"]!.GetValue<string>().Should().Be("/dev/termination-log");
        c["terminationMessagePolicy"]!.GetValue<string>().Should().Be("File");
        JsonNode.DeepEquals(c["resources"], new JsonObject()).Should().BeTrue("ResourceRequirements is a struct: the API always shows it");
    }

    [Fact]
    public void A_recreate_strategy_gets_no_rolling_update_and_given_values_are_kept()
    {
        var d = Json("""{"spec":{"replicas":0,"strategy":{"type":"Recreate"},"revisionHistoryLimit":2}}""");

        AppsDefaults.Deployment(d);

        JsonNode.DeepEquals(d["spec"]!["strategy"], Json("""{"type":"Recreate"}""")).Should().BeTrue();
        d["spec"]!["replicas"]!.GetValue<int>().Should().Be(0, "a pointer set to 0 is set");
        d["spec"]!["revisionHistoryLimit"]!.GetValue<int>().Should().Be(2);
    }

    [Theory]
    // pkg/apis/core/v1/defaults.go SetDefaults_Container with pkg/util/parsers.ParseImageName:
    // "latest" (written or implied by no tag and no digest) pulls Always, anything else IfNotPresent.
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("registry.example.com:5000/acme/web", "Always")]
    [InlineData("registry.example.com:5000/acme/web:1.2", "IfNotPresent")]
    [InlineData("nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000", "IfNotPresent")]
    [InlineData("nginx:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000", "Always")]
    public void Image_pull_policy_depends_on_the_tag(string image, string policy)
    {
        var c = Json($$"""{"name":"c","image":"{{image}}"}""");

        PodSpecDefaults.Container(c);

        c["imagePullPolicy"]!.GetValue<string>().Should().Be(policy);
    }

    [Fact]
    public void Probes_ports_env_and_volumes_get_their_defaults()
    {
        var spec = Json("""
            {"containers":[{"name":"c","image":"x:1",
              "ports":[{"containerPort":8080}],
              "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
              "readinessProbe":{"httpGet":{"port":"http"}},
              "livenessProbe":{"grpc":{"port":9000},"timeoutSeconds":5},
              "lifecycle":{"preStop":{"httpGet":{"port":80}}}}],
             "volumes":[{"name":"scratch"},{"name":"s","secret":{"secretName":"s"}},{"name":"c","configMap":{"name":"c"}},
               {"name":"h","hostPath":{"path":"/x"}},{"name":"p","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]}
            """);

        PodSpecDefaults.Spec(spec);

        var c = Container(spec);
        // zz_generated.defaults.go: container port protocol "TCP"; SetDefaults_ObjectFieldSelector apiVersion "v1"
        c["ports"]![0]!["protocol"]!.GetValue<string>().Should().Be("TCP");
        c["env"]![0]!["valueFrom"]!["fieldRef"]!["apiVersion"]!.GetValue<string>().Should().Be("v1");
        // SetDefaults_Probe: timeout 1, period 10, success 1, failure 3; SetDefaults_HTTPGetAction: path "/", scheme HTTP
        JsonNode.DeepEquals(c["readinessProbe"], Json("""{"httpGet":{"port":"http","path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""")).Should().BeTrue();
        c["livenessProbe"]!["timeoutSeconds"]!.GetValue<int>().Should().Be(5);
        c["livenessProbe"]!["grpc"]!["service"]!.GetValue<string>().Should().Be("", "GRPCAction.Service is +default=\"\"");
        c["lifecycle"]!["preStop"]!["httpGet"]!["scheme"]!.GetValue<string>().Should().Be("HTTP");
        // SetDefaults_Volume: no source is emptyDir; Secret/ConfigMap/Projected defaultMode 0644 (420); hostPath type ""; token 3600 s
        var volumes = spec["volumes"]!.AsArray();
        JsonNode.DeepEquals(volumes[0]!["emptyDir"], new JsonObject()).Should().BeTrue();
        volumes[1]!["secret"]!["defaultMode"]!.GetValue<int>().Should().Be(420);
        volumes[2]!["configMap"]!["defaultMode"]!.GetValue<int>().Should().Be(420);
        volumes[3]!["hostPath"]!["type"]!.GetValue<string>().Should().Be("");
        volumes[4]!["projected"]!["defaultMode"]!.GetValue<int>().Should().Be(420);
        volumes[4]!["projected"]!["sources"]![0]!["serviceAccountToken"]!["expirationSeconds"]!.GetValue<int>().Should().Be(3600);
    }

    [Fact]
    public void A_service_gets_SetDefaults_Service()
    {
        var s = Json("""{"spec":{"selector":{"a":"b"},"ports":[{"port":80},{"port":443,"targetPort":"https"}]}}""");

        CoreDefaults.Service(s);

        // pkg/apis/core/v1/defaults.go SetDefaults_Service
        var spec = s["spec"]!;
        spec["sessionAffinity"]!.GetValue<string>().Should().Be("None");
        spec["type"]!.GetValue<string>().Should().Be("ClusterIP");
        spec["internalTrafficPolicy"]!.GetValue<string>().Should().Be("Cluster");
        spec["externalTrafficPolicy"].Should().BeNull("a ClusterIP Service is not externally accessible");
        JsonNode.DeepEquals(spec["ports"], Node("""[{"port":80,"protocol":"TCP","targetPort":80},{"port":443,"targetPort":"https","protocol":"TCP"}]""")).Should().BeTrue();
    }

    [Fact]
    public void A_load_balancer_and_client_ip_affinity_get_their_defaults()
    {
        var s = Json("""{"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":80}]}}""");

        CoreDefaults.Service(s);

        var spec = s["spec"]!;
        spec["sessionAffinityConfig"]!["clientIP"]!["timeoutSeconds"]!.GetValue<int>().Should().Be(10800);
        spec["externalTrafficPolicy"]!.GetValue<string>().Should().Be("Cluster");
        spec["allocateLoadBalancerNodePorts"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void A_job_gets_SetDefaults_Job()
    {
        var j = Json("""{"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x:1"}]}}}}""");

        BatchDefaults.Job(j);

        // pkg/apis/batch/v1/defaults.go SetDefaults_Job
        var spec = j["spec"]!;
        spec["completions"]!.GetValue<int>().Should().Be(1);
        spec["parallelism"]!.GetValue<int>().Should().Be(1);
        spec["backoffLimit"]!.GetValue<int>().Should().Be(6);
        spec["completionMode"]!.GetValue<string>().Should().Be("NonIndexed");
        spec["suspend"]!.GetValue<bool>().Should().BeFalse();
        spec["manualSelector"]!.GetValue<bool>().Should().BeFalse();
        spec["podReplacementPolicy"]!.GetValue<string>().Should().Be("TerminatingOrFailed");
        j["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("x", "a Job without labels takes its template's");
        spec["template"]!["spec"]!["dnsPolicy"]!.GetValue<string>().Should().Be("ClusterFirst");
    }

    [Fact]
    public void A_job_with_parallelism_only_a_pod_failure_policy_or_a_backoff_per_index_gets_the_other_defaults()
    {
        var j = Json("""{"spec":{"parallelism":3,"backoffLimitPerIndex":1,"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},"template":{}}}""");

        BatchDefaults.Job(j);

        var spec = j["spec"]!;
        spec["completions"].Should().BeNull("completions is defaulted only when parallelism is unset too");
        spec["backoffLimit"]!.GetValue<int>().Should().Be(int.MaxValue);
        spec["podReplacementPolicy"]!.GetValue<string>().Should().Be("Failed");
        spec["podFailurePolicy"]!["rules"]![0]!["onPodConditions"]![0]!["status"]!.GetValue<string>().Should().Be("True");
    }

    [Fact]
    public void A_cronjob_gets_SetDefaults_CronJob_and_its_job_templates_pod_spec()
    {
        var c = Json("""{"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"x"}]}}}}}}""");

        BatchDefaults.CronJob(c);

        // pkg/apis/batch/v1/defaults.go SetDefaults_CronJob
        var spec = c["spec"]!;
        spec["concurrencyPolicy"]!.GetValue<string>().Should().Be("Allow");
        spec["suspend"]!.GetValue<bool>().Should().BeFalse();
        spec["successfulJobsHistoryLimit"]!.GetValue<int>().Should().Be(3);
        spec["failedJobsHistoryLimit"]!.GetValue<int>().Should().Be(1);
        spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>().Should().Be("Always");
        spec["jobTemplate"]!["spec"]!["backoffLimit"].Should().BeNull("Job defaults apply to Jobs, not to a CronJob's template");
    }

    [Fact]
    public void An_hpa_gets_SetDefaults_HorizontalPodAutoscaler_and_a_partial_behavior_is_completed()
    {
        var h = Json("""{"spec":{"maxReplicas":5,"behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}}""");

        AutoscalingDefaults.HorizontalPodAutoscaler(h);

        // pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, CPU 80%, scale-up 4 pods / 100% per 15 s, scale-down 100% per 15 s
        var spec = h["spec"]!;
        spec["minReplicas"]!.GetValue<int>().Should().Be(1);
        JsonNode.DeepEquals(spec["metrics"], Node("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""")).Should().BeTrue();
        JsonNode.DeepEquals(spec["behavior"]!["scaleUp"], Json("""{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]}""")).Should().BeTrue();
        JsonNode.DeepEquals(spec["behavior"]!["scaleDown"], Json("""{"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}],"stabilizationWindowSeconds":60}""")).Should().BeTrue();
    }

    [Fact]
    public void An_hpa_without_behavior_gets_none()
    {
        var h = Json("""{"spec":{"maxReplicas":5,"metrics":[{"type":"Pods"}]}}""");

        AutoscalingDefaults.HorizontalPodAutoscaler(h);

        h["spec"]!["behavior"].Should().BeNull();
        h["spec"]!["metrics"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public void A_namespace_a_secret_and_a_pod_get_theirs()
    {
        var ns = Json("""{"metadata":{"name":"shop"}}""");
        var secret = Json("""{"metadata":{"name":"s"}}""");
        var pod = Json("""{"spec":{"containers":[{"name":"c","image":"x:1","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}}]}}""");

        CoreDefaults.Namespace(ns);
        CoreDefaults.Secret(secret);
        CoreDefaults.Pod(pod);

        // SetDefaults_Namespace, SetDefaults_NamespaceStatus, SetDefaults_Secret, SetDefaults_Pod
        ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>().Should().Be("shop");
        ns["status"]!["phase"]!.GetValue<string>().Should().Be("Active");
        secret["type"]!.GetValue<string>().Should().Be("Opaque");
        JsonNode.DeepEquals(pod["spec"]!["containers"]![0]!["resources"]!["requests"], Json("""{"cpu":"500m","memory":"1Gi"}""")).Should().BeTrue("requests default to limits");
        pod["spec"]!["enableServiceLinks"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void A_crd_gets_its_list_kind_singular_and_conversion()
    {
        var crd = Json("""{"spec":{"names":{"kind":"WebApp","plural":"webapps"}}}""");

        ApiExtensionsDefaults.CustomResourceDefinition(crd);

        // apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go SetDefaults_CustomResourceDefinitionSpec
        crd["spec"]!["names"]!["singular"]!.GetValue<string>().Should().Be("webapp");
        crd["spec"]!["names"]!["listKind"]!.GetValue<string>().Should().Be("WebAppList");
        crd["spec"]!["conversion"]!["strategy"]!.GetValue<string>().Should().Be("None");
    }

    [Fact]
    public void Defaults_never_overwrite_what_the_object_says()
    {
        var d = Json("""{"spec":{"replicas":3,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"template":{"spec":{"dnsPolicy":"Default","containers":[{"name":"c","image":"x","imagePullPolicy":"Never"}]}}}}""");
        var before = d.DeepClone();

        AppsDefaults.Deployment(d);

        d["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        d["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<int>().Should().Be(1);
        d["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<string>().Should().Be("25%");
        d["spec"]!["template"]!["spec"]!["dnsPolicy"]!.GetValue<string>().Should().Be("Default");
        d["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>().Should().Be("Never");
        JsonNode.DeepEquals(d, before).Should().BeFalse();
    }
}
