using Kuroku.Api.Validation;
using Kuroku.Benchmarks.Fleet;
using Kuroku.Operator.Reconciliation.Releases;

namespace Kuroku.Benchmarks.Tests;

public sealed class AppMixTests
{
    private readonly AppMix mix = new("abc123", 42, 4, "kb-abc123");

    [Fact]
    public void Apps_are_dealt_evenly_over_the_four_kinds()
    {
        mix.Apps.Should().HaveCount(42);
        mix.Apps.GroupBy(a => a.Kind).Select(g => g.Count()).Should().BeEquivalentTo([11, 11, 10, 10]);
        mix.Apps.Select(a => a.Key).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_namespace_holds_one_kind_and_at_most_the_apps_per_namespace()
    {
        foreach (var group in mix.Apps.GroupBy(a => a.Namespace))
        {
            group.Count().Should().BeLessThanOrEqualTo(4);
            group.Select(a => a.Kind).Distinct().Should().ContainSingle()
                .Which.Should().Be(AppMix.KindOfNamespace(group.Key, "kb-abc123"));
        }

        mix.Namespaces.Should().HaveCount(12);
        AppMix.KindOfNamespace("kb-abc123-f", "kb-abc123").Should().BeNull();
        AppMix.KindOfNamespace("default", "kb-abc123").Should().BeNull();
    }

    [Fact]
    public void Every_app_is_valid_by_the_operators_own_rules()
    {
        var validator = new WebAppValidator();
        foreach (var app in mix.Apps)
        {
            var result = validator.Validate(mix.WebApp(app));
            result.Errors.Should().BeEmpty(app.Name);
        }
    }

    [Fact]
    public void Each_kind_has_its_shape()
    {
        var byKind = mix.Apps.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => mix.WebApp(g.First()));

        byKind[AppKind.Web].Spec.Processes.Keys.Should().BeEquivalentTo(["web"]);
        byKind[AppKind.Web].Spec.Domains.Should().BeNull();
        byKind[AppKind.WebWorker].Spec.Processes.Keys.Should().BeEquivalentTo(["web", "worker"]);
        byKind[AppKind.HostsStatic].Spec.Domains!.Hosts.Should().ContainSingle();
        byKind[AppKind.HostsStatic].Spec.Static.Should().NotBeNull();
        ExpectedChildren.For(byKind[AppKind.HostsStatic], 1).Select(c => c.Kind).Should().Contain(["Ingress", "PodDisruptionBudget", "ControllerRevision"]);
        ExpectedChildren.For(byKind[AppKind.Web], 1).Should().BeEquivalentTo(
            [("ConfigMap", "web-00000-router"), ("Service", "web-00000"), ("Deployment", "web-00000-web"), ("ControllerRevision", "web-00000-v1")]);
    }

    [Fact]
    public void The_secret_config_kind_reads_exactly_the_secrets_the_benchmark_creates()
    {
        var app = mix.Apps.First(a => a.Kind == AppKind.SecretConfig);
        var secrets = AppMix.Secrets(app);

        var references = ConfigReferences.Collect(mix.WebApp(app));
        references.Select(r => (r.Kind, r.Name)).Distinct().Should().BeEquivalentTo(secrets.Select(s => ("Secret", s.Metadata.Name)));
        references.Should().Contain(r => r.Key == null).And.Contain(r => r.Key == "url");
        foreach (var reference in references.Where(r => r.Key is not null))
        {
            secrets.Single(s => s.Metadata.Name == reference.Name).Data.Should().ContainKey(reference.Key!);
        }

        mix.Apps.Where(a => a.Kind != AppKind.SecretConfig).SelectMany(AppMix.Secrets).Should().BeEmpty();
    }

    [Fact]
    public void A_new_release_changes_only_the_image_tag()
    {
        AppMix.Image(AppKind.Web, 1).Should().Be("registry.example.com/bench/web:1.0.0");
        AppMix.Image(AppKind.Web, 2).Should().Be("registry.example.com/bench/web:1.0.1");
    }
}
