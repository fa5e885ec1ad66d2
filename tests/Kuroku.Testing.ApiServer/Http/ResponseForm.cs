using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>What a response carries, as the Accept header asks for it.</summary>
public enum ResponseShape
{
    /// <summary>The objects themselves (a typed list for a LIST).</summary>
    Object,

    /// <summary>meta.k8s.io Table (kubectl get).</summary>
    Table,

    /// <summary>meta.k8s.io PartialObjectMetadata: kind, apiVersion, metadata (metadata informers' WATCH, a GET).</summary>
    PartialObjectMetadata,

    /// <summary>meta.k8s.io PartialObjectMetadataList (metadata informers' LIST).</summary>
    PartialObjectMetadataList,
}

/// <summary>The negotiated response: its shape and, for the meta.k8s.io shapes, their version (v1 or v1beta1).</summary>
public sealed record ResponseForm(ResponseShape Shape, string MetaVersion = "v1")
{
    public static ResponseForm Object { get; } = new(ResponseShape.Object);

    public string MetaApiVersion => $"meta.k8s.io/{MetaVersion}";

    /// <summary>
    /// apiserver's negotiation.NegotiateOutputMediaType for a resource endpoint: the first clause of the
    /// Accept header the server can serve wins. This server writes JSON only: application/json, and the
    /// other media types kube-apiserver serves (application/yaml, protobuf, CBOR, */*), are answered in JSON,
    /// which client-go decodes by the response's Content-Type. A clause's as=/g=/v= parameters ask for a
    /// transformation, acceptable only for Table, PartialObjectMetadata and PartialObjectMetadataList of
    /// meta.k8s.io v1 or v1beta1. No acceptable clause: 406 NotAcceptable, as kube-apiserver answers.
    /// </summary>
    public static ResponseForm Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Object;
        }

        foreach (var clause in accept.Split(','))
        {
            var parts = clause.Split(';', StringSplitOptions.TrimEntries);
            var mediaType = parts[0].ToLowerInvariant();
            if (mediaType is not ("application/json" or "application/yaml" or "application/vnd.kubernetes.protobuf" or "application/cbor" or "*/*" or "application/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var kind))
            {
                if (parameters.ContainsKey("g") || parameters.ContainsKey("v"))
                {
                    continue;
                }

                return Object;
            }

            parameters.TryGetValue("g", out var group);
            parameters.TryGetValue("v", out var version);
            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (kind)
            {
                case "Table":
                    return new ResponseForm(ResponseShape.Table, version);
                case "PartialObjectMetadata":
                    return new ResponseForm(ResponseShape.PartialObjectMetadata, version);
                case "PartialObjectMetadataList":
                    return new ResponseForm(ResponseShape.PartialObjectMetadataList, version);
            }
        }

        throw ApiException.NotAcceptable("only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor");
    }

    /// <summary>A LIST asked for one object's shape (or a GET for a list's): 406, in kube-apiserver's words.</summary>
    public void CheckFor(bool list, string kind)
    {
        if (list && Shape == ResponseShape.PartialObjectMetadata)
        {
            throw ApiException.NotAcceptable($"you requested PartialObjectMetadata, but the requested object is a list (*v1.{kind}List)");
        }

        if (!list && Shape == ResponseShape.PartialObjectMetadataList)
        {
            throw ApiException.NotAcceptable($"you requested PartialObjectMetadataList, but the requested object is not a list (*v1.{kind})");
        }
    }
}
