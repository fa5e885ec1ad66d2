using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Abstractions;

/// <summary>The type of a Kubernetes Event.</summary>
public enum EventType
{
    Normal,
    Warning,
}

/// <summary>
/// Records core/v1 Events about an object (client-go's <c>record.EventRecorder</c>). Never blocks
/// and never throws: events are written in the background; the same reason and message about the
/// same object within a short window bump the count of one Event instead of making new ones.
/// </summary>
public interface IEventRecorder
{
    /// <param name="regarding">The object the event is about (its uid, kind, namespace and name are used).</param>
    /// <param name="type">Normal, or Warning for something a user should look at.</param>
    /// <param name="reason">A short UpperCamelCase reason, for example <c>ReleaseSucceeded</c>.</param>
    /// <param name="message">A human-readable sentence.</param>
    void Record(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message);
}
