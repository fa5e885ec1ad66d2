using FluentValidation;
using k8s.Models;

namespace Kuroku.Api.Validation;

/// <summary>spec.env[i]: one config var, in the shape of a container's env.</summary>
internal sealed class EnvVarValidator : AbstractValidator<V1EnvVar>
{
    /// <summary>The config var the platform sets from spec.port.</summary>
    public const string PortVariable = "PORT";

    public EnvVarValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(env => env.Name)
            .At("name")
            .NotEmpty().Is(WebAppRules.Required)
            .Must(KubernetesNames.IsEnvVarName).Is(WebAppRules.EnvName)
            .NotEqual(PortVariable, StringComparer.Ordinal).Is(WebAppRules.EnvNameReserved);

        // As the API server: an empty value beside valueFrom is allowed, a non-empty one is not.
        RuleFor(env => env)
            .At(string.Empty)
            .Must(env => string.IsNullOrEmpty(env.Value) || env.ValueFrom is null).Is(WebAppRules.EnvValueAndValueFrom);

        RuleFor(env => env.ValueFrom)
            .At("valueFrom")
            .SetValidator(new EnvVarSourceValidator());
    }
}

/// <summary>spec.env[i].valueFrom: where a config var's value comes from.</summary>
internal sealed class EnvVarSourceValidator : AbstractValidator<V1EnvVarSource>
{
    private static readonly HashSet<string> FieldPaths = new(StringComparer.Ordinal)
    {
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    };

    private static readonly HashSet<string> ResourceFields = new(StringComparer.Ordinal)
    {
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
        "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    };

    public EnvVarSourceValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(source => source)
            .At(string.Empty)
            .Must(source => CountSources(source) == 1).Is(WebAppRules.EnvValueFromSource);

        RuleFor(source => source.FileKeyRef)
            .At("fileKeyRef")
            .Null().Is(WebAppRules.EnvFileKeyRef);

        // A Secret and a ConfigMap key reference obey the same rules: an object name and a key.
        RuleFor(source => source.SecretKeyRef)
            .At("secretKeyRef")
            .ChildRules(selector => KeyReference(selector, s => s.Name, s => s.Key));

        RuleFor(source => source.ConfigMapKeyRef)
            .At("configMapKeyRef")
            .ChildRules(selector => KeyReference(selector, s => s.Name, s => s.Key));

        RuleFor(source => source.FieldRef)
            .At("fieldRef")
            .ChildRules(selector =>
            {
                selector.RuleFor(s => s.FieldPath).At("fieldPath")
                    .Must(IsSupportedFieldPath).Is(WebAppRules.EnvFieldPath);
                selector.RuleFor(s => s.ApiVersion).At("apiVersion")
                    .Must(version => string.IsNullOrEmpty(version) || version == "v1").Is(WebAppRules.EnvFieldApiVersion);
            });

        RuleFor(source => source.ResourceFieldRef)
            .At("resourceFieldRef")
            .ChildRules(selector =>
            {
                selector.RuleFor(s => s.Resource).At("resource")
                    .Must(resource => resource is not null && ResourceFields.Contains(resource)).Is(WebAppRules.EnvResource);
                // The same env goes to every process's container, so naming one container cannot be right.
                selector.RuleFor(s => s.ContainerName).At("containerName")
                    .Must(string.IsNullOrEmpty).Is(WebAppRules.EnvResourceContainerName);
                selector.RuleFor(s => s.Divisor).At("divisor")
                    .Must((s, divisor) => divisor is null || IsDivisor(s.Resource, ResourceQuantities.ToDecimal(divisor)))
                    .Is(WebAppRules.EnvResourceDivisor);
            });
    }

    private static int CountSources(V1EnvVarSource source) =>
        (source.SecretKeyRef is null ? 0 : 1) + (source.ConfigMapKeyRef is null ? 0 : 1) + (source.FieldRef is null ? 0 : 1)
        + (source.ResourceFieldRef is null ? 0 : 1) + (source.FileKeyRef is null ? 0 : 1);

    private static bool IsSupportedFieldPath(string? path)
    {
        if (path is null)
        {
            return false;
        }

        if (FieldPaths.Contains(path))
        {
            return true;
        }

        foreach (var map in (string[])["metadata.labels['", "metadata.annotations['"])
        {
            if (path.StartsWith(map, StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal))
            {
                var key = path[map.Length..^2];
                return key.Length > 0 && !key.Contains('\'', StringComparison.Ordinal);
            }
        }

        return false;
    }

    // The API server's rule (validateContainerResourceDivisor).
    private static bool IsDivisor(string? resource, decimal? divisor)
    {
        if (divisor is not { } value || resource is null)
        {
            return resource is null || !ResourceFields.Contains(resource);
        }

        if (resource.EndsWith(".cpu", StringComparison.Ordinal))
        {
            return value is 0.001m or 1m;
        }

        for (decimal power1000 = 1, power1024 = 1; power1000 <= 1e18m; power1000 *= 1000, power1024 *= 1024)
        {
            if (value == power1000 || value == power1024)
            {
                return true;
            }
        }

        return false;
    }

    private static void KeyReference<T>(
        InlineValidator<T> selector,
        System.Linq.Expressions.Expression<Func<T, string>> name,
        System.Linq.Expressions.Expression<Func<T, string>> key)
    {
        selector.RuleFor(name).At("name")
            .Must(KubernetesNames.IsDns1123Subdomain).Is(WebAppRules.ObjectName);
        selector.RuleFor(key).At("key")
            .Must(KubernetesNames.IsConfigMapKey).Is(WebAppRules.ConfigKey);
    }
}

/// <summary>spec.envFrom[i]: config vars taken whole from a Secret or a ConfigMap.</summary>
internal sealed class EnvFromSourceValidator : AbstractValidator<V1EnvFromSource>
{
    public EnvFromSourceValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(source => source)
            .At(string.Empty)
            .Must(source => (source.SecretRef is null) != (source.ConfigMapRef is null)).Is(WebAppRules.EnvFromSource);

        RuleFor(source => source.Prefix)
            .At("prefix")
            .Must(prefix => string.IsNullOrEmpty(prefix) || KubernetesNames.IsEnvVarName(prefix)).Is(WebAppRules.EnvFromPrefix);

        RuleFor(source => source.SecretRef)
            .At("secretRef")
            .ChildRules(reference => reference.RuleFor(r => r.Name).At("name")
                .Must(KubernetesNames.IsDns1123Subdomain).Is(WebAppRules.ObjectName));

        RuleFor(source => source.ConfigMapRef)
            .At("configMapRef")
            .ChildRules(reference => reference.RuleFor(r => r.Name).At("name")
                .Must(KubernetesNames.IsDns1123Subdomain).Is(WebAppRules.ObjectName));
    }
}
