using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;

namespace Kuroku.Operator.UnitTests.Cli;

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

    [Fact]
    public void The_api_rate_limit_is_off_by_default_and_reads_flags_and_variables()
    {
        var defaults = OptionsParser.Parse([], NoEnv).Options!;
        defaults.KubeApiQps.Should().Be(0, "no client-side limit: the API server's Priority and Fairness protects it");
        defaults.KubeApiBurst.Should().Be(400);

        var (options, errors) = OptionsParser.Parse(["--kube-api-qps", "50.5"],
            new Dictionary<string, string?> { ["KUROKU_KUBE_API_QPS"] = "10", ["KUROKU_KUBE_API_BURST"] = "60" });

        errors.Should().BeEmpty();
        options!.KubeApiQps.Should().Be(50.5);
        options.KubeApiBurst.Should().Be(60);
        OptionsParser.Parse(["--kube-api-qps=1e+06", "--kube-api-burst=2000000"], NoEnv).Options!.KubeApiQps
            .Should().Be(1_000_000, "Helm prints a large float that way");
    }

    [Theory]
    [InlineData(new[] { "--kube-api-qps", "-5" }, "--kube-api-qps: \"-5\" must be 0 (no limit) or a number above 0, such as 200 or 50.5")]
    [InlineData(new[] { "--kube-api-qps", "NaN" }, "--kube-api-qps: \"NaN\" must be 0 (no limit) or a number above 0, such as 200 or 50.5")]
    [InlineData(new[] { "--kube-api-burst", "1.5" }, "--kube-api-burst: \"1.5\" must be a whole number of 1 or more")]
    [InlineData(new[] { "--kube-api-burst", "0" }, "--kube-api-burst: \"0\" must be a whole number of 1 or more")]
    [InlineData(new[] { "--kube-api-qps", "500" }, "--kube-api-burst must be at least --kube-api-qps (burst 400, qps 500)")]
    [InlineData(new[] { "--kube-api-burst", "100", "--kube-api-qps", "200" }, "--kube-api-burst must be at least --kube-api-qps (burst 100, qps 200)")]
    public void Bad_rate_limits_are_refused_naming_the_flag_and_the_rule(string[] args, string error)
    {
        var (options, errors) = OptionsParser.Parse(args, NoEnv);

        options.Should().BeNull();
        errors.Should().Equal(error);
    }

    [Fact]
    public void A_conflict_names_the_variables_that_set_the_values()
    {
        var (_, errors) = OptionsParser.Parse([],
            new Dictionary<string, string?> { ["KUROKU_KUBE_API_BURST"] = "10", ["KUROKU_KUBE_API_QPS"] = "200", ["KUROKU_HTTP_PORT"] = "9443" });

        errors.Should().Equal(
            "KUROKU_HTTP_PORT and --webhook-port must differ (both 9443)",
            "KUROKU_KUBE_API_BURST must be at least KUROKU_KUBE_API_QPS (burst 10, qps 200)");
    }

    [Theory]
    [InlineData(new[] { "--workers=" }, "--workers: a value is required")]
    [InlineData(new[] { "--workers=", "8" }, "--workers: a value is required")]
    [InlineData(new[] { "--workers", "--namespace", "shop" }, "--workers: a value is required")]
    [InlineData(new[] { "--namespace", "shop\n" }, "--namespace: \"shop\\n\" must be a namespace name (a DNS label)")]
    [InlineData(new[] { "--kubeconfig", "" }, "--kubeconfig: \"\" must be a path")]
    [InlineData(new[] { "@options.txt" }, "@options.txt: unknown option")]
    [InlineData(new[] { "--", "--workers", "3" }, "--: unknown option")]
    public void Lines_the_old_parser_let_through_or_misread_are_refused(string[] args, string error)
    {
        var (options, errors) = OptionsParser.Parse(args, NoEnv);

        options.Should().BeNull();
        errors.Should().Contain(error);
    }

    [Fact]
    public void The_last_of_a_repeated_flag_wins_and_an_empty_variable_counts_as_unset()
    {
        var (options, errors) = OptionsParser.Parse(["--workers", "3", "--workers=5"],
            new Dictionary<string, string?> { ["KUROKU_DEFAULT_DOMAIN"] = "", ["KUROKU_WATCH_NAMESPACE"] = "" });

        errors.Should().BeEmpty();
        options!.Workers.Should().Be(5);
        options.DefaultDomain.Should().BeNull();
        options.Namespace.Should().BeNull();
    }

    [Fact]
    public void Help_lists_every_run_option_with_its_variable_and_default()
    {
        var help = OptionsParser.Usage;

        help.Should().StartWith("Description:").And.Contain("Usage:\n  kuroku run [options]");
        foreach (var setting in OperatorSettings.Run)
        {
            help.Should().Contain($"{setting.Flag} <{setting.ValueName}>");
            if (setting.Variable is not null)
            {
                help.Should().Contain("env " + setting.Variable);
            }

            if (setting.Default is not null)
            {
                help.Should().Contain("default " + setting.Default);
            }
        }
    }
}
