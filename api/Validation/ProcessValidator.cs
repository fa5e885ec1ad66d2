using FluentValidation;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Api.Validation;

/// <summary>One entry of spec.processes: its name (the map key) and its spec.</summary>
internal sealed class ProcessValidator : AbstractValidator<KeyValuePair<string, ProcessSpec>>
{
    public ProcessValidator()
    {
        // Both rules report at the entry's own path (spec.processes.<name>): the empty property name
        // adds nothing to it.
        RuleFor(entry => entry.Key)
            .At(string.Empty)
            .Must(KubernetesNames.IsDns1123Label).Is(WebAppRules.ProcessName);

        RuleFor(entry => entry.Value)
            .At(string.Empty)
            .SetValidator(new ProcessSpecValidator());

        // Only web receives HTTP; a process that runs on a schedule has no Service to receive it with.
        RuleFor(entry => entry.Value.Schedule)
            .At("schedule")
            .Null().Is(WebAppRules.ScheduleOnWeb)
            .When(entry => entry.Key == WebAppApi.WebProcess && entry.Value is not null);
    }
}

/// <summary>spec.processes.&lt;name&gt;: how one process runs.</summary>
internal sealed class ProcessSpecValidator : AbstractValidator<ProcessSpec>
{
    public ProcessSpecValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleForEach(process => process.Command)
            .At("command")
            .EveryItem()
            .NotEmpty().Is(WebAppRules.CommandItem);

        RuleForEach(process => process.Args)
            .At("args")
            .EveryItem()
            .NotEmpty().Is(WebAppRules.CommandItem);

        RuleFor(process => process.Replicas)
            .At("replicas")
            .GreaterThanOrEqualTo(0).Is(WebAppRules.Replicas);

        RuleFor(process => process.Size)
            .At("size")
            .Must(size => size is null || DynoSizes.Find(size) is not null).Is(WebAppRules.Size);

        RuleFor(process => process.Resources!)
            .At("resources")
            .SetValidator(new ResourcesValidator());

        RuleFor(process => process.Autoscaling!)
            .At("autoscaling")
            .SetValidator(new AutoscalingValidator());

        RuleFor(process => process.Schedule)
            .At("schedule")
            .Custom(ReportScheduleProblem);

        RuleFor(process => process.TimeZone)
            .At("timeZone")
            .Must((process, _) => process.Schedule is not null).Is(WebAppRules.TimeZoneWithoutSchedule)
            .Must(TimeZones.IsValid).Is(WebAppRules.TimeZone)
            .When(process => process.TimeZone is not null);

        RuleFor(process => process.Replicas)
            .At("replicas")
            .Must(replicas => replicas is null or <= 1).Is(WebAppRules.ScheduledReplicas)
            .When(process => process.Schedule is not null);

        RuleFor(process => process.Autoscaling)
            .At("autoscaling")
            .Null().Is(WebAppRules.ScheduleWithAutoscaling)
            .When(process => process.Schedule is not null);
    }

    // The rule's message, then what exactly is wrong: "minute field "61": 61 is above the maximum 59".
    private static void ReportScheduleProblem(string? schedule, ValidationContext<ProcessSpec> context)
    {
        if (schedule is null || CronSchedule.Problem(schedule) is not { } problem)
        {
            return;
        }

        var rule = schedule.Contains("TZ", StringComparison.Ordinal) ? WebAppRules.ScheduleTimeZonePrefix : WebAppRules.Schedule;
        context.AddFailure(new FluentValidation.Results.ValidationFailure(context.PropertyPath, rule == WebAppRules.Schedule ? $"{rule.Message}: {problem}" : rule.Message)
        {
            ErrorCode = rule.Code,
        });
    }
}

/// <summary>spec.processes.&lt;name&gt;.autoscaling: the HorizontalPodAutoscaler's bounds and target.</summary>
internal sealed class AutoscalingValidator : AbstractValidator<AutoscalingSpec>
{
    public AutoscalingValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(autoscaling => autoscaling.MinReplicas ?? Defaults.AutoscalingMinReplicas)
            .At("minReplicas")
            .GreaterThanOrEqualTo(1).Is(WebAppRules.AutoscalingMinReplicas)
            .Must((autoscaling, min) => autoscaling.MaxReplicas < 1 || min <= autoscaling.MaxReplicas)
            .Is(WebAppRules.AutoscalingMinAboveMax);

        RuleFor(autoscaling => autoscaling.MaxReplicas)
            .At("maxReplicas")
            .GreaterThanOrEqualTo(1).Is(WebAppRules.AutoscalingMaxReplicas);

        RuleFor(autoscaling => autoscaling.TargetCPUUtilizationPercentage ?? Defaults.TargetCpuUtilizationPercentage)
            .At("targetCPUUtilizationPercentage")
            .InclusiveBetween(1, 1000).Is(WebAppRules.AutoscalingTargetCpu);
    }
}

/// <summary>spec.processes.&lt;name&gt;.resources: requests and limits that override the size preset.</summary>
internal sealed class ResourcesValidator : AbstractValidator<V1ResourceRequirements>
{
    public ResourcesValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleForEach(resources => RuleBuilderExtensions.ByKey(resources.Limits))
            .At("limits")
            .EveryItem()
            .OverrideIndexer(RuleBuilderExtensions.KeySegment)
            .Must(entry => ResourceQuantities.IsResourceName(entry.Key)).Is(WebAppRules.ResourceName)
            .Must(entry => ResourceQuantities.ToDecimal(entry.Value) is not null).Is(WebAppRules.ResourceQuantity);

        RuleForEach(resources => RuleBuilderExtensions.ByKey(resources.Requests))
            .At("requests")
            .EveryItem()
            .OverrideIndexer(RuleBuilderExtensions.KeySegment)
            .Must(entry => ResourceQuantities.IsResourceName(entry.Key)).Is(WebAppRules.ResourceName)
            .Must(entry => ResourceQuantities.ToDecimal(entry.Value) is not null).Is(WebAppRules.ResourceQuantity)
            .Must((resources, entry) => !ExceedsLimit(resources, entry)).Is(WebAppRules.ResourceRequestAboveLimit);

        // Claims name pod-level resourceClaims, which a WebApp cannot declare.
        RuleFor(resources => resources.Claims)
            .At("claims")
            .Must(claims => claims is null || claims.Count == 0).Is(WebAppRules.ResourceClaims);
    }

    private static bool ExceedsLimit(V1ResourceRequirements resources, KeyValuePair<string, ResourceQuantity> request) =>
        resources.Limits is not null
        && resources.Limits.TryGetValue(request.Key, out var limit)
        && ResourceQuantities.ToDecimal(limit) is { } max
        && ResourceQuantities.ToDecimal(request.Value) > max;
}
