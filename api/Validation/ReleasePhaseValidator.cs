using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>spec.release: the command run once per release, as a Job, before the release goes live.</summary>
internal sealed class ReleasePhaseValidator : AbstractValidator<ReleasePhaseSpec>
{
    public ReleasePhaseValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(release => release.Command)
            .At("command")
            .NotEmpty().Is(WebAppRules.ReleaseCommand);

        RuleForEach(release => release.Command)
            .At("command")
            .EveryItem()
            .NotEmpty().Is(WebAppRules.CommandItem);

        RuleFor(release => release.TimeoutSeconds ?? Defaults.ReleaseTimeoutSeconds)
            .At("timeoutSeconds")
            .GreaterThanOrEqualTo(1).Is(WebAppRules.ReleaseTimeout);

        RuleFor(release => release.BackoffLimit ?? Defaults.ReleaseBackoffLimit)
            .At("backoffLimit")
            .InclusiveBetween(0, 10).Is(WebAppRules.ReleaseBackoffLimit);
    }
}
