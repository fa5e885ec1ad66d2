using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>spec: the image, processes, config vars, routing and release phase.</summary>
internal sealed class WebAppSpecValidator : AbstractValidator<WebAppSpec>
{
    public WebAppSpecValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(spec => spec.Image)
            .At("image")
            .NotEmpty().Is(WebAppRules.Required)
            .Must(ImageReference.IsValid).Is(WebAppRules.Image);

        RuleForEach(spec => spec.ImagePullSecrets)
            .At("imagePullSecrets")
            .EveryItem()
            .ChildRules(secret => secret.RuleFor(reference => reference.Name)
                .At("name")
                .Must(KubernetesNames.IsDns1123Subdomain).Is(WebAppRules.ObjectName));

        RuleFor(spec => spec.Port)
            .At("port")
            .InclusiveBetween(1, 65535).Is(WebAppRules.Port);

        RuleFor(spec => spec.Processes)
            .At("processes")
            .NotEmpty().Is(WebAppRules.ProcessesRequired)
            .Must(processes => processes.Count <= WebAppValidator.MaxProcesses).Is(WebAppRules.ProcessCount);

        // Only web receives HTTP: the Service, the Ingress and the static sidecar all point at it.
        RuleFor(spec => spec.Processes)
            .At("processes." + WebAppApi.WebProcess)
            .Must(processes => processes is not null && processes.ContainsKey(WebAppApi.WebProcess))
            .Is(WebAppRules.WebProcessRequired)
            .When(spec => spec.Domains is not null || spec.Static is not null);

        RuleForEach(spec => RuleBuilderExtensions.ByKey(spec.Processes))
            .At("processes")
            .EveryItem()
            .OverrideIndexer(RuleBuilderExtensions.KeySegment)
            .SetValidator(new ProcessValidator());

        RuleFor(spec => spec.Release!)
            .At("release")
            .SetValidator(new ReleasePhaseValidator());

        RuleForEach(spec => spec.Env)
            .At("env")
            .EveryItem()
            .SetValidator(new EnvVarValidator());

        RuleFor(spec => spec.Env)
            .At("env")
            .Custom(ReportDuplicateEnvNames);

        RuleForEach(spec => spec.EnvFrom)
            .At("envFrom")
            .EveryItem()
            .SetValidator(new EnvFromSourceValidator());

        RuleFor(spec => spec.HealthCheck!)
            .At("healthCheck")
            .SetValidator(new HealthCheckValidator());

        RuleFor(spec => spec.Domains!)
            .At("domains")
            .SetValidator(new DomainsValidator());

        RuleFor(spec => spec.Static!)
            .At("static")
            .SetValidator(new StaticValidator());
    }

    // Kubernetes keeps the last of duplicate env names; a config var set twice is a mistake either way.
    // Reported at the second and later occurrences.
    private static void ReportDuplicateEnvNames(IList<k8s.Models.V1EnvVar>? env, ValidationContext<WebAppSpec> context)
    {
        if (env is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < env.Count; i++)
        {
            var name = env[i]?.Name;
            if (!string.IsNullOrEmpty(name) && !seen.Add(name))
            {
                context.AddFailure($"{context.PropertyPath}[{i}].name", WebAppRules.EnvNameDuplicate);
            }
        }
    }
}
