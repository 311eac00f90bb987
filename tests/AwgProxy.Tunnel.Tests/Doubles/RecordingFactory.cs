namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>A factory decorator that remembers every connection it handed out.</summary>
internal sealed class RecordingFactory(ITunnelConnectionFactory inner) : ITunnelConnectionFactory
{
    private readonly List<ITunnelConnection> _connections = [];

    public IReadOnlyList<ITunnelConnection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    public async ValueTask<ITunnelConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ITunnelConnection connection = await inner.ConnectAsync(cancellationToken).ConfigureAwait(false);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }
}
