using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Model;

/// <summary>One served resource (group, version, plural) and the facts discovery, tables and subresources need.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public bool HasStatus { get; init; }
    public ScaleSubresource? Scale { get; init; }
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];
    public bool IsCustom { get; init; }

    /// <summary>The openAPIV3Schema of a custom resource version, used for defaults and pruning.</summary>
    public JsonObject? Schema { get; init; }

    public string Singular => Kind.ToLowerInvariant();
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Versions of one group/plural share one storage.</summary>
    public string StorageKey => $"{Group}/{Plural}";

    /// <summary>The qualified resource name used in messages: deployments.apps, configmaps.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public string PathPrefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
}

/// <summary>The scale subresource: where replicas and the selector live in the object.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>A table column: a JSONPath into the object, as in additionalPrinterColumns.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Format = null, int Priority = 0, string Description = "");
