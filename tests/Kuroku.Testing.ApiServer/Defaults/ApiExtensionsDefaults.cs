using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>kube-apiserver's defaults for apiextensions.k8s.io/v1 (staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/defaults.go).</summary>
public static class ApiExtensionsDefaults
{
    /// <summary>
    /// SetDefaults_CustomResourceDefinition(Spec): names.singular = lower-case kind, names.listKind = kind + "List",
    /// conversion strategy None, a conversion webhook service's port 443.
    /// </summary>
    public static void CustomResourceDefinition(JsonObject crd)
    {
        var spec = Struct(crd, "spec");
        var names = Struct(spec, "names");
        var kind = String(names["kind"]) ?? "";
        if (IsEmptyString(names["singular"]))
        {
            names["singular"] = kind.ToLowerInvariant();
        }

        if (IsEmptyString(names["listKind"]) && kind.Length > 0)
        {
            names["listKind"] = kind + "List";
        }

        DefaultPointer(spec, "conversion", () => new JsonObject { ["strategy"] = "None" });
        if (spec["conversion"]?["webhook"]?["clientConfig"]?["service"] is JsonObject service)
        {
            DefaultPointer(service, "port", () => 443);
        }
    }
}
