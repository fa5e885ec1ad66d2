using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class MaintenanceChangeTests
{
    [Theory]
    [InlineData(false, true, """{"spec":{"maintenance":true}}""", "Enabling maintenance mode for shop")]
    [InlineData(true, false, """{"spec":{"maintenance":false}}""", "Disabling maintenance mode for shop")]
    [InlineData(true, true, null, "Maintenance mode of shop is already on; nothing changed")]
    [InlineData(false, false, null, "Maintenance mode of shop is already off; nothing changed")]
    public void Merge_patches_spec_maintenance_when_it_changes(bool current, bool on, string? patch, string summary)
    {
        var app = Apps.Shop();
        app.Spec.Maintenance = current;

        var change = MaintenanceChange.Plan(app, on);

        change.Patch?.Body.Should().Be(patch);
        (change.Patch is null).Should().Be(patch is null);
        change.Summary.Should().Be(summary);
    }
}
