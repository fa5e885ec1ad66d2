using System.Diagnostics.Metrics;
using Kuroku.Operator.Telemetry;

namespace Kuroku.Operator.UnitTests.Telemetry;

public sealed class KurokuTelemetryTests
{
    /// <summary>Reads the observable gauges once, as an exporter's collection does.</summary>
    private static Dictionary<string, long> Collect()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KurokuTelemetry.Name && instrument.Name is "kuroku.leader" or "kuroku.queue.depth")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public void The_leader_gauge_follows_every_observed_host_until_it_stops_not_only_the_last_one_started()
    {
        var leading = true;
        using (KurokuTelemetry.Observe(() => 3, () => leading))
        {
            using (KurokuTelemetry.Observe(() => 4, () => false))
            {
                // A second host that does not lead (in tests, another operator in the same process) used to
                // replace the first one's callbacks, and the gauge read 0 while the first one led.
                var both = Collect();
                both["kuroku.leader"].Should().Be(1);
                both["kuroku.queue.depth"].Should().Be(7, "the depths add up");

                leading = false;
                Collect()["kuroku.leader"].Should().Be(0, "no observed host leads any more");
                leading = true;
            }

            Collect()["kuroku.queue.depth"].Should().Be(3, "the stopped host's queue is no longer counted");
        }

        var after = Collect();
        after["kuroku.leader"].Should().Be(0, "a stopped host is no longer counted");
    }
}
