using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>
/// kube-apiserver's defaults for a pod spec wherever one appears (Pod, the templates of Deployment,
/// ReplicaSet, StatefulSet, DaemonSet, Job, CronJob): SetDefaults_PodSpec, SetDefaults_Container,
/// SetDefaults_Probe, SetDefaults_HTTPGetAction, the volume sources' defaults and the declarative ones
/// (container port protocol, grpc probe service), walked as pkg/apis/core/v1/zz_generated.defaults.go
/// walks them. Pure functions on JSON; they change the object they are given.
/// </summary>
public static class PodSpecDefaults
{
    /// <summary>A PodTemplateSpec: only its spec has defaults.</summary>
    public static void Template(JsonObject? template)
    {
        if (template is not null)
        {
            Spec(Struct(template, "spec"));
        }
    }

    /// <summary>SetDefaults_PodSpec and everything nested in the spec.</summary>
    public static void Spec(JsonObject spec)
    {
        DefaultString(spec, "dnsPolicy", "ClusterFirst");
        DefaultString(spec, "restartPolicy", "Always");
        DefaultPointer(spec, "securityContext", () => new JsonObject());
        DefaultPointer(spec, "terminationGracePeriodSeconds", () => 30);
        DefaultString(spec, "schedulerName", "default-scheduler");
        foreach (var volume in Items(spec, "volumes"))
        {
            Volume(volume);
        }

        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in Items(spec, list))
            {
                Container(container);
            }
        }
    }

    /// <summary>SetDefaults_Container plus the defaults of its ports, env, probes and lifecycle handlers.</summary>
    public static void Container(JsonObject container)
    {
        if (IsEmptyString(container["imagePullPolicy"]))
        {
            container["imagePullPolicy"] = ImageTag(String(container["image"]) ?? "") == "latest" ? "Always" : "IfNotPresent";
        }

        DefaultString(container, "terminationMessagePath", "/dev/termination-log");
        DefaultString(container, "terminationMessagePolicy", "File");
        foreach (var port in Items(container, "ports"))
        {
            DefaultString(port, "protocol", "TCP");
        }

        foreach (var env in Items(container, "env"))
        {
            if (Child(env, "valueFrom") is { } from && Child(from, "fieldRef") is { } fieldRef)
            {
                DefaultString(fieldRef, "apiVersion", "v1");
            }
        }

        // Resources is a struct, not a pointer: the API always shows it, as {} when empty.
        Struct(container, "resources");
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (Child(container, probe) is { } p)
            {
                Probe(p);
            }
        }

        if (Child(container, "lifecycle") is { } lifecycle)
        {
            foreach (var hook in new[] { "postStart", "preStop" })
            {
                if (Child(lifecycle, hook) is { } handler && Child(handler, "httpGet") is { } httpGet)
                {
                    HttpGet(httpGet);
                }
            }
        }
    }

    /// <summary>SetDefaults_Probe (timeout 1, period 10, success 1, failure 3) and its handler's defaults.</summary>
    public static void Probe(JsonObject probe)
    {
        DefaultZero(probe, "timeoutSeconds", 1);
        DefaultZero(probe, "periodSeconds", 10);
        DefaultZero(probe, "successThreshold", 1);
        DefaultZero(probe, "failureThreshold", 3);
        if (Child(probe, "httpGet") is { } httpGet)
        {
            HttpGet(httpGet);
        }

        if (Child(probe, "grpc") is { } grpc)
        {
            // GRPCAction.Service: +default="" in k8s.io/api/core/v1/types.go.
            DefaultPointer(grpc, "service", () => "");
        }
    }

    /// <summary>SetDefaults_HTTPGetAction: path "/", scheme HTTP.</summary>
    public static void HttpGet(JsonObject action)
    {
        DefaultString(action, "path", "/");
        DefaultString(action, "scheme", "HTTP");
    }

    /// <summary>SetDefaults_Volume and the defaults of its source (modes 0644, hostPath type "", token expiry 1 h).</summary>
    public static void Volume(JsonObject volume)
    {
        if (!volume.Any(p => p.Key != "name" && p.Value is not null))
        {
            volume["emptyDir"] = new JsonObject();
        }

        if (Child(volume, "hostPath") is { } hostPath)
        {
            DefaultPointer(hostPath, "type", () => "");
        }

        foreach (var source in new[] { "secret", "configMap", "downwardAPI", "projected" })
        {
            if (Child(volume, source) is { } s)
            {
                DefaultPointer(s, "defaultMode", () => 420);
            }
        }

        FieldRefs(Child(volume, "downwardAPI"));
        foreach (var projection in Items(Child(volume, "projected"), "sources"))
        {
            FieldRefs(Child(projection, "downwardAPI"));
            if (Child(projection, "serviceAccountToken") is { } token)
            {
                DefaultPointer(token, "expirationSeconds", () => 3600);
            }
        }

        if (Child(volume, "ephemeral") is { } ephemeral && Child(ephemeral, "volumeClaimTemplate") is { } claim)
        {
            DefaultPointer(Struct(claim, "spec"), "volumeMode", () => "Filesystem");
        }
    }

    /// <summary>
    /// The tag parsers.ParseImageName finds: the one after the last ':' of the last path component,
    /// "latest" when there is neither a tag nor a digest, "" when there is only a digest.
    /// </summary>
    public static string ImageTag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        var tag = colon > slash ? name[(colon + 1)..] : "";
        return tag.Length == 0 && !hasDigest && image.Length > 0 ? "latest" : tag;
    }

    private static void FieldRefs(JsonObject? downwardApi)
    {
        foreach (var item in Items(downwardApi, "items"))
        {
            if (Child(item, "fieldRef") is { } fieldRef)
            {
                DefaultString(fieldRef, "apiVersion", "v1");
            }
        }
    }
}
