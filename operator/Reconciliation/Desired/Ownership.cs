using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The owner reference that ties every child to its WebApp, so garbage collection deletes them together.</summary>
public static class Ownership
{
    /// <summary>
    /// The one controller reference of a child: the WebApp, with controller and blockOwnerDeletion set.
    /// The uid is the WebApp's (absent offline, where `render` has no server to assign one).
    /// </summary>
    public static V1OwnerReference ControllerReference(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new V1OwnerReference
        {
            ApiVersion = WebAppApi.ApiVersion,
            Kind = WebAppApi.Kind,
            Name = app.Metadata?.Name ?? "",
            Uid = app.Metadata?.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }
}
