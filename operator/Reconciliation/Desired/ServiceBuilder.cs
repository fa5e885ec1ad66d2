using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The web Service &lt;app&gt;: port 80 (http) to the router's port of the web pods.</summary>
public static class ServiceBuilder
{
    public const int Port = 80;

    /// <summary>The Service, or null when the app has no web process.</summary>
    public static V1Service? Build(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!WebProcess.Exists(app))
        {
            return null;
        }

        return new V1Service
        {
            Metadata = ChildLabels.Metadata(app, ChildNames.Service(ChildLabels.AppName(app)), WebAppApi.WebProcess),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = ChildLabels.Selector(app, WebAppApi.WebProcess),
                Ports = [new V1ServicePort { Name = Router.PortName, Port = Port, TargetPort = Router.PortName, Protocol = "TCP" }],
            },
        }.Initialize();
    }
}
