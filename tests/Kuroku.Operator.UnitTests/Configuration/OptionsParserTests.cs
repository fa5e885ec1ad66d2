using Kuroku.Operator.Configuration;

namespace Kuroku.Operator.UnitTests.Configuration;

public sealed class OptionsParserTests
{
    private static readonly Dictionary<string, string?> NoEnv = [];

    [Fact]
    public void Flags_win_over_environment_variables()
    {
        var (options, errors) = OptionsParser.Parse(
            ["--workers", "8", "--default-domain=apps.example.com"],
            new Dictionary<string, string?> { ["KUROKU_WORKERS"] = "3", ["KUROKU_NGINX_IMAGE"] = "nginx:1.27" });

        errors.Should().BeEmpty();
        options!.Workers.Should().Be(8);
        options.DefaultDomain.Should().Be("apps.example.com");
        options.NginxImage.Should().Be("nginx:1.27");
    }

    [Fact]
    public void Leader_election_is_on_in_a_cluster_and_off_with_a_kubeconfig()
    {
        var cluster = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["POD_NAMESPACE"] = "kuroku", ["POD_NAME"] = "kuroku-0" };
        var inCluster = OptionsParser.Parse([], cluster).Options!;
        inCluster.LeaderElection.Should().BeTrue();
        inCluster.LeaderElectionNamespace.Should().Be("kuroku");
        inCluster.Identity.Should().Be("kuroku-0");

        OptionsParser.Parse(["--kubeconfig", "/tmp/k"], NoEnv).Options!.LeaderElection.Should().BeFalse();
        OptionsParser.Parse(["--leader-election", "true", "--kubeconfig", "/tmp/k"], NoEnv).Options!.LeaderElection.Should().BeTrue();
    }

    [Theory]
    [InlineData(new[] { "--workers", "0" }, "--workers: \"0\" must be a whole number from 1 to 64")]
    [InlineData(new[] { "--workers", "many" }, "--workers: \"many\" must be a whole number from 1 to 64")]
    [InlineData(new[] { "--namespace", "Team_A" }, "--namespace: \"Team_A\" must be a namespace name (a DNS label)")]
    [InlineData(new[] { "--default-domain", "-bad-.com" }, "--default-domain: \"-bad-.com\" must be a DNS domain such as apps.example.com")]
    [InlineData(new[] { "--leader-election", "yes" }, "--leader-election: \"yes\" must be true or false")]
    [InlineData(new[] { "--http-port", "9443" }, "--http-port and --webhook-port must differ (both 9443)")]
    [InlineData(new[] { "--frobnicate" }, "--frobnicate: unknown option")]
    [InlineData(new[] { "--workers" }, "--workers: a value is required")]
    public void Bad_values_are_refused_naming_the_flag_and_the_rule(string[] args, string error)
    {
        var (options, errors) = OptionsParser.Parse(args, NoEnv);
        options.Should().BeNull();
        errors.Should().Contain(error);
    }

    [Fact]
    public void A_bad_environment_variable_is_named_as_such_and_all_errors_come_together()
    {
        var (_, errors) = OptionsParser.Parse(["--workers", "100"],
            new Dictionary<string, string?> { ["KUROKU_WEBHOOKS"] = "maybe" });

        errors.Should().BeEquivalentTo([
            "--workers: \"100\" must be a whole number from 1 to 64",
            "KUROKU_WEBHOOKS: \"maybe\" must be true or false",
        ]);
    }
}
