using Kuroku.Api.V1Alpha1;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Events;

public sealed class EventAggregationTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly EventKey Failed = new("shop", "uid-1", "shop", EventType.Warning, "ReleaseFailed", "v3 failed");

    [Fact]
    public void The_same_event_within_the_window_bumps_the_count_of_one_event()
    {
        var aggregator = new EventAggregator(time, TimeSpan.FromMinutes(10));

        var first = aggregator.Observe(Failed);
        time.Advance(TimeSpan.FromMinutes(1));
        var second = aggregator.Observe(Failed);
        var third = aggregator.Observe(Failed);

        first.Create.Should().BeTrue();
        second.Should().Be(new EventDecision(false, first.Name, 2));
        third.Should().Be(new EventDecision(false, first.Name, 3));
    }

    [Fact]
    public void However_many_objects_have_events_it_remembers_a_bounded_number_and_keeps_folding_the_recent_ones()
    {
        var aggregator = new EventAggregator(time, TimeSpan.FromMinutes(10));
        var recent = Failed with { ObjectUid = "uid-recent", ObjectName = "recent" };
        var first = aggregator.Observe(recent);

        var peak = 0;
        for (var i = 0; i < 5 * EventAggregator.Capacity; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            aggregator.Observe(Failed with { ObjectUid = $"uid-{i}", ObjectName = $"app-{i}" });
            if (i % 1000 == 0)
            {
                aggregator.Observe(recent);
            }

            peak = Math.Max(peak, aggregator.Count);
        }

        peak.Should().BeLessThanOrEqualTo(2 * EventAggregator.Capacity);
        aggregator.Observe(recent).Should().Match<EventDecision>(d => !d.Create && d.Name == first.Name, "an event seen lately is still folded");
    }

    [Fact]
    public void A_different_message_or_an_expired_window_makes_a_new_event()
    {
        var aggregator = new EventAggregator(time, TimeSpan.FromMinutes(10));
        var first = aggregator.Observe(Failed);

        var other = aggregator.Observe(Failed with { Message = "v4 failed" });
        time.Advance(TimeSpan.FromMinutes(11));
        var later = aggregator.Observe(Failed);

        other.Create.Should().BeTrue();
        other.Name.Should().NotBe(first.Name);
        later.Should().Match<EventDecision>(d => d.Create && d.Count == 1 && d.Name != first.Name);
        first.Name.Should().StartWith("shop.");
    }

    [Fact]
    public void Keys_are_remembered_by_digest_yet_fields_that_read_alike_end_to_end_stay_apart()
    {
        var aggregator = new EventAggregator(time, TimeSpan.FromMinutes(10));
        var split = Failed with { Reason = "Release", Message = "Failed v3 failed" };
        var joined = Failed with { Reason = "ReleaseFailed", Message = " v3 failed" };
        var noNamespace = Failed with { Namespace = null };

        var first = aggregator.Observe(split);
        aggregator.Observe(joined).Create.Should().BeTrue("the reason and message differ, though their concatenations are alike");
        aggregator.Observe(noNamespace).Create.Should().BeTrue();
        aggregator.Observe(Failed with { Namespace = "" }).Create.Should().BeTrue("no namespace is not the empty namespace's key");
        aggregator.Observe(split with { }).Should().Be(new EventDecision(false, first.Name, 2), "an equal key is found again");

        aggregator.Forget(split);
        aggregator.Observe(split).Create.Should().BeTrue("a forgotten key starts a new Event");
    }

    [Fact]
    public async Task The_recorder_creates_one_event_then_patches_its_count()
    {
        var writer = new RecordingWriter();
        var recorder = new EventRecorder(writer, time, NullLogger<EventRecorder>.Instance, instance: "pod-1");
        var app = new WebApp { Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop", Uid = "uid-1" } };
        var reference = new ObjectReference(app.ApiVersion, app.Kind, "shop", "shop", "7", "uid-1");

        await recorder.WriteAsync(Failed, reference, CancellationToken.None);
        await recorder.WriteAsync(Failed, reference, CancellationToken.None);

        writer.Calls.Should().HaveCount(2);
        var created = writer.Created.Should().ContainSingle().Subject.Should().BeOfType<Corev1Event>().Subject;
        created.InvolvedObject.Kind.Should().Be("WebApp");
        created.InvolvedObject.Uid.Should().Be("uid-1");
        created.Type.Should().Be("Warning");
        created.Reason.Should().Be("ReleaseFailed");
        created.Count.Should().Be(1);
        writer.Calls[1].Should().Be($"patch shop/{created.Metadata.Name} {{\"count\":2,\"lastTimestamp\":\"2025-01-01T00:00:00Z\"}}");
    }

    [Fact]
    public async Task A_bump_of_a_vanished_event_creates_it_again()
    {
        var writer = new RecordingWriter { PatchFails = true };
        var recorder = new EventRecorder(writer, time, NullLogger<EventRecorder>.Instance, instance: "pod-1");
        var reference = new ObjectReference("kuroku.dev/v1alpha1", "WebApp", "shop", "shop", "7", "uid-1");

        await recorder.WriteAsync(Failed, reference, CancellationToken.None);
        await recorder.WriteAsync(Failed, reference, CancellationToken.None);

        writer.Created.Should().HaveCount(2);
        writer.Created.Cast<Corev1Event>().Select(e => e.Count).Should().Equal(1, 1);
    }

    private sealed class RecordingWriter : IObjectWriter
    {
        public List<string> Calls { get; } = [];

        public List<object> Created { get; } = [];

        public bool PatchFails { get; init; }

        public Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            Calls.Add($"create {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}");
            Created.Add(obj);
            return Task.FromResult(obj);
        }

        public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> PatchAsync<T>(string? @namespace, string name, object mergePatch, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            Calls.Add($"patch {@namespace}/{name} {KubernetesJson.Serialize(mergePatch)}");
            if (PatchFails)
            {
                throw new KubernetesApiException(ApiErrorReason.NotFound, (int)System.Net.HttpStatusCode.NotFound, "gone");
            }

            return Task.FromResult<T>(null!);
        }

        public Task<bool> DeleteAsync<T>(string? @namespace, string name, string? uid, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    }
}
