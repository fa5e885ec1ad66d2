namespace Kuroku.Api.V1Alpha1;

/// <summary>The names under which the API server knows WebApp. Named once, used everywhere.</summary>
public static class WebAppApi
{
    public const string Group = "kuroku.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "WebApp";
    public const string ListKind = "WebAppList";
    public const string Plural = "webapps";
    public const string Singular = "webapp";
    public const string ShortName = "wa";
    public const string Category = "kuroku";
    public const string CrdName = Plural + "." + Group;

    /// <summary>The process that receives HTTP traffic, as in a Procfile.</summary>
    public const string WebProcess = "web";
}
