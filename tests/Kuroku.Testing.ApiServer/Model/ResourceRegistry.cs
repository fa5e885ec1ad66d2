using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Model;

/// <summary>The served resources: the built-ins plus one entry per served version of each CRD. Thread-safe.</summary>
public sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private ImmutableList<ResourceType> _custom = [];
    private Snapshot _snapshot = new([.. BuiltInResources.All]);
    private long _revision;

    /// <summary>Changes each time a CRD is added, changed or removed (the hash in OpenAPI URLs).</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Every served type, built-ins first (a snapshot: every request reads it, a CRD change replaces it).</summary>
    public IReadOnlyList<ResourceType> All => Volatile.Read(ref _snapshot).Types;

    public ResourceType? Find(string group, string version, string plural) =>
        Volatile.Read(ref _snapshot).ByPath.GetValueOrDefault((group, version, plural));

    public IEnumerable<ResourceType> VersionsOf(string storageKey) => All.Where(r => r.StorageKey == storageKey);

    /// <summary>Serves (or re-serves) the versions of a CRD.</summary>
    public void Register(JsonObject crd)
    {
        var types = FromCrd(crd);
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        Change(list => list.RemoveAll(t => $"{t.Plural}.{t.Group}" == name).AddRange(types));
    }

    public void Unregister(string crdName) => Change(list => list.RemoveAll(t => $"{t.Plural}.{t.Group}" == crdName));

    private void Change(Func<ImmutableList<ResourceType>, ImmutableList<ResourceType>> change)
    {
        lock (_gate)
        {
            _custom = change(_custom);
            Volatile.Write(ref _snapshot, new Snapshot([.. BuiltInResources.All, .. _custom]));
            Interlocked.Increment(ref _revision);
        }
    }

    private sealed class Snapshot(IReadOnlyList<ResourceType> types)
    {
        public IReadOnlyList<ResourceType> Types { get; } = types;

        public IReadOnlyDictionary<(string Group, string Version, string Plural), ResourceType> ByPath { get; } =
            types.GroupBy(t => (t.Group, t.Version, t.Plural)).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>The resource types a CRD declares, one per served version.</summary>
    public static IReadOnlyList<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw new InvalidOperationException("CRD has no spec");
        var names = spec["names"] as JsonObject ?? throw new InvalidOperationException("CRD has no spec.names");
        var group = spec["group"]?.GetValue<string>() ?? "";
        var namespaced = (spec["scope"]?.GetValue<string>() ?? "Namespaced") == "Namespaced";
        var result = new List<ResourceType>();
        foreach (var v in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var sub = v["subresources"] as JsonObject;
            var scale = sub?["scale"] as JsonObject;
            result.Add(new ResourceType
            {
                Group = group,
                Version = v["name"]!.GetValue<string>(),
                Plural = names["plural"]!.GetValue<string>(),
                Kind = names["kind"]!.GetValue<string>(),
                Namespaced = namespaced,
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = sub?["status"] is not null,
                Scale = scale is null ? null : new ScaleSubresource(
                    scale["specReplicasPath"]?.GetValue<string>() ?? ".spec.replicas",
                    scale["statusReplicasPath"]?.GetValue<string>() ?? ".status.replicas",
                    scale["labelSelectorPath"]?.GetValue<string>()),
                Columns = (v["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new PrinterColumn(
                    c["name"]!.GetValue<string>(),
                    c["type"]?.GetValue<string>() ?? "string",
                    c["jsonPath"]!.GetValue<string>(),
                    c["format"]?.GetValue<string>(),
                    (int)(JsonPathExpression.ToLong(c["priority"]) ?? 0),
                    c["description"]?.GetValue<string>() ?? "")).ToList(),
                IsCustom = true,
                Schema = v["schema"]?["openAPIV3Schema"] as JsonObject,
            });
        }

        return result;
    }

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];
}
