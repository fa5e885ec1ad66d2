using k8s;
using k8s.Models;
using Kuroku.Operator.Api.V1Alpha1;
using Kuroku.Operator.Configuration;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The pure core: a WebApp and the operator's options in, every child object out.</summary>
public static class DesiredState
{
    /// <summary>
    /// Every child object the WebApp needs, in a stable order. Same input, same output, byte for byte.
    /// The input must already be defaulted (as the API server does) and valid.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(WebApp app, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        return [];
    }
}
