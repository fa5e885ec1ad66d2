using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>One pass reports every broken rule, in a stable order, not only the first.</summary>
public sealed class WebAppValidatorReportsAllFailuresTests
{
    private static readonly WebAppValidator Validator = new();

    [Fact]
    public void Every_failure_across_fields_list_items_and_map_entries_is_reported()
    {
        var app = WebAppExamples.Full();
        app.Metadata.Name = "Shop";
        app.Spec.Port = 0;
        app.Spec.Processes["worker"].Replicas = -1;
        app.Spec.Processes["worker"].Size = "huge";
        app.Spec.Processes["Clock"] = new ProcessSpec { Command = ["", "x", ""] };
        app.Spec.Env![0].Name = "1A";
        app.Spec.Env[1].Name = "2B";
        app.Spec.Env.Add(new V1EnvVar { Name = "PORT", Value = "80" });
        app.Spec.Domains!.Hosts = ["10.0.0.1", "Shop.example.com", "ok.example.com", "ok.example.com"];
        app.Spec.Static!.Path = "/";
        app.Spec.Release!.BackoffLimit = 99;

        var lines = Validator.Validate(app).ToFieldErrors();

        lines.Should().Equal(
            "metadata.name: names must be lower-case DNS-1035 labels (a-z, 0-9, '-', starting with a letter, ending with a letter or digit)",
            "spec.port: port must be between 1 and 65535",
            "spec.processes.Clock: process names must be lower-case DNS labels (a-z, 0-9, '-')",
            "spec.processes.Clock.command[0]: command and args items must not be empty",
            "spec.processes.Clock.command[2]: command and args items must not be empty",
            "spec.processes.worker.replicas: replicas must not be negative",
            "spec.processes.worker.size: size must be one of eco, basic, standard-1x, standard-2x, performance-m, performance-l",
            "spec.release.backoffLimit: backoffLimit must be between 0 and 10",
            "spec.env[0].name: env names must consist of letters, digits, '_', '-' and '.', must not start with a digit and must not be '.' or start with '..'",
            "spec.env[1].name: env names must consist of letters, digits, '_', '-' and '.', must not start with a digit and must not be '.' or start with '..'",
            "spec.env[2].name: PORT is set by the platform from spec.port",
            "spec.domains.hosts[0]: hosts must be DNS names, not IP addresses",
            "spec.domains.hosts[1]: hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'",
            "spec.domains.hosts[3]: hosts must be unique",
            "spec.static.path: static paths must not be '/' (every other path reaches the web process)");
    }

    [Fact]
    public void Within_one_field_only_the_first_broken_rule_is_reported()
    {
        var app = WebAppExamples.Full();
        app.Spec.Static!.Path = "static/../x y";

        Validator.Validate(app).ToFieldErrors().Should().Equal("spec.static.path: static paths must start with '/'");
    }

    [Fact]
    public void Map_entries_are_reported_in_key_order_whatever_the_insertion_order()
    {
        static WebApp With(params string[] processNames)
        {
            var app = WebAppExamples.Minimal();
            app.Spec.Processes.Clear();
            foreach (var name in processNames)
            {
                app.Spec.Processes[name] = new ProcessSpec { Replicas = -1 };
            }

            return app;
        }

        var forward = Validator.Validate(With("web", "b", "a")).ToFieldErrors();
        var backward = Validator.Validate(With("a", "b", "web")).ToFieldErrors();

        forward.Should().Equal(
            "spec.processes.a.replicas: replicas must not be negative",
            "spec.processes.b.replicas: replicas must not be negative",
            "spec.processes.web.replicas: replicas must not be negative");
        backward.Should().Equal(forward);
    }

    [Fact]
    public void Each_failure_carries_its_path_as_property_name_and_its_rule_as_code_and_message()
    {
        var app = WebAppExamples.Full();
        app.Spec.Env![1].ValueFrom.SecretKeyRef.Key = "a b";

        var failure = Validator.Validate(app).Errors.Should().ContainSingle().Subject;

        failure.PropertyName.Should().Be("spec.env[1].valueFrom.secretKeyRef.key");
        failure.ErrorCode.Should().Be(WebAppRules.ConfigKey.Code);
        failure.ErrorMessage.Should().Be(WebAppRules.ConfigKey.Message);
        failure.ToFieldError().Should().Be($"spec.env[1].valueFrom.secretKeyRef.key: {WebAppRules.ConfigKey.Message}");
    }
}
