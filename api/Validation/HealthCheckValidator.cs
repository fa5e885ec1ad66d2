using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>spec.healthCheck: the HTTP path of the web process's probes and its boot timeout.</summary>
internal sealed class HealthCheckValidator : AbstractValidator<HealthCheckSpec>
{
    public HealthCheckValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        // Absent: a TCP check on $PORT.
        RuleFor(check => check.Path)
            .At("path")
            .Must(path => path is null || path.StartsWith('/')).Is(WebAppRules.HealthCheckPath)
            .Must(path => path is null || !path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            .Is(WebAppRules.HealthCheckPathCharacters);

        RuleFor(check => check.BootTimeoutSeconds ?? Defaults.BootTimeoutSeconds)
            .At("bootTimeoutSeconds")
            .GreaterThanOrEqualTo(1).Is(WebAppRules.BootTimeout);
    }
}
