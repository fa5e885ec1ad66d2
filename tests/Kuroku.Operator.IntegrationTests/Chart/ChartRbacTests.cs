using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.Chart;

public sealed class ChartRbacTests
{
    private static readonly string[] AllVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    /// <summary>What the operator manages (group, resource, verbs), as the operator's conventions state.</summary>
    public static TheoryData<string, string, string> OperatorNeeds => new()
    {
        { "kuroku.dev", "webapps", "get list watch update patch" },
        { "kuroku.dev", "webapps/status", "get update patch" },
        { "kuroku.dev", "webapps/finalizers", "update" },
        { "apps", "deployments", string.Join(' ', AllVerbs) },
        { "apps", "controllerrevisions", string.Join(' ', AllVerbs) },
        { "", "services", string.Join(' ', AllVerbs) },
        { "", "configmaps", string.Join(' ', AllVerbs) },
        { "networking.k8s.io", "ingresses", string.Join(' ', AllVerbs) },
        { "autoscaling", "horizontalpodautoscalers", string.Join(' ', AllVerbs) },
        { "policy", "poddisruptionbudgets", string.Join(' ', AllVerbs) },
        { "batch", "jobs", string.Join(' ', AllVerbs) },
        { "batch", "cronjobs", string.Join(' ', AllVerbs) },
        { "", "secrets", "get list watch" },
        { "", "events", "create patch" },
    };

    public static TheoryData<int, string> Scenarios => ChartScenario.WithEveryHelm();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task No_rule_uses_a_wildcard_and_every_rule_lists_its_verbs(int helm, string scenario)
    {
        var objects = await HelmChart.RenderObjectsAsync(helm, ChartScenario.All[scenario]);

        var rules = objects.Rules().ToList();

        rules.Should().NotBeEmpty();
        foreach (var (role, rule) in rules)
        {
            rule.Verbs.Should().NotBeNullOrEmpty($"{role} lists its verbs");
            rule.Verbs.Should().OnlyContain(v => AllVerbs.Contains(v), $"{role} names only plain verbs, never \"*\"");
            (rule.ApiGroups ?? []).Should().NotContain("*", role);
            (rule.Resources ?? []).Should().NotBeEmpty(role).And.NotContain(r => r.Contains('*'), role);
            rule.NonResourceURLs.Should().BeNullOrEmpty(role);
        }
    }

    [Theory]
    [MemberData(nameof(OperatorNeeds))]
    public async Task The_controller_role_grants_exactly_what_the_operator_manages(string group, string resource, string verbs)
    {
        foreach (var (scenario, roleKind) in new[] { ("defaults", "ClusterRole"), ("watchNamespace", "Role shop/") })
        {
            var objects = await HelmChart.RenderObjectsAsync(3, ChartScenario.All[scenario]);

            var granted = objects.Rules()
                .Where(r => r.Role.StartsWith(roleKind, StringComparison.Ordinal) && r.Role.EndsWith("-controller", StringComparison.Ordinal))
                .Where(r => r.Rule.ApiGroups.Contains(group) && r.Rule.Resources.Contains(resource))
                .SelectMany(r => r.Rule.Verbs)
                .ToHashSet();

            granted.Should().BeEquivalentTo(verbs.Split(' '), $"{scenario}: {group}/{resource} through the {roleKind} controller role");
        }
    }

    [Fact]
    public async Task Watching_one_namespace_grants_no_cluster_wide_controller_rights()
    {
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["watchNamespace"]);

        objects.OfType<V1ClusterRole>().Should().OnlyContain(
            r => r.Rules.All(rule => rule.ApiGroups.SequenceEqual(new[] { "admissionregistration.k8s.io" }) && rule.ResourceNames.Count == 1),
            "the only cluster-wide right left is patching the chart's own webhook configuration");
        var binding = objects.OfType<V1RoleBinding>().Single(b => b.Name().EndsWith("-controller", StringComparison.Ordinal));
        binding.Namespace().Should().Be("shop");
        binding.Subjects.Should().ContainSingle().Which.NamespaceProperty.Should().Be(HelmChart.ReleaseNamespace);
    }

    [Fact]
    public async Task Self_signed_TLS_may_write_only_its_own_Secret_and_webhook_configuration()
    {
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["defaults"]);
        var webhook = objects.Single<V1ValidatingWebhookConfiguration>();
        var secret = objects.Single<V1Secret>();
        var mounted = objects.Single<V1Deployment>().Spec.Template.Spec.Volumes.Single(v => v.Secret is not null).Secret.SecretName;

        var writes = objects.Rules().Where(r => r.Rule.Verbs.Contains("update")).Select(r => r.Rule).ToList();
        writes.Single(r => r.Resources.Contains("validatingwebhookconfigurations")).ResourceNames
            .Should().Equal(webhook.Name());
        writes.Single(r => r.Resources.Contains("secrets")).ResourceNames.Should().Equal(secret.Name());
        mounted.Should().Be(secret.Name(), "the operator serves the certificate it stored");
        objects.OfType<V1Role>().Single(r => r.Rules.Any(rule => rule.Resources.Contains("secrets")))
            .Namespace().Should().Be(HelmChart.ReleaseNamespace);
    }

    [Fact]
    public async Task With_cert_manager_the_operator_gets_no_write_access_to_secrets_or_webhook_configurations()
    {
        var objects = await HelmChart.RenderObjectsAsync(4, ChartScenario.All["certManager"]);

        objects.Rules().Should().NotContain(r =>
            r.Rule.Resources.Contains("validatingwebhookconfigurations")
            || (r.Rule.Resources.Contains("secrets") && r.Rule.Verbs.Any(v => v != "get" && v != "list" && v != "watch")));
    }

    [Fact]
    public async Task Leader_election_may_only_get_create_and_update_leases_in_the_release_namespace()
    {
        var objects = await HelmChart.RenderObjectsAsync(3, ChartScenario.All["defaults"]);

        var leases = objects.Rules().Where(r => r.Rule.Resources.Contains("leases")).ToList();

        leases.Should().ContainSingle();
        leases[0].Role.Should().StartWith($"Role {HelmChart.ReleaseNamespace}/");
        leases[0].Rule.ApiGroups.Should().Equal("coordination.k8s.io");
        leases[0].Rule.Verbs.Should().BeEquivalentTo("get", "create", "update");
    }
}
