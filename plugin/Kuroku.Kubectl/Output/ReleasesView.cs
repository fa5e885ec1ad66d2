using System.Globalization;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Kubectl.Output;

/// <summary>`kubectl kuroku releases`: status.releases, newest first, the live one marked.</summary>
public static class ReleasesView
{
    public static string Render(WebApp app, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        var releases = app.Status?.Releases ?? [];
        if (releases.Count == 0)
        {
            return $"{app.Metadata.Name} has no releases yet (status.releases is empty: the operator has not reconciled it)\n";
        }

        var live = app.Status?.Release;
        var rows = releases
            .OrderByDescending(r => r.Version)
            .Select(r => (IReadOnlyList<string>)
            [
                "v" + r.Version.ToString(CultureInfo.InvariantCulture),
                r.Phase + (r.Version == live ? " (live)" : ""),
                string.IsNullOrEmpty(r.Message) ? r.Reason : $"{r.Reason}: {r.Message}",
                r.Image,
                Age.Of(r.CreatedAt, now),
            ]);
        return TextTable.Render(["VERSION", "STATUS", "REASON", "IMAGE", "AGE"], rows);
    }
}
