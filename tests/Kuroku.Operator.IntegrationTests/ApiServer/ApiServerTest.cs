using k8s;
using Kuroku.Testing.ApiServer;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>A fresh in-process API server and a KubernetesClient pointed at it, for each test.</summary>
public abstract class ApiServerTest : IAsyncLifetime
{
    protected KubeApiServer Server { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    protected virtual KubeApiServerOptions? ServerOptions => null;

    public virtual async Task InitializeAsync()
    {
        Server = await KubeApiServer.StartAsync(ServerOptions);
        Client = Server.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
