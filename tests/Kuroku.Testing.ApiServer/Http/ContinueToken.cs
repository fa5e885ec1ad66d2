using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>
/// A LIST's continue token, in apiserver's format (storage.EncodeContinue): base64url (unpadded) JSON of
/// {"v":"meta.k8s.io/v1","rv":R,"start":"&lt;last key&gt;\u0000"}. Later pages are served at rv R, the first
/// page's; rv -1 (the token a 410 Expired hands back) continues at the current resourceVersion.
/// </summary>
public sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public const string Version = "meta.k8s.io/v1";

    public bool Inconsistent => ResourceVersion == -1;

    public string Encode()
    {
        var json = new JsonObject { ["v"] = Version, ["rv"] = ResourceVersion, ["start"] = StartAfter + "\0" }.ToJsonString();
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Decodes a token; a 400 "continue key is not valid" for anything else, as kube-apiserver answers.</summary>
    public static ContinueToken Decode(string token)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(Base64Url.DecodeFromChars(token.TrimEnd('='))) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }

        if (json?["v"]?.GetValue<string>() != Version)
        {
            throw ApiException.BadRequest($"continue key is not valid: server does not recognize this encoded key (version {json?["v"]})");
        }

        var rv = JsonPathExpression.ToLong(json["rv"]);
        var start = json["start"]?.GetValue<string>() ?? "";
        if (rv is null || rv == 0 || rv < -1)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        if (start.Length == 0 || start.Contains("..", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("continue key is not valid: encoded start key is not valid");
        }

        return new ContinueToken(rv.Value, start.TrimEnd('\0'));
    }
}
