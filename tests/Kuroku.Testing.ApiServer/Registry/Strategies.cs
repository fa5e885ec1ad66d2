using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Defaults;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Registry;

/// <summary>
/// What kube-apiserver's registry does to built-in kinds beyond defaulting (pkg/registry/*/*/strategy.go):
/// which kinds track metadata.generation, the status an object is created with, the Job's generated
/// selector, the Secret's stringData, the Service's allocations, and the validations that catch the
/// mistakes a controller makes (a Job's restart policy, an Ingress path without pathType, a changed
/// selector, an impossible Job status). Runs after the defaults, on create and on update.
/// </summary>
public sealed class Strategies
{
    /// <summary>The kinds whose strategy sets generation 1 on create and bumps it when the spec changes.</summary>
    private static readonly FrozenSet<string> GenerationTracking = new[]
    {
        "/pods", "apps/deployments", "apps/replicasets", "apps/statefulsets", "apps/daemonsets", "batch/jobs", "batch/cronjobs",
        "policy/poddisruptionbudgets", "networking.k8s.io/ingresses", "networking.k8s.io/ingressclasses", "networking.k8s.io/networkpolicies",
        "admissionregistration.k8s.io/mutatingwebhookconfigurations", "admissionregistration.k8s.io/validatingwebhookconfigurations",
        "apiextensions.k8s.io/customresourcedefinitions",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> WorkloadsWithSelector = new[]
    {
        "apps/deployments", "apps/replicasets", "apps/statefulsets", "apps/daemonsets",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly ServiceAllocator _services = new();

    /// <summary>Custom resources and the kinds whose strategy says so; not Services, ConfigMaps, Namespaces...</summary>
    public static bool TracksGeneration(ResourceType type) => type.IsCustom || GenerationTracking.Contains(type.StorageKey);

    /// <summary>PrepareForCreate of the built-in kinds, after the defaults. Returns the errors that refuse the create.</summary>
    public IReadOnlyList<FieldError> PrepareForCreate(ResourceType type, JsonObject obj)
    {
        switch (type.StorageKey)
        {
            case "/namespaces":
                var finalizers = Fields.Struct(obj, "spec")["finalizers"] as JsonArray ?? [];
                if (!finalizers.Any(f => Fields.String(f) == "kubernetes"))
                {
                    finalizers.Add("kubernetes");
                }

                obj["spec"]!["finalizers"] = finalizers.DeepClone();
                break;
            case "/secrets":
                MergeStringData(obj);
                break;
            case "batch/jobs":
                GenerateJobSelector(obj);
                break;
            case "/services":
                var errors = _services.Allocate(obj);
                if (errors.Count > 0)
                {
                    return errors;
                }

                break;
        }

        if (!type.IsCustom)
        {
            InitialStatus(type.StorageKey, obj);
        }

        return Validate(type, obj, null);
    }

    /// <summary>PrepareForUpdate of the built-in kinds (not for /status), after the defaults. Returns the errors that refuse the update.</summary>
    public IReadOnlyList<FieldError> PrepareForUpdate(ResourceType type, JsonObject old, JsonObject updated)
    {
        switch (type.StorageKey)
        {
            case "/namespaces":
                // Finalizers of a Namespace's spec change only through /finalize.
                Fields.Struct(updated, "spec")["finalizers"] = old["spec"]?["finalizers"]?.DeepClone();
                break;
            case "/secrets":
                MergeStringData(updated);
                break;
            case "/services":
                var errors = _services.Update(old, updated);
                if (errors.Count > 0)
                {
                    return errors;
                }

                break;
        }

        return Validate(type, updated, old);
    }

    /// <summary>Validation of a write to /status.</summary>
    public static IReadOnlyList<FieldError> ValidateStatusUpdate(ResourceType type, JsonObject old, JsonObject updated) =>
        type.StorageKey == "batch/jobs" ? JobStatusRules.Validate(old, updated) : [];

    /// <summary>An object is gone for good: what it held (a Service's IP) is free.</summary>
    public void Removed(string storageKey, Func<JsonObject> obj)
    {
        if (storageKey == "/services")
        {
            _services.Release(obj());
        }
    }

    /// <summary>
    /// The status PrepareForCreate leaves (a Go struct, so it shows even when empty), with the status defaults
    /// that apply again whenever the object is read (a Namespace's phase Active, a claim's Pending).
    /// </summary>
    public static void InitialStatus(string storageKey, JsonObject obj)
    {
        switch (storageKey)
        {
            case "/namespaces":
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "/persistentvolumeclaims":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "apps/deployments" or "apps/replicasets" or "apps/statefulsets" or "apps/daemonsets" or "batch/jobs" or "batch/cronjobs":
                obj["status"] = new JsonObject();
                break;
            case "/services" or "networking.k8s.io/ingresses":
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case "autoscaling/horizontalpodautoscalers":
                obj["status"] = new JsonObject { ["desiredReplicas"] = 0 };
                break;
            case "policy/poddisruptionbudgets":
                obj["status"] = new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };
                break;
            case "/pods":
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj) };
                break;
        }
    }

    /// <summary>
    /// The validations kept here: a Job's template restart policy, an Ingress path's pathType, a workload's
    /// selector (required, matching its template, immutable), a Job's selector, template and completion mode
    /// (immutable).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        var spec = obj["spec"] as JsonObject;
        switch (type.StorageKey)
        {
            case "batch/jobs":
                var restart = Fields.String(spec?["template"]?["spec"]?["restartPolicy"]) ?? "";
                if (restart is not ("OnFailure" or "Never"))
                {
                    errors.Add(new FieldError("spec.template.spec.restartPolicy", $"Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\""));
                }

                if (old is not null)
                {
                    foreach (var field in new[] { "selector", "template", "completionMode" })
                    {
                        Immutable(errors, $"spec.{field}", old["spec"]?[field], spec?[field]);
                    }
                }

                break;
            case "batch/cronjobs":
                // ValidateCronJobSpec: a schedule, and a job template whose pods do not restart in place.
                if (string.IsNullOrEmpty(Fields.String(spec?["schedule"])))
                {
                    errors.Add(FieldError.Required("spec.schedule", ""));
                }

                var templateRestart = Fields.String(spec?["jobTemplate"]?["spec"]?["template"]?["spec"]?["restartPolicy"]) ?? "";
                if (templateRestart is not ("OnFailure" or "Never"))
                {
                    errors.Add(new FieldError("spec.jobTemplate.spec.template.spec.restartPolicy",
                        $"Unsupported value: \"{templateRestart}\": supported values: \"OnFailure\", \"Never\""));
                }

                if (Fields.String(spec?["concurrencyPolicy"]) is { } policy && policy is not ("Allow" or "Forbid" or "Replace"))
                {
                    errors.Add(new FieldError("spec.concurrencyPolicy", $"Unsupported value: \"{policy}\": supported values: \"Allow\", \"Forbid\", \"Replace\""));
                }

                if (Fields.String(spec?["timeZone"]) is { } zone && (zone.Length == 0 || zone.Equals("Local", StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add(new FieldError("spec.timeZone", $"Invalid value: \"{zone}\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
                }

                break;
            case "networking.k8s.io/ingresses":
                var r = 0;
                foreach (var rule in Fields.Items(spec, "rules"))
                {
                    var p = 0;
                    foreach (var path in Fields.Items(Fields.Child(rule, "http"), "paths"))
                    {
                        var field = $"spec.rules[{r}].http.paths[{p}].pathType";
                        var pathType = Fields.String(path["pathType"]);
                        if (string.IsNullOrEmpty(pathType))
                        {
                            errors.Add(FieldError.Required(field, "pathType must be specified"));
                        }
                        else if (pathType is not ("Exact" or "Prefix" or "ImplementationSpecific"))
                        {
                            errors.Add(new FieldError(field, $"Unsupported value: \"{pathType}\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""));
                        }

                        p++;
                    }

                    r++;
                }

                break;
            case var key when WorkloadsWithSelector.Contains(key):
                if (spec?["selector"] is not JsonObject selector || selector.Count == 0)
                {
                    errors.Add(FieldError.Required("spec.selector", ""));
                }
                else if (!SelectorMatches(selector, LabelSet.Of(spec["template"])))
                {
                    errors.Add(FieldError.Invalid("spec.template.metadata.labels", null, "`selector` does not match template `labels`"));
                }

                if (old is not null)
                {
                    Immutable(errors, "spec.selector", old["spec"]?["selector"], spec?["selector"]);
                }

                break;
        }

        return errors;
    }

    /// <summary>A metav1.LabelSelector object against labels (matchLabels all equal, matchExpressions all hold).</summary>
    private static bool SelectorMatches(JsonObject selector, LabelSet labels)
    {
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != JsonPathExpression.ToText(value))
            {
                return false;
            }
        }

        foreach (var e in Fields.Items(selector, "matchExpressions"))
        {
            var key = Fields.String(e["key"]) ?? "";
            var values = (e["values"] as JsonArray ?? []).Select(JsonPathExpression.ToText).ToHashSet(StringComparer.Ordinal);
            var has = labels.TryGetValue(key, out var actual);
            var holds = Fields.String(e["operator"]) switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static void Immutable(List<FieldError> errors, string field, JsonNode? before, JsonNode? after)
    {
        if (!JsonNode.DeepEquals(before, after))
        {
            errors.Add(FieldError.Invalid(field, null, "field is immutable"));
        }
    }

    /// <summary>generateSelector: the job-name and controller-uid labels on the template, the controller-uid one in the selector.</summary>
    private static void GenerateJobSelector(JsonObject job)
    {
        var spec = Fields.Struct(job, "spec");
        if (spec["manualSelector"]?.GetValue<bool>() == true)
        {
            return;
        }

        var metadata = Fields.Struct(job, "metadata");
        var name = Fields.String(metadata["name"]) ?? "";
        var uid = Fields.String(metadata["uid"]) ?? "";
        var template = Fields.Struct(spec, "template");
        var templateMetadata = Fields.Struct(template, "metadata");
        var labelsShared = templateMetadata["labels"] is JsonObject before && JsonNode.DeepEquals(metadata["labels"], before);
        var labels = Fields.Struct(templateMetadata, "labels");
        foreach (var (key, value) in new[]
        {
            ("job-name", name), ("batch.kubernetes.io/job-name", name), ("controller-uid", uid), ("batch.kubernetes.io/controller-uid", uid),
        })
        {
            if (!labels.ContainsKey(key))
            {
                labels[key] = value;
            }
        }

        var matchLabels = Fields.Struct(Fields.Struct(spec, "selector"), "matchLabels");
        if (!matchLabels.ContainsKey("batch.kubernetes.io/controller-uid"))
        {
            matchLabels["batch.kubernetes.io/controller-uid"] = uid;
        }

        if (labelsShared)
        {
            // SetDefaults_Job made the Job's labels the template's very map: they get the new labels too.
            metadata["labels"] = labels.DeepClone();
        }
    }

    /// <summary>A Secret's stringData is write-only: it is merged into data (base64) and never stored.</summary>
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = Fields.Struct(secret, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonPathExpression.ToText(value)));
            }
        }

        secret.Remove("stringData");
    }

    /// <summary>qos.GetPodQOS: BestEffort without requests or limits, Guaranteed when every container's cpu and memory limits equal its requests.</summary>
    private static string QosClass(JsonObject pod)
    {
        var containers = new[] { "containers", "initContainers" }.SelectMany(l => Fields.Items(pod["spec"] as JsonObject, l)).ToList();
        var anyResources = false;
        var guaranteed = true;
        foreach (var c in containers)
        {
            var requests = c["resources"]?["requests"] as JsonObject ?? [];
            var limits = c["resources"]?["limits"] as JsonObject ?? [];
            anyResources |= requests.Any(p => p.Key is "cpu" or "memory") || limits.Any(p => p.Key is "cpu" or "memory");
            foreach (var resource in new[] { "cpu", "memory" })
            {
                if (limits[resource] is null || (requests[resource] is { } request && JsonPathExpression.ToText(request) != JsonPathExpression.ToText(limits[resource])))
                {
                    guaranteed = false;
                }
            }
        }

        return !anyResources ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
