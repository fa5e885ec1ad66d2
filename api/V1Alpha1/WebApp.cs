using System.Text.Json.Serialization;
using Kuroku.Api.Schema;
using k8s;
using k8s.Models;

namespace Kuroku.Api.V1Alpha1;

/// <summary>
/// A web application run the way a Heroku-style platform runs it: an image, a Procfile-like list of
/// processes, config vars, numbered releases, a release phase, a hostname with TLS and static files
/// served beside the dynamic pages.
/// </summary>
[KubernetesEntity(Group = WebAppApi.Group, ApiVersion = WebAppApi.Version, Kind = WebAppApi.Kind, PluralName = WebAppApi.Plural)]
public sealed class WebApp : IKubernetesObject<V1ObjectMeta>, ISpec<WebAppSpec>, IStatus<WebAppStatus?>
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WebAppApi.ApiVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = WebAppApi.Kind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What the application is and how it runs.</summary>
    [JsonPropertyName("spec")]
    [RequiredField]
    public WebAppSpec Spec { get; set; } = new();

    /// <summary>What the operator observed and did. Written by the operator only.</summary>
    [JsonPropertyName("status")]
    public WebAppStatus? Status { get; set; }
}

/// <summary>A list of WebApps, as the API server returns it.</summary>
[KubernetesEntity(Group = WebAppApi.Group, ApiVersion = WebAppApi.Version, Kind = WebAppApi.ListKind, PluralName = WebAppApi.Plural)]
public sealed class WebAppList : IKubernetesObject<V1ListMeta>, IItems<WebApp>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WebAppApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = WebAppApi.ListKind;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<WebApp> Items { get; set; } = [];
}
