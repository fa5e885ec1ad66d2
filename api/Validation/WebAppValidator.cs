using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>
/// The one validator of WebApp, used by render, the webhook and the reconciler. Every failure's
/// PropertyName is the field path as a user writes it (<c>spec.processes.web.replicas</c>,
/// <c>spec.env[2].name</c>), its ErrorMessage the rule and its ErrorCode one of
/// <see cref="WebAppRules"/>; <see cref="ValidationResultExtensions.ToFieldErrors"/> makes the lines.
/// Absent (null) fields count as their defaults (<see cref="Defaults"/>), so a spec passes or fails
/// the same with or without the API server's defaulting. All failures are reported at once; within
/// one field only the first broken rule is.
/// </summary>
public sealed class WebAppValidator : AbstractValidator<WebApp>
{
    /// <summary>
    /// The longest app name. The longest child name is the release Job <c>&lt;app&gt;-release-v&lt;N&gt;</c>:
    /// with N up to int.MaxValue (10 digits) it adds 20 characters, so 40 keeps it at 60, within the 63 a
    /// Job name (and its job-name label) may have, and leaves room for suffixes such as "-tls". Heroku
    /// allows 30.
    /// </summary>
    public const int MaxNameLength = 40;

    /// <summary>
    /// The longest name of a CronJob (kube-apiserver's limit): the Jobs it makes add "-" and 10 digits,
    /// within the 63 characters of a label value.
    /// </summary>
    public const int MaxCronJobNameLength = 52;

    /// <summary>The most processes one app may have (the CRD's maxProperties).</summary>
    public const int MaxProcesses = 32;

    /// <summary>The most hosts one app may have (the CRD's maxItems).</summary>
    public const int MaxHosts = 64;

    public WebAppValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(app => app.Metadata != null ? app.Metadata.Name : null)
            .At("metadata.name")
            .NotEmpty().Is(WebAppRules.Required)
            .MaximumLength(MaxNameLength).Is(WebAppRules.AppNameLength)
            .Must(KubernetesNames.IsDns1035Label).Is(WebAppRules.AppName);

        RuleFor(app => app.Spec)
            .At("spec")
            .NotNull().Is(WebAppRules.Required)
            .SetValidator(new WebAppSpecValidator());

        // Each process becomes the Deployment <app>-<process>, a DNS label. Checked only when both
        // names are valid on their own, so a bad name is reported once.
        RuleForEach(app => RuleBuilderExtensions.ByKey(app.Spec.Processes))
            .At("spec.processes")
            .EveryItem()
            .OverrideIndexer(RuleBuilderExtensions.KeySegment)
            .Must((app, process) => !KubernetesNames.IsDns1123Label(process.Key)
                || app.Metadata.Name.Length + 1 + process.Key.Length <= KubernetesNames.MaxLabelLength)
            .Is(WebAppRules.ProcessNameLength)
            .Must((app, process) => process.Value?.Schedule is null || !KubernetesNames.IsDns1123Label(process.Key)
                || app.Metadata.Name.Length + 1 + process.Key.Length <= MaxCronJobNameLength)
            .Is(WebAppRules.ScheduledProcessNameLength)
            .When(app => app.Spec is not null && HasValidName(app));
    }

    private static bool HasValidName(WebApp app) =>
        app.Metadata?.Name is { Length: <= MaxNameLength } name && KubernetesNames.IsDns1035Label(name);
}
