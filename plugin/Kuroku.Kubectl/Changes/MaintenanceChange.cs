using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Kubectl.Changes;

/// <summary>`maintenance:on` / `maintenance:off`: a merge patch of spec.maintenance.</summary>
public static class MaintenanceChange
{
    public static PlannedChange Plan(WebApp app, bool on)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = app.Metadata.Name;
        if (app.Spec.Maintenance == on)
        {
            return PlannedChange.Nothing($"Maintenance mode of {name} is already {(on ? "on" : "off")}; nothing changed");
        }

        var body = new JsonObject { ["spec"] = new JsonObject { ["maintenance"] = on } };
        return new PlannedChange(
            WebAppPatch.Merge(body),
            on ? $"Enabling maintenance mode for {name}" : $"Disabling maintenance mode for {name}",
            on ? "HTTP answers 503 with the maintenance page; processes keep running" : "HTTP reaches the app again",
            []);
    }
}
