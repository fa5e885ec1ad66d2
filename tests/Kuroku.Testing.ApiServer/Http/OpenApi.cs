using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Model;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>
/// A minimal /openapi/v3: per group-version, one PATCH operation per kind that declares the
/// fieldValidation query parameter. That is all kubectl's validation needs to decide the server
/// validates fields itself, so <c>kubectl apply</c> works without <c>--validate=false</c>. The PATCH
/// operations declare no strategic-merge request body, so kubectl computes strategic merge patches
/// from its compiled-in types (and JSON merge patches for custom resources). /openapi/v2 is 404.
/// </summary>
public static class OpenApi
{
    public static JsonObject Root(IReadOnlyList<ResourceType> types, long revision)
    {
        var paths = new JsonObject();
        foreach (var gv in types.Select(t => (t.Group, t.Version)).Distinct())
        {
            var key = GroupVersionPath(gv.Group, gv.Version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={revision.ToString(CultureInfo.InvariantCulture)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    public static JsonObject? GroupVersion(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var served = types.Where(t => t.Group == group && t.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var t in served)
        {
            var path = t.Namespaced
                ? $"{t.PathPrefix}/namespaces/{{namespace}}/{t.Plural}/{{name}}"
                : $"{t.PathPrefix}/{t.Plural}/{{name}}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{t.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
