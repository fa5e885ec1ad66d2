using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Defaults;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Registry;

/// <summary>
/// What the Service REST storage allocates rather than defaults (pkg/registry/core/service/storage):
/// a cluster IP from the service CIDR 10.96.0.0/12 (single-stack IPv4), clusterIPs, ipFamilies and
/// ipFamilyPolicy, node ports from 30000-32767 for NodePort and LoadBalancer services; on update the
/// allocated values a client leaves out are kept (patchAllocatedValues), and a cluster IP never changes.
/// </summary>
public sealed class ServiceAllocator
{
    private const uint First = (10u << 24) | (96u << 16) | 2; // 10.96.0.1 is the kubernetes Service's
    private const uint Last = (10u << 24) | (111u << 16) | (255u << 8) | 254;
    private readonly HashSet<string> _ips = new(StringComparer.Ordinal);
    private readonly HashSet<long> _nodePorts = [];
    private uint _nextIp = First;
    private long _nextNodePort = 30000;

    /// <summary>On create: allocates what the Service needs. Returns the errors of a requested IP or port already taken.</summary>
    public IReadOnlyList<FieldError> Allocate(JsonObject service)
    {
        var spec = Fields.Struct(service, "spec");
        var errors = new List<FieldError>();
        AllocateIps(spec, errors);
        AllocateNodePorts(spec, errors);
        return errors;
    }

    /// <summary>On update: keeps the allocated values the new object leaves out, refuses a changed cluster IP, allocates new needs.</summary>
    public IReadOnlyList<FieldError> Update(JsonObject old, JsonObject updated)
    {
        var before = Fields.Struct(old, "spec");
        var spec = Fields.Struct(updated, "spec");
        var errors = new List<FieldError>();
        if (NeedsClusterIp(before) && NeedsClusterIp(spec))
        {
            if (Fields.IsEmptyString(spec["clusterIP"]))
            {
                spec["clusterIP"] = before["clusterIP"]?.DeepClone();
            }

            if (spec["clusterIPs"] is not JsonArray { Count: > 0 } && before["clusterIPs"] is JsonArray ips)
            {
                spec["clusterIPs"] = ips.DeepClone();
            }

            if (Fields.String(spec["clusterIP"]) != Fields.String(before["clusterIP"]))
            {
                errors.Add(FieldError.Invalid("spec.clusterIPs[0]", $"[]string{{\"{Fields.String(spec["clusterIP"])}\"}}", "may not change once set"));
            }

            spec["ipFamilies"] ??= before["ipFamilies"]?.DeepClone();
            spec["ipFamilyPolicy"] ??= before["ipFamilyPolicy"]?.DeepClone();
        }

        if (NeedsNodePorts(before) && NeedsNodePorts(spec))
        {
            var oldByName = Fields.Items(before, "ports").ToDictionary(p => Fields.String(p["name"]) ?? "", p => JsonPathExpression.ToLong(p["nodePort"]) ?? 0, StringComparer.Ordinal);
            var used = Fields.Items(spec, "ports").Select(p => JsonPathExpression.ToLong(p["nodePort"]) ?? 0).Where(p => p != 0).ToHashSet();
            foreach (var port in Fields.Items(spec, "ports"))
            {
                if (Fields.IsZero(port["nodePort"]) && oldByName.TryGetValue(Fields.String(port["name"]) ?? "", out var kept) && kept != 0 && !used.Contains(kept))
                {
                    port["nodePort"] = kept;
                    used.Add(kept);
                }
            }
        }

        AllocateIps(spec, errors, Fields.String(before["clusterIP"]));
        AllocateNodePorts(spec, errors, Fields.Items(before, "ports").Select(p => JsonPathExpression.ToLong(p["nodePort"]) ?? 0).ToHashSet());
        return errors;
    }

    /// <summary>A Service is gone: its IP and node ports are free again.</summary>
    public void Release(JsonObject service)
    {
        var spec = Fields.Struct(service, "spec");
        if (Fields.String(spec["clusterIP"]) is { } ip)
        {
            _ips.Remove(ip);
        }

        foreach (var port in Fields.Items(spec, "ports"))
        {
            if (JsonPathExpression.ToLong(port["nodePort"]) is { } nodePort)
            {
                _nodePorts.Remove(nodePort);
            }
        }
    }

    private static bool NeedsClusterIp(JsonObject spec) => Fields.String(spec["type"]) != "ExternalName";

    private static bool NeedsNodePorts(JsonObject spec) => Fields.String(spec["type"]) is "NodePort" or "LoadBalancer"
        && !(Fields.String(spec["type"]) == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"]?.GetValue<bool>() == false);

    private void AllocateIps(JsonObject spec, List<FieldError> errors, string? alreadyOurs = null)
    {
        if (!NeedsClusterIp(spec))
        {
            return;
        }

        var requested = Fields.String(spec["clusterIP"]);
        if (requested == "None")
        {
            spec["clusterIPs"] = new JsonArray("None");
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= spec["selector"] is JsonObject { Count: > 0 } ? "SingleStack" : "RequireDualStack";
            return;
        }

        if (string.IsNullOrEmpty(requested))
        {
            requested = Next();
        }
        else if (requested != alreadyOurs && !_ips.Add(requested))
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", $"[]string{{\"{requested}\"}}", $"failed to allocate IP {requested}: provided IP is already allocated"));
            return;
        }

        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
    }

    private string Next()
    {
        for (var tries = 0L; tries <= Last - First; tries++)
        {
            var candidate = _nextIp;
            _nextIp = _nextIp >= Last ? First : _nextIp + 1;
            var text = string.Join('.', new[] { candidate >> 24, (candidate >> 16) & 255, (candidate >> 8) & 255, candidate & 255 }.Select(b => b.ToString(CultureInfo.InvariantCulture)));
            if (_ips.Add(text))
            {
                return text;
            }
        }

        throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
    }

    private void AllocateNodePorts(JsonObject spec, List<FieldError> errors, IReadOnlySet<long>? alreadyOurs = null)
    {
        if (!NeedsNodePorts(spec))
        {
            return;
        }

        var i = 0;
        foreach (var port in Fields.Items(spec, "ports"))
        {
            var requested = JsonPathExpression.ToLong(port["nodePort"]) ?? 0;
            if (requested == 0)
            {
                port["nodePort"] = NextNodePort();
            }
            else if (alreadyOurs?.Contains(requested) != true && !_nodePorts.Add(requested))
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", requested.ToString(CultureInfo.InvariantCulture), "provided port is already allocated"));
            }

            i++;
        }
    }

    private long NextNodePort()
    {
        for (var tries = 0; tries <= 2767; tries++)
        {
            var candidate = _nextNodePort;
            _nextNodePort = _nextNodePort >= 32767 ? 30000 : _nextNodePort + 1;
            if (_nodePorts.Add(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
    }
}
