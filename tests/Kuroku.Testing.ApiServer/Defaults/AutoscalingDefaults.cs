using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>kube-apiserver's defaults for autoscaling/v2 (pkg/apis/autoscaling/v2/defaults.go).</summary>
public static class AutoscalingDefaults
{
    /// <summary>
    /// SetDefaults_HorizontalPodAutoscaler: minReplicas 1, one CPU utilization metric at 80% when there is
    /// no metric, and SetDefaults_HorizontalPodAutoscalerBehavior: when a behavior is given, each unset
    /// piece of scaleUp (window 0, select Max, policies 4 pods and 100% per 15 s) and scaleDown (select Max,
    /// 100% per 15 s, no window: the controller's flag decides it) is filled in. No behavior stays none.
    /// (selectionStrategy is an alpha field in 1.36: dropped unless its gate is on, so not defaulted here.)
    /// </summary>
    public static void HorizontalPodAutoscaler(JsonObject hpa)
    {
        var spec = Struct(hpa, "spec");
        DefaultPointer(spec, "minReplicas", () => 1);
        if (spec["metrics"] is not JsonArray { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 },
                },
            });
        }

        if (Child(spec, "behavior") is { } behavior)
        {
            behavior["scaleUp"] = Rules(Child(behavior, "scaleUp"), ScaleUp());
            behavior["scaleDown"] = Rules(Child(behavior, "scaleDown"), ScaleDown());
        }
    }

    private static JsonObject ScaleUp() => new()
    {
        ["stabilizationWindowSeconds"] = 0,
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(
            new JsonObject { ["type"] = "Pods", ["value"] = 4, ["periodSeconds"] = 15 },
            new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }),
    };

    private static JsonObject ScaleDown() => new()
    {
        ["selectPolicy"] = "Max",
        ["policies"] = new JsonArray(new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 }),
    };

    /// <summary>copyHPAScalingRules: the given rules' non-nil fields over the defaults.</summary>
    private static JsonObject Rules(JsonObject? given, JsonObject defaults)
    {
        if (given is null)
        {
            return defaults;
        }

        foreach (var key in new[] { "selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance" })
        {
            if (given[key] is { } value)
            {
                defaults[key] = value.DeepClone();
            }
        }

        return defaults;
    }
}
